"""The checks an article goes through before it is published, with Chinese messages.

One pure function (:func:`check_article`) serves the editor window (setting 已发布), the
export (its report) and the command line (``export`` prints them as ``#4709: …``). It reads
nothing itself: whether an original still carries a GPS position comes from the caller
(the window knows it from the photo panel; :func:`photos_with_gps` reads it from a store).

Blocking findings keep an article unpublished; warnings can be accepted (仍然发布).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dayuan_desktop.core.captions import byline_name, caption_text
from dayuan_desktop.core.records import ArticleRecord, PhotoRecord
from dayuan_desktop.core.render import PHOTO_LINE

_EXCERPT = 16  # characters of a caption or title quoted in a message


class Severity(StrEnum):
    """How serious a finding is."""

    BLOCKING = "blocking"  # the article cannot be published
    WARNING = "warning"  # worth a look; the editor may publish anyway


@dataclass(frozen=True)
class Finding:
    """One problem: a stable ``code`` (for tests and the window), its severity and a Chinese message."""

    code: str
    severity: Severity
    message: str
    photo_sha256: str | None = None  # the photo it is about, if any

    @property
    def blocking(self) -> bool:
        """Does this finding keep the article unpublished?"""
        return self.severity is Severity.BLOCKING


def check_article(
    article: ArticleRecord, *, rendition_width: int, gps_photos: Collection[str] = ()
) -> list[Finding]:
    """What stands between ``article`` and publishing it: blocking findings first, then warnings.

    ``rendition_width``: the width the page shows photos at (the site's setting); a narrower
    photo is shown blown up. ``gps_photos``: sha256 of the photos whose originals carry a GPS
    position (see :func:`photos_with_gps`).
    """
    findings = _blocking(article)
    if not article.summary.strip():
        findings.append(Finding("no_summary", Severity.WARNING, "没有摘要：列表页和搜索结果将不显示内容提要"))
    for position, link in enumerate(article.photos, start=1):
        findings.extend(_photo_warnings(position, link.photo, rendition_width, link.photo.sha256 in gps_photos))
    return findings


def _blocking(article: ArticleRecord) -> list[Finding]:
    found = []
    if not article.title.strip():
        found.append(Finding("no_title", Severity.BLOCKING, "没有标题"))
    if not article.channel_path:
        found.append(Finding("no_channel", Severity.BLOCKING, "没有选择栏目：文章没有可发布的位置"))
    if not article.body.strip():
        found.append(Finding("empty_body", Severity.BLOCKING, "正文为空"))
    attached = {link.photo.sha256 for link in article.photos}
    reported: set[str] = set()
    for match in PHOTO_LINE.finditer(article.body):
        sha = match.group("sha")
        if sha in attached or sha in reported:
            continue
        reported.add(sha)
        alt = _excerpt(caption_text(match.group("alt"))) or sha[:12]
        found.append(Finding(
            "photo_not_attached", Severity.BLOCKING,
            f"正文中的图片（{alt}）不是本文的图片，页面上只会留下图片说明：请重新添加这张图片，或从正文中删去这一行",
            sha,
        ))
    return found


def _photo_warnings(position: int, photo: PhotoRecord, rendition_width: int, gps: bool) -> Iterable[Finding]:
    name = f"第 {position} 张图片（{_photo_name(photo)}）"
    if not caption_text(photo.caption):
        yield Finding("photo_no_caption", Severity.WARNING, f"{name}没有图片说明", photo.sha256)
    if not byline_name(photo.photographer):
        yield Finding("photo_no_photographer", Severity.WARNING, f"{name}没有摄影者", photo.sha256)
    if 0 < photo.width < rendition_width:
        yield Finding(
            "photo_too_narrow", Severity.WARNING,
            f"{name}宽 {photo.width} 像素，页面需要 {rendition_width} 像素，显示时会被放大而发虚", photo.sha256,
        )
    if gps:
        yield Finding(
            "photo_gps", Severity.WARNING,
            f"{name}的原图含 GPS 位置（发布的图片中会去掉，原图仍保留在图片库中）", photo.sha256,
        )


def _photo_name(photo: PhotoRecord) -> str:
    return _excerpt(caption_text(photo.caption)) or photo.original_name or photo.sha256[:12]


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "…"


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that keep an article unpublished."""
    return [finding for finding in findings if finding.blocking]


def article_label(number: int | None, title: str) -> str:
    """How messages name an article: ``#4709``, or its title (``《……》``) while it has no number."""
    if number is not None:
        return f"#{number}"
    return f"《{_excerpt(title.strip())}》" if title.strip() else "（无标题文章）"


def finding_lines(article: ArticleRecord, findings: Sequence[Finding]) -> list[str]:
    """One line per finding, naming the article: ``#4709: 不能发布：没有栏目…`` / ``#4709: 提醒：没有摘要…``."""
    label = article_label(article.number, article.title)
    return [f"{label}: {'不能发布' if f.blocking else '提醒'}：{f.message}" for f in findings]


def photos_with_gps(photo_bytes: Callable[[str], bytes], sha256s: Iterable[str]) -> set[str]:
    """The photos (by sha256) whose originals carry a GPS position; one that cannot be read counts as none."""
    from dayuan_desktop.core.photos.importing import read_photo

    found = set()
    for sha in sha256s:
        try:
            if read_photo(photo_bytes(sha)).metadata.gps:
                found.add(sha)
        except Exception:  # noqa: BLE001, S112 - a damaged or missing original: nothing to warn about here
            continue
    return found
