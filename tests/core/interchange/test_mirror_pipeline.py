"""``import DIR`` through the batch import (worker processes read the pages and their photos, one
writer writes many pages per transaction): the same articles, numbers, photos, channels, search
hits and web renditions as importing the mirror page by page, and bad pages and images among
good ones failing (or left out) alone, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import shutil
from contextlib import nullcontext
from pathlib import Path

import pytest
from sqlalchemy import text

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.interchange import import_pipeline, import_prepare_page
from dayuan_desktop.core.interchange.import_pipeline import ImportOptions, import_items
from dayuan_desktop.core.interchange.mirror_import import MirrorReport, import_mirror
from dayuan_desktop.core.interchange.portal_pages import import_portal_page
from dayuan_desktop.core.interchange.site_mirror import scan_mirror
from dayuan_desktop.core.photos.incoming import WebRenditions
from dayuan_desktop.core.site import load_site_settings
from dayuan_desktop.core.store import Store
from tests.conftest import _fresh_postgres_database
from tests.core.interchange.mirror_site import HOST, build_mirror, set_image
from tests.helpers import jpeg_bytes

QUERIES = ["党旗飘扬", "生成的文章", "第4张图的说明", "赵六", "山西大院", "钢铁长城", "图书馆里的说明", "第10篇正文"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    return build_mirror(tmp_path_factory.mktemp("built"), generated=11)


@pytest.fixture
def mirror(built, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built[0], tmp_path / "mirror", symlinks=True))


@pytest.fixture
def reference(backend, request, tmp_path) -> Store:
    """A second fresh database on the same backend, for the page-by-page import."""
    fresh = (nullcontext(str(tmp_path / "reference.sqlite3")) if backend == "sqlite"
             else _fresh_postgres_database(request.getfixturevalue("postgres_server")))
    with fresh as url:
        database = open_database(url, backup_dir=tmp_path / "reference-backups")
        store = Store(database, user_name="tester")
        store.ensure_search_index()
        try:
            yield store
        finally:
            database.dispose()


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(import_pipeline, "BATCH", 4)  # batch boundaries among the mirror's 14 pages


def page_by_page(store: Store, folder: Path, renditions: WebRenditions) -> MirrorReport:
    """``import DIR`` as it was before the batch import: each page on its own (``import_portal_page``)."""
    from dayuan_desktop.core.interchange.mirror_import import _known, _numbers_in

    site = load_site_settings(store.db)
    scan = scan_mirror(folder)
    report = MirrorReport(scan)
    known = _numbers_in(store)
    for page in scan.pages:
        outcome = _known(page, known) or import_portal_page(
            store, page.path, create_channels=True, site=site, renditions=renditions, mirror=page.context,
            channel_names=scan.channel_names)
        if outcome.ok and outcome.article.number is not None:
            known[outcome.article.number] = outcome.article.title
        report.outcomes.append(outcome)
    return report


def _image_of(page: Path) -> tuple[Path, str]:
    """The file of a mirrored page's first image, and its address name (``2024/01/ab…``)."""
    src = re.search(r'<img src="([^"]+)"', page.read_text(encoding="utf-8")).group(1)
    file = (page.parent / src).resolve()
    return file, re.search(r"uploads/([0-9]{4}/[0-9]{2}/[0-9a-f]+)-", src).group(1)


def _library_first(store: Store, mirror: Path) -> None:
    """What a newsroom's library may hold already: one of the mirror's photos under another caption,
    and another photo holding the address name one of the mirror's photos had."""
    host = mirror / HOST
    kept, _ = _image_of(host / "gsyl" / "6000.html")
    store.photos.add_photo(kept.read_bytes(), format="JPEG", width=480, height=320, caption="图书馆里的说明",
                           photographer="图书馆")
    _, taken = _image_of(host / "news" / "local" / "6002.html")
    store.photos.add_photo(jpeg_bytes(64, 64, (1, 2, 3)), format="JPEG", width=64, height=64, web_name=taken)


def _articles(store: Store) -> dict[int, tuple]:
    """number → everything a user sees of the article, its photos and its first revision."""
    found = {}
    for a in store.all_articles():
        photos = tuple((p.photo.sha256, p.photo.caption, p.photo.photographer, p.photo.web_name, p.position,
                        p.is_lead) for p in a.photos)
        [revision] = store.list_revisions(a.id)
        found[a.number] = (a.uuid, a.title, a.subtitle, a.author, a.source, a.summary, a.body, a.status,
                           a.channel_path, a.published_at, tuple(a.tags), a.comment_count, a.like_count,
                           a.view_count, photos, revision.kind, revision.snapshot)
    return found


def _library(store: Store) -> list[tuple]:
    with store.db.session() as session:
        return session.execute(text("SELECT sha256, caption, photographer, web_name, original_name FROM photos "
                                    "ORDER BY sha256")).all()


def _hits(store: Store) -> dict[str, list[str]]:
    return {q: sorted(s.title for s in store.search(q, limit=200)) for q in QUERIES}


@pytest.mark.parametrize("large_photos", [False, True], ids=["photos-batched", "large-photos-one-page-at-a-time"])
def test_the_batch_import_gives_what_the_page_by_page_import_gave(store, reference, mirror, tmp_path,
                                                                   small_batches, caplog, monkeypatch, large_photos):
    workers = 2
    if large_photos:  # every photo counts as large: its page is imported on its own, in its place
        monkeypatch.setattr(import_prepare_page, "BATCHED_PHOTO_BYTES", 0)
        workers = 0  # read here, where the limit is changed
    for each in (store, reference):
        _library_first(each, mirror)
    old = page_by_page(reference, mirror, WebRenditions(tmp_path / "old-cache", 1200))
    new = import_mirror(store, mirror, renditions=WebRenditions(tmp_path / "new-cache", 1200), workers=workers)
    assert "importing them one at a time" not in caplog.text  # every batch went in whole
    assert new.summary() == old.summary() == "14 imported, 0 failed, 0 already imported, 12 skipped (1 home, 11 list)"
    assert [(o.path, o.warnings, o.not_rendered) for o in new.outcomes] == [
        (o.path, o.warnings, o.not_rendered) for o in old.outcomes]
    warnings = [w for o in new.outcomes for w in o.warnings]
    assert any("its caption there is kept" in w for w in warnings)
    assert any("belongs to another photo" in w for w in warnings)
    articles = _articles(store)
    assert articles == _articles(reference)
    assert sum(len(a[14]) for a in articles.values()) >= 14  # the photos came along
    assert [(c.path, c.name) for c in store.list_channels()] == [(c.path, c.name) for c in reference.list_channels()]
    assert _library(store) == _library(reference)
    hits = _hits(store)
    assert hits == _hits(reference)
    assert [q for q, found in hits.items() if not found] == []
    # The web renditions the export will ask for, made during the import (by the workers); when
    # batched, one more, unused: the photo whose library caption was kept also got one for its
    # caption on the page (a rendition and its record).
    made = {p.name for p in (tmp_path / "new-cache").rglob("*") if p.is_file()}
    before = {p.name for p in (tmp_path / "old-cache").rglob("*") if p.is_file()}
    assert before and before <= made and len(made - before) == (0 if large_photos else 2)


def test_bad_pages_and_a_hostile_image_among_good_pages_fail_alone(store, mirror, tmp_path, small_batches):
    host = mirror / HOST
    good = (host / "gsyl" / "6000.html").read_text(encoding="utf-8")
    (host / "gsyl" / "9004.html").write_text(good.replace("6000", "9004")[: len(good) // 2], encoding="utf-8")
    (host / "uploads" / "bomb.png").write_bytes(_png_bomb())
    set_image(host / "gsyl" / "6003.html", 0, "/uploads/bomb.png")
    (host / "uploads" / "junk.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20)
    set_image(host / "gsyl" / "lzgs" / "6001.html", 0, "/uploads/junk.jpg")
    report = import_mirror(store, mirror, renditions=WebRenditions(tmp_path / "cache", 1200), workers=2)
    failed = [o.error for o in report.outcomes if not o.ok]
    assert len(failed) == 1 and failed[0].startswith(str(host / "gsyl" / "9004.html")) and "truncated" in failed[0]
    assert report.imported == 14 and report.failed == 1
    for number, why in ((6003, "decompression bomb"), (6001, "junk.jpg")):
        [outcome] = [o for o in report.outcomes if o.ok and o.article.number == number]
        assert outcome.article.photos == ()
        assert any(why in w and "left out" in w for w in outcome.warnings), outcome.warnings
    assert store.count_articles() == 14


def test_portal_files_given_one_by_one_fail_alone_by_name(store, mirror, small_batches):
    """``import FILE…`` of portal pages (not a mirror): a page whose image is bad fails whole, named."""
    host = mirror / HOST
    (host / "uploads" / "junk.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20)
    set_image(host / "gsyl" / "6003.html", 0, "../uploads/junk.jpg")
    (host / "gsyl" / "9001.html").write_bytes(bytes(range(256)) * 40)
    pages = sorted(p for p in host.rglob("*.html") if p.stem.isdigit())
    outcomes = list(import_items(store, pages, ImportOptions(create_channels=True, workers=2)))
    failed = {o.path.name: o.error for o in outcomes if not o.ok}
    assert set(failed) == {"6003.html", "9001.html"}, failed
    assert all(error.startswith(str(host)) for error in failed.values())
    assert store.count_articles() == len(pages) - 2
    with store.db.session() as session:  # the failed page's other photos were not stored either
        assert session.execute(text("SELECT count(*) FROM article_photos")).scalar() == sum(
            len(o.article.photos) for o in outcomes if o.ok)


def _png_bomb() -> bytes:
    """A small PNG declaring 20,000 × 20,000 pixels (400 megapixels): a decompression bomb."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 20_000, 20_000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(
        b"IEND", b"")
