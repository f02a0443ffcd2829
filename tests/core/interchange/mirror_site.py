"""Builders for the ``import DIR`` tests: our export of the sample and generated articles, laid out
as ``wget --mirror`` leaves the live site (a host folder, image addresses relative, root-absolute
and full), with real JPEGs made by Pillow."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dayuan_desktop.core.site import SiteSettings
from tests.core.interchange.portal_site import build_source, export_site, open_store
from tests.helpers import jpeg_bytes

HOST = "www.shanxidayuan.com"
GENERATED_CHANNELS = ("gsyl", "gsyl/lzgs", "news/local")


def add_generated(store, count: int, *, with_photo: bool = True) -> dict[int, tuple[str, str]]:
    """``count`` published articles (numbers 6000…) over three channels, each with a captioned photo;
    returns number → (channel, caption)."""
    made = {}
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for index in range(count):
        number, channel = 6000 + index, GENERATED_CHANNELS[index % len(GENERATED_CHANNELS)]
        caption = f"第{index}张图的说明"
        body = f"第{index}篇正文。山西大院的新闻。\n\n"
        photo = None
        if with_photo:
            shade = (index * 37 % 256, index * 91 % 256, 120)
            photo = store.photos.add_photo(jpeg_bytes(480, 320, shade), format="JPEG", width=480, height=320,
                                           caption=caption, photographer="赵六", original_name=f"g{index}.jpg")
            body += f"![{caption}](photo:{photo.sha256})\n"
        article = store.create_article(
            title=f"生成的文章 {index}", author="记者", source="太原", status="published", number=number,
            channel_path=channel, published_at=start + timedelta(hours=index), tags=["生成"], body=body,
        )
        if photo is not None:
            store.photos.set_article_photos(article.id, [photo.sha256])
        made[number] = (channel, caption)
    return made


def build_mirror(folder: Path, generated: int = 9, *, site: SiteSettings | None = None) -> tuple[Path, dict]:
    """``folder/mirror/www.shanxidayuan.com/…``: the export as a mirror; returns (mirror folder, generated)."""
    store = open_store(folder / "source.sqlite3")
    build_source(store)
    made = add_generated(store, generated)
    site = site or SiteSettings(list_page_size=3)
    exported = export_site(store, folder / "export", site)
    store.db.dispose()
    mirror = folder / "mirror"
    host = Path(shutil.copytree(exported, mirror / HOST))
    (host / ".dayuan-export.json").unlink()  # the live site has no export manifest
    for extra in ("sitemap.xml", "rss.xml"):
        (host / extra).unlink(missing_ok=True)
    (host / "gsyl" / "list_2.html").write_bytes((host / "gsyl" / "index.html").read_bytes())  # a CMS-style list
    # wget without --convert-links keeps the addresses as the site wrote them: root-absolute and full.
    _rewrite_images(host / "gsyl" / "lzgs" / "4709.html", lambda src: "/" + src.split("../")[-1])
    _rewrite_images(host / "news" / "local" / "5001.html", lambda src: f"http://{HOST}/" + src.split("../")[-1])
    return mirror, made


def _rewrite_images(page: Path, change) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r'(<img src=")([^"]+)(")', lambda m: m.group(1) + change(m.group(2)) + m.group(3), text),
                    encoding="utf-8")


def set_image(page: Path, index: int, src: str) -> None:
    """Point the page's ``index``-th image at ``src``."""
    text = page.read_text(encoding="utf-8")
    found = list(re.finditer(r'<img src="([^"]+)"', text))[index]
    page.write_text(text[: found.start(1)] + src + text[found.end(1):], encoding="utf-8")
