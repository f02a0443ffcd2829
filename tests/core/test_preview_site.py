"""The preview's site folder: static files and renditions where the page looks for them, as export makes them."""

from __future__ import annotations

import io
import random
import re
from dataclasses import replace

import pytest
from PIL import Image

from dayuan_desktop.core import preview_site
from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.photos.incoming import add_photos_to_article
from dayuan_desktop.core.photos.ready_renditions import prepare_renditions
from dayuan_desktop.core.preview_site import PreviewSite
from dayuan_desktop.core.render import PortalRenderer
from dayuan_desktop.core.resources import portal_template_dir
from dayuan_desktop.core.sample import load_sample
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from tests.core.export.sitekit import publish
from tests.helpers import jpeg_bytes, png_bytes


@pytest.fixture
def sample(tmp_path):
    database = open_database(tmp_path / "n.sqlite3", backup_dir=tmp_path / "backups")
    store = Store(database)
    load_sample(store)
    yield store, store.find_article("4709")
    database.dispose()


def test_static_files_are_copied_once(tmp_path):
    site = PreviewSite(tmp_path / "preview", cache_dir=tmp_path / "cache")
    assert site.sync_static() == ["static/portal.css"]
    css = (tmp_path / "preview" / "static" / "portal.css").read_bytes()
    assert css == (portal_template_dir() / "static" / "portal.css").read_bytes()
    assert site.sync_static() == []  # unchanged: nothing written again


def _with_png(store):
    """Article 4709 (its JPEG photo) with a flat-colour PNG graphic added, whose rendition stays PNG."""
    add_photos_to_article(store, "4709", [png_bytes(300, 200)], caption="示意图")
    return store.find_article("4709")


def _uploads(html: str) -> list[str]:
    return sorted({src.removeprefix("../../") for src in re.findall(r'src="([^"]+)"', html) if "uploads/" in src})


def test_the_preview_page_is_the_exported_page_byte_for_byte_png_included(sample, tmp_path):
    store, _article = sample
    article = _with_png(store)
    settings = SiteSettings()
    SiteExporter(store, settings, tmp_path / "site", cache_dir=tmp_path / "cache").run()

    preview = PreviewSite(tmp_path / "preview", cache_dir=tmp_path / "cache")
    page = preview.render(PortalRenderer(settings), article)
    assert page.missing == [] and page.failed == {}  # the export's renditions, from the cache
    exported = tmp_path / "site" / "gsyl" / "lzgs" / "4709.html"
    assert page.html.encode("utf-8") == exported.read_bytes()
    linked = _uploads(page.html)
    assert sorted(path[-4:] for path in linked) == [".jpg", ".png"]  # named as the export names them
    for path in linked:
        assert (tmp_path / "preview" / path).read_bytes() == (tmp_path / "site" / path).read_bytes()


def test_from_a_cold_cache_the_preview_makes_what_the_export_would(sample, tmp_path):
    store, _article = sample
    article = _with_png(store)
    settings = SiteSettings()
    preview = PreviewSite(tmp_path / "preview", cache_dir=tmp_path / "cache")
    first = preview.render(PortalRenderer(settings), article)
    assert len(first.missing) == 2  # nothing in the cache yet: both photos are to be made
    made, failed = preview.make_renditions(store, first.missing, settings.rendition_width)
    assert (len(made), failed) == (2, {})
    again = preview.render(PortalRenderer(settings), article)
    assert again.missing == []

    report = SiteExporter(store, settings, tmp_path / "site", cache_dir=tmp_path / "cache").run()
    assert report.renditions_made == 0  # the preview's renditions are the export's
    assert again.html.encode("utf-8") == (tmp_path / "site" / "gsyl" / "lzgs" / "4709.html").read_bytes()
    for path in _uploads(again.html):
        assert (tmp_path / "preview" / path).read_bytes() == (tmp_path / "site" / path).read_bytes()


def test_the_preview_does_not_decode_a_photo_the_rendition_cache_holds(sample, tmp_path, monkeypatch):
    store, _article = sample
    article = _with_png(store)
    settings = SiteSettings()
    shas = [link.photo.sha256 for link in article.photos]
    # What importing the photos did already: their renditions are in the cache.
    assert prepare_renditions(store, tmp_path / "cache", shas, long_side=settings.rendition_width).made == 2
    cache_files = {file: (file.stat().st_ino, file.stat().st_mtime_ns) for file in (tmp_path / "cache").rglob("*")}
    decodes = []
    real = preview_site.make_web_rendition
    monkeypatch.setattr(preview_site, "make_web_rendition", lambda *a, **k: decodes.append(1) or real(*a, **k))

    preview = PreviewSite(tmp_path / "preview", cache_dir=tmp_path / "cache")
    page = preview.render(PortalRenderer(settings), article)
    assert page.missing == [] and decodes == []
    assert {file: (file.stat().st_ino, file.stat().st_mtime_ns) for file in (tmp_path / "cache").rglob("*")} == cache_files
    for path in _uploads(page.html):  # the cache's own file, hard-linked into the preview folder
        placed = (tmp_path / "preview" / path).stat()
        assert any(placed.st_ino == inode for inode, _mtime in cache_files.values())


def test_a_photo_that_cannot_be_made_is_named_and_the_others_are_made(sample, tmp_path):
    store, _article = sample
    article = _with_png(store)
    settings = SiteSettings()
    preview = PreviewSite(tmp_path / "preview", cache_dir=tmp_path / "cache")
    tasks = preview.render(PortalRenderer(settings), article).missing
    ghost = tasks[0]._replace(key="f" * 64, sha256="0" * 64)
    made, failed = preview.make_renditions(store, [ghost, *tasks], settings.rendition_width)
    assert len(made) == 2 and list(failed) == ["f" * 64]
    assert "no photo" in failed["f" * 64]


def test_a_cache_folder_that_cannot_be_written_still_gives_the_photos(sample, tmp_path):
    store, _article = sample
    article = _with_png(store)
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder")
    settings = SiteSettings()
    preview = PreviewSite(tmp_path / "preview", cache_dir=blocker)
    tasks = preview.render(PortalRenderer(settings), article).missing
    assert len(preview.make_renditions(store, tasks, settings.rendition_width)[0]) == 2
    page = preview.render(PortalRenderer(settings), article)
    assert page.missing == [] and page.failed == {}  # held for the session instead of asked for again
    assert all((tmp_path / "preview" / path).is_file() for path in _uploads(page.html))


def test_page_location_and_large_pages(sample, tmp_path):
    _store, article = sample
    site = PreviewSite(tmp_path / "preview", cache_dir=tmp_path / "cache")
    assert site.page_file(article) == tmp_path / "preview" / "gsyl" / "lzgs" / "4709.html"
    draft = replace(article, number=None)
    written = site.write_page(draft, "<p>预览</p>")
    assert written == tmp_path / "preview" / "preview" / f"{article.uuid}.html"
    assert written.read_text(encoding="utf-8") == "<p>预览</p>"


def test_a_photo_name_that_would_leave_the_folder_is_refused(sample, tmp_path):
    _store, article = sample
    link = article.photos[0]
    evil = replace(article, photos=(replace(link, photo=replace(link.photo, web_name="../../../etc/x")),))
    with pytest.raises(ValidationError):
        PreviewSite(tmp_path / "preview", cache_dir=tmp_path / "cache").render(PortalRenderer(SiteSettings()), evil)


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ValidationError, match="cannot create"):
        PreviewSite(blocker / "preview", cache_dir=tmp_path / "cache").sync_static()


def _photographic_png(width: int = 320, height: int = 240) -> bytes:
    """An opaque PNG of photographic pixels (thousands of colours): its rendition is a JPEG."""
    image = Image.frombytes("RGB", (width, height), random.Random(20).randbytes(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# Each article carries one kind of photo, so a wrong extension for that kind cannot hide behind
# another photo's right one: a JPEG, a transparent PNG graphic (its rendition stays PNG), and an
# opaque photographic PNG (its rendition is a JPEG, so its path is .jpg like the export's).
PHOTO_KINDS = {
    "jpeg": (lambda: jpeg_bytes(900, 600), "JPEG", (900, 600), ".jpg"),
    "png-graphic": (lambda: png_bytes(300, 200), "PNG", (300, 200), ".png"),
    "png-photo": (_photographic_png, "PNG", (320, 240), ".jpg"),
}


@pytest.mark.parametrize("warm", ["export", "preview"])
def test_an_article_of_each_photo_kind_previews_as_it_exports(sample, tmp_path, warm):
    """The page the preview loads equals the exported file byte for byte, for a JPEG article and
    a PNG one, whichever of the two made the renditions first (the other takes them from the cache)."""
    store, sample_article = sample
    settings = SiteSettings()
    articles = {"sample": sample_article}  # 4709 and its camera JPEG: exported with the others
    for hour, (kind, (make, fmt, (width, height), _extension)) in enumerate(PHOTO_KINDS.items()):
        photo = store.photos.add_photo(make(), format=fmt, width=width, height=height, caption=f"{kind}图",
                                       original_name=f"{kind}.{fmt.lower()}")
        articles[kind] = publish(store, 100 + hour, "gsyl/lzgs", hour=hour, photos=(photo,))
    preview = PreviewSite(tmp_path / "preview", cache_dir=tmp_path / "cache")
    if warm == "export":
        SiteExporter(store, settings, tmp_path / "site", cache_dir=tmp_path / "cache").run()
    else:
        for article in articles.values():
            missing = preview.render(PortalRenderer(settings), article).missing
            assert preview.make_renditions(store, missing, settings.rendition_width)[1] == {}

    pages = {kind: preview.render(PortalRenderer(settings), article) for kind, article in articles.items()}
    if warm == "preview":
        assert SiteExporter(store, settings, tmp_path / "site", cache_dir=tmp_path / "cache").run().renditions_made == 0
    for kind, page in pages.items():
        assert page.missing == [] and page.failed == {}
        exported = tmp_path / "site" / "gsyl" / "lzgs" / f"{articles[kind].number}.html"
        assert page.html.encode("utf-8") == exported.read_bytes(), kind
        [linked] = _uploads(page.html)
        assert linked.endswith(PHOTO_KINDS[kind][3] if kind in PHOTO_KINDS else ".jpg"), (kind, linked)
        assert (tmp_path / "preview" / linked).read_bytes() == (tmp_path / "site" / linked).read_bytes()
