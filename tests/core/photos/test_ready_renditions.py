"""Renditions made when photos come in: the export then only copies them (and makes what is missing)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from dayuan_desktop.core.photos.ready_renditions import prepare_renditions
from tests.core.export.sitekit import (
    SMALL_SITE,
    add_photo,
    export,
    open_sqlite_store,
    publish,
    set_photo_caption,
    site_files,
)
from tests.core.photos.photokit import save
from tests.helpers import run_cli


def two_photo_site(tmp_path: Path):
    store = open_sqlite_store(tmp_path / "db" / "x.sqlite3")
    store.create_channel("news")
    first = add_photo(store, 2000, 1500, caption="卡口查验", photographer="马向英")
    second = add_photo(store, 1600, 1200, color=(20, 90, 200), caption="志愿者", photographer="李明")
    publish(store, 1, "news", hour=1, photos=(first, second))
    return store, first, second


def test_an_export_after_prepare_makes_no_rendition_and_ships_the_prepared_bytes(tmp_path):
    store, first, second = two_photo_site(tmp_path)
    cache = tmp_path / "cache"
    report = prepare_renditions(store, cache, [first.sha256, second.sha256], long_side=SMALL_SITE.rendition_width)
    assert (report.made, report.already, report.failed) == (2, 0, {})

    exported = export(store, tmp_path / "site", cache_dir=cache)
    assert exported.renditions_made == 0
    uploads = {path: data for path, data in site_files(tmp_path / "site").items() if path.startswith("uploads/")}
    assert len(uploads) == 2

    # The same bytes as an export that had to make them itself (an empty cache).
    cold = export(store, tmp_path / "site-cold", cache_dir=tmp_path / "cold-cache")
    assert cold.renditions_made == 2
    assert uploads == {p: d for p, d in site_files(tmp_path / "site-cold").items() if p.startswith("uploads/")}


def test_prepare_twice_makes_nothing_new_and_an_edited_caption_makes_one_again(tmp_path):
    store, first, second = two_photo_site(tmp_path)
    cache, side = tmp_path / "cache", SMALL_SITE.rendition_width
    prepare_renditions(store, cache, [first.sha256, second.sha256], long_side=side)
    again = prepare_renditions(store, cache, [first.sha256, second.sha256, first.sha256], long_side=side)
    assert (again.made, again.already) == (0, 2)

    set_photo_caption(store, first.sha256, "编辑改过的说明")
    after_edit = prepare_renditions(store, cache, [first.sha256, second.sha256], long_side=side)
    assert (after_edit.made, after_edit.already) == (1, 1)
    assert export(store, tmp_path / "site", cache_dir=cache).renditions_made == 0


def test_unknown_and_undecodable_photos_are_listed_not_raised(tmp_path):
    store, first, _second = two_photo_site(tmp_path)
    # Stored bytes that no longer decode (a damaged database): the import that follows is not undone.
    broken = store.photos.add_photo(save_truncated(), format="JPEG", width=1600, height=1200, caption="坏图",
                             photographer="某人", original_name="broken.jpg")
    report = prepare_renditions(store, tmp_path / "cache", ["0" * 64, broken.sha256, first.sha256],
                                long_side=SMALL_SITE.rendition_width)
    assert report.made == 1
    assert report.failed["0" * 64] == "not in the photo library"
    assert broken.sha256 in report.failed and report.failed[broken.sha256]


def save_truncated() -> bytes:
    return save(Image.new("RGB", (1600, 1200), (90, 90, 90)), "JPEG", quality=90)[:700]


def test_cli_photo_add_prepares_the_rendition_the_export_then_uses(capsys, tmp_path):
    from dayuan_desktop.core.config import load_settings

    db = ["--db", str(tmp_path / "cli.sqlite3")]
    photo = tmp_path / "p.jpg"
    photo.write_bytes(save(Image.new("RGB", (1600, 1200), (170, 40, 40)), "JPEG", quality=90))
    assert run_cli(capsys, *db, "sample")[0] == 0
    code, _out, err = run_cli(capsys, *db, "photo", "add", "4709", str(photo), "--caption", "卡口", "--by", "马向英")
    assert code == 0, err
    [prepared] = list((load_settings().cache_dir / "renditions").rglob("*.img"))

    code, out, err = run_cli(capsys, *db, "export", "--out", str(tmp_path / "site"))
    assert code == 0, err
    shipped = [p for p in (tmp_path / "site" / "uploads").rglob("*.jpg") if p.read_bytes() == prepared.read_bytes()]
    assert len(shipped) == 1


def test_thumbnails_are_made_from_the_rendition_when_it_is_big_enough(tmp_path):
    from dayuan_desktop.core.photos.rendition_cache import RenditionCache, rendition_key
    from dayuan_desktop.core.photos.renditions import RenditionText
    from dayuan_desktop.core.photos.thumbnails import ThumbnailCache, make_thumbnail

    store, first, second = two_photo_site(tmp_path)
    thumbnails = ThumbnailCache(tmp_path / "cache")
    prepare_renditions(store, tmp_path / "cache", [first.sha256], long_side=1200, thumbnails=thumbnails)
    rendition = RenditionCache(tmp_path / "cache").lookup(
        rendition_key(first.sha256, 1200, RenditionText.of_photo(store.photos.get_photo(first.sha256))))
    kept = thumbnails.path_for(first.sha256).read_bytes()
    assert kept == make_thumbnail(rendition.data)
    with Image.open(thumbnails.path_for(first.sha256)) as image:
        assert max(image.size) == 256 and image.size == (256, 192)  # 2000 x 1500 original, upright
    # A rendition smaller than a thumbnail is no source: nothing is made from it.
    prepare_renditions(store, tmp_path / "cache", [second.sha256], long_side=200, thumbnails=thumbnails)
    assert not thumbnails.path_for(second.sha256).exists()


def test_originals_the_caller_holds_are_not_read_from_the_store_again(tmp_path, monkeypatch):
    store, first, second = two_photo_site(tmp_path)
    reads: list[str] = []
    real = store.photos.photo_bytes
    monkeypatch.setattr(store.photos, "photo_bytes", lambda sha: reads.append(sha) or real(sha))
    held = {first.sha256: real(first.sha256)}
    report = prepare_renditions(store, tmp_path / "cache", [first.sha256, second.sha256], long_side=1200,
                                originals=held)
    assert report.made == 2 and reads == [second.sha256]
