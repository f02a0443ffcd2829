"""Site-wide texts and options of the portal; the defaults reproduce the live 大院网 page.

They live in the database (``app_meta``), so a whole newsroom on a shared server shares them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from dayuan_desktop.core.errors import DatabaseError, ValidationError

if TYPE_CHECKING:
    from dayuan_desktop.core.db import Database

# The app_meta key the settings are kept under (the export's SQLite reader reads it too).
SITE_SETTINGS_KEY = _META_KEY = "site_settings"
RENDITION_MIN, RENDITION_MAX = 320, 4000  # long side in px: below is a thumbnail, above no page needs


def __getattr__(name: str) -> object:
    """``SiteSettingsDatabase``: the database handle site settings are loaded from and saved to.
    The window only passes it through to the two functions below; it names the type here so ui/
    never imports core.db. Looked up lazily: the export reads the settings without SQLAlchemy."""
    if name == "SiteSettingsDatabase":
        from dayuan_desktop.core.db import Database

        return Database
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class SiteSettings:
    """Everything the portal templates show that is not an article."""

    site_name: str = "大院网-山西大院资讯网"
    base_url: str = "http://www.shanxidayuan.com"
    timezone: str = "Asia/Shanghai"
    copyright_title: str = "版权声明"
    copyright_lines: tuple[str, ...] = ("本文仅代表作者观点,不代表本站立场。", "本文系作者授权发表,未经许可,不得转载。")
    address_label: str = "本文地址:"
    comments_label: str = "留言与评论(共有 {count} 条评论)"
    captcha_label: str = "验证码:"
    submit_label: str = "提交评论"
    about_title: str = "关于山西大院新闻网"
    about_text: str = (
        "山西大院是公共的资讯平台,公开,绿色,守法,其主要目的服务于广大本地网民的综合门户网站,"
        "还拥有强大的本地公共服务导航一站式进入本地各大政府服务平台方便业务开展。"
    )
    footer_name: str = "山西大院新闻网"
    footer_copyright: str = "Copyright ©山西大院新闻网"
    footer_notice_en: tuple[str, ...] = (
        "copyright protection: All articles, text, video, pictures, music sources and network reproduced "
        "non-original works, only for learning and communication, the content of the article information "
        "does not mean",
        "that the network agrees with its views or is responsible for its authenticity, if there are any "
        "problems, please contact the webmaster for processing at the first time!",
    )
    footer_notice_zh: str = (
        "版权声明: 本站所有文章,文字,视频,图片,音乐来源与网络转载非原创作品,仅限于学习交流,"
        "对文章信息内容并不代表本网赞同其观点或对其真实性负责,如果存在任何问题,请第一时间联系站长处理!"
    )
    language: str = "zh-CN"
    list_page_size: int = 20
    home_items_per_channel: int = 8
    feed_size: int = 50
    rendition_width: int = 1200

    def page_url(self, relative_path: str) -> str:
        """The public URL of a page of the exported site."""
        return self.base_url.rstrip("/") + "/" + relative_path.lstrip("/")

    def fingerprint(self) -> str:
        """A stable text of every value (part of every page's input key for incremental export)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


# -- rules (plain functions: each returns "" or the reason in English; the window words its own message) --
def base_url_problem(text: str) -> str:
    """Why ``text`` is not a usable base URL of the public site ("" when it is)."""
    value = text.strip()
    if not value:
        return "empty"
    if any(ch.isspace() for ch in value):
        return "spaces"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not http"
    if parts.query or parts.fragment:
        return "query"
    return ""


def rendition_size_problem(text: str) -> str:
    """Why ``text`` is not a rendition size within bounds ("" when it is)."""
    try:
        value = int(text.strip())
    except ValueError:
        return "not a number"
    return "" if RENDITION_MIN <= value <= RENDITION_MAX else "out of range"


def check_site_settings(settings: SiteSettings) -> SiteSettings:
    """``settings`` when its base URL and rendition size keep the rules; else :class:`ValidationError`."""
    if base_url_problem(settings.base_url):
        raise ValidationError(
            f"site setting 'base_url' must be the site's address starting with http:// or https://, "
            f"without spaces, ? or # (not {settings.base_url!r})"
        )
    if rendition_size_problem(str(settings.rendition_width)):
        raise ValidationError(
            f"site setting 'rendition_width' must be a whole number from {RENDITION_MIN} to {RENDITION_MAX} "
            f"(not {settings.rendition_width})"
        )
    return settings


def site_settings_from_dict(values: dict) -> SiteSettings:
    """Settings from stored or user-given values; unknown keys, wrong types and broken rules are refused."""
    known = {f.name: f for f in fields(SiteSettings)}
    clean = {}
    default = SiteSettings()
    for key, value in values.items():
        if key not in known:
            raise ValidationError(f"unknown site setting '{key}'")
        expected = type(getattr(default, key))
        if expected is tuple:
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise ValidationError(f"site setting '{key}' must be a list of texts")
            value = tuple(value)
        elif expected is int:
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValidationError(f"site setting '{key}' must be a positive whole number")
        elif not isinstance(value, str):
            raise ValidationError(f"site setting '{key}' must be text")
        clean[key] = value
    return check_site_settings(replace(default, **clean))


def load_site_settings(database: Database) -> SiteSettings:
    """The site settings stored in the database (defaults for anything not stored)."""
    from sqlalchemy import text

    with database.session() as session:
        raw = session.execute(text("SELECT value FROM app_meta WHERE key = :k"), {"k": _META_KEY}).scalar()
    return site_settings_from_stored(raw)


def site_settings_from_stored(raw: str | None) -> SiteSettings:
    """The settings as kept in ``app_meta`` (JSON text; defaults when nothing is kept)."""
    return site_settings_from_dict(json.loads(raw)) if raw else SiteSettings()


def save_site_settings(database: Database, settings: SiteSettings) -> None:
    """Store the site settings for everyone using this database (refused unless they keep the rules)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    check_site_settings(settings)
    payload = json.dumps(asdict(settings), ensure_ascii=False)
    try:
        with database.session(write=True) as session:
            updated = session.execute(
                text("UPDATE app_meta SET value = :v WHERE key = :k"), {"k": _META_KEY, "v": payload}
            )
            if updated.rowcount == 0:
                session.execute(text("INSERT INTO app_meta (key, value) VALUES (:k, :v)"),
                                {"k": _META_KEY, "v": payload})
    except SQLAlchemyError as exc:  # a locked, read-only or vanished database: one line for the user
        raise DatabaseError(f"the site settings could not be written to {database.describe()}: "
                            f"{str(exc.orig if getattr(exc, 'orig', None) else exc).splitlines()[0]}") from exc
