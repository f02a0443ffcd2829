"""Renditions as the export makes them: the library's texts, PNG kept as .png, the rendition cache.

Real photos (Pillow) in a real SQLite store, exported into real folders; the renditions are
opened and their XMP/EXIF read as a visitor's browser or a picture desk would.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

from dayuan_desktop.core.photos.rendition_cache import CACHE_FOLDER
from dayuan_desktop.core.photos.xmp import parse_xmp
from dayuan_desktop.core.records import PhotoRecord
from dayuan_desktop.core.store import Store
from tests.core.export.sitekit import (
    add_photo,
    export,
    open_sqlite_store,
    publish,
    raw_sql,
    set_photo_caption,
    site_files,
)
from tests.core.photos.photokit import jpeg, xmp_packet

PAGE = "news/1.html"


def credit_of(data: bytes) -> tuple[str, tuple[str, ...], str, str, str]:
    """(XMP caption, XMP creators, XMP rights, EXIF Artist, EXIF Copyright) of a rendition."""
    with Image.open(io.BytesIO(data)) as image:
        xmp = parse_xmp(image.info["xmp"] if "xmp" in image.info else image.info["XML:com.adobe.xmp"])
        exif = image.getexif()
        artist = exif.get(0x013B, b"")
        rights = exif.get(0x8298, b"")
    def decode(value: str | bytes) -> str:  # EXIF "ASCII" holding UTF-8; Pillow reads it as Latin-1
        return (value.encode("latin-1") if isinstance(value, str) else value).decode("utf-8")

    return xmp.description, xmp.creators, xmp.rights, decode(artist), decode(rights)


def png_photo(store: Store, *, transparent: bool) -> PhotoRecord:
    """A 1600 x 800 PNG: a logo on a clear ground, or an opaque photo-like picture."""
    if transparent:
        image = Image.new("RGBA", (1600, 800), (0, 0, 0, 0))
        image.paste((200, 30, 30, 255), (400, 200, 1200, 600))
    else:
        image = Image.merge("RGB", [Image.effect_noise((1600, 800), sigma) for sigma in (40, 50, 60)])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return store.photos.add_photo(buffer.getvalue(), format="PNG", width=1600, height=800, caption="标志",
                           photographer="美编", original_name="logo.png")


def one_article_site(tmp_path: Path, photo_maker) -> tuple[Store, PhotoRecord]:
    store = open_sqlite_store(tmp_path / "db" / "x.sqlite3")
    store.create_channel("news")
    photo = photo_maker(store)
    publish(store, 1, "news", hour=1, photos=(photo,))
    return store, photo


def rendition_of(files: dict[str, bytes]) -> tuple[str, bytes]:
    [(path, data)] = [(path, data) for path, data in files.items() if path.startswith("uploads/")]
    return path, data


# -- the library's texts travel with the rendition ---------------------------------------------------
def test_an_edited_caption_reaches_the_rendition_on_the_next_incremental_export(tmp_path):
    store, photo = one_article_site(
        tmp_path, lambda s: add_photo(s, 2000, 1500, caption="原来的说明", photographer="马向英"))
    out, cache = tmp_path / "site", tmp_path / "cache"
    export(store, out, cache_dir=cache)
    path, data = rendition_of(site_files(out))
    assert credit_of(data)[:2] == ("原来的说明", ("马向英",))

    set_photo_caption(store, photo.sha256, "编辑改过的说明")
    store.photos.set_photo_text(photo.sha256, photographer="王宏伟")
    raw_sql(store, "UPDATE photos SET copyright = '©大院网' WHERE sha256 = :sha", sha=photo.sha256)
    report = export(store, out, cache_dir=cache)
    assert path in report.written and PAGE in report.written
    assert credit_of((out / path).read_bytes()) == ("编辑改过的说明", ("王宏伟",), "©大院网", "王宏伟", "©大院网")
    assert export(store, out, cache_dir=cache).written == []  # and then it stays put


def test_the_rendition_carries_the_library_text_not_the_file_text(tmp_path):
    # The camera file says one thing; the editor corrected caption and photographer at import.
    original = jpeg(1600, 1200, xmp=xmp_packet(description="相机里的旧说明", creator="旧署名"))

    def corrected(store: Store) -> PhotoRecord:
        return store.photos.add_photo(original, format="JPEG", width=1600, height=1200, caption="卡口查验",
                               photographer="李明", original_name="camera.jpg")

    store, _photo = one_article_site(tmp_path, corrected)
    export(store, tmp_path / "site", cache_dir=tmp_path / "cache")
    _path, data = rendition_of(site_files(tmp_path / "site"))
    assert credit_of(data)[:2] == ("卡口查验", ("李明",))
    assert "旧说明".encode() not in data and "旧署名".encode() not in data


# -- PNG renditions are .png ----------------------------------------------------------------------
def test_a_transparent_png_is_exported_as_png_under_a_png_name(tmp_path):
    store, photo = one_article_site(tmp_path, lambda s: png_photo(s, transparent=True))
    out = tmp_path / "site"
    export(store, out, cache_dir=tmp_path / "cache")
    path, data = rendition_of(site_files(out))
    assert path.endswith(f"{photo.web_name}-1200.png")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.mode == "RGBA" and image.size == (1200, 600)
        assert image.getpixel((10, 10))[3] == 0  # the clear ground stays clear
    html = (out / PAGE).read_text(encoding="utf-8")
    assert f'src="../{path}"' in html and ".jpg" not in html
    # Again with the cache emptied: the name is the same (the format is found out again, not guessed).
    for file in (tmp_path / "cache").rglob("*"):
        if file.is_file():
            file.unlink()
    assert export(store, tmp_path / "site2", cache_dir=tmp_path / "cache") and (tmp_path / "site2" / path).is_file()


def test_an_opaque_png_photo_becomes_a_jpg(tmp_path):
    store, _photo = one_article_site(tmp_path, lambda s: png_photo(s, transparent=False))
    export(store, tmp_path / "site", cache_dir=tmp_path / "cache")
    path, data = rendition_of(site_files(tmp_path / "site"))
    assert path.endswith("-1200.jpg") and data[:3] == b"\xff\xd8\xff"


# -- the rendition cache ---------------------------------------------------------------------------
def cache_entries(cache: Path) -> list[Path]:
    return sorted((cache / CACHE_FOLDER).rglob("*.img"))


def test_a_new_export_folder_takes_renditions_from_the_cache_byte_for_byte(tmp_path):
    store, _photo = one_article_site(tmp_path, lambda s: add_photo(s, 2000, 1500, caption="说明", photographer="李明"))
    cache = tmp_path / "cache"
    export(store, tmp_path / "first", cache_dir=cache)
    [entry] = cache_entries(cache)
    made_at = entry.stat().st_mtime_ns
    export(store, tmp_path / "second", cache_dir=cache)
    first, second = site_files(tmp_path / "first"), site_files(tmp_path / "second")
    assert first == second  # every page and the rendition, byte for byte
    path, data = rendition_of(second)
    assert entry.read_bytes() == data and entry.stat().st_mtime_ns == made_at  # used, not made again
    # Same file system here, so the rendition is a hard link to the cache entry, not a copy.
    assert (tmp_path / "second" / path).stat().st_ino == entry.stat().st_ino
    assert (tmp_path / "second" / path).stat().st_mode & 0o444 == 0o444  # readable by the web server


def test_a_damaged_cache_entry_is_made_again(tmp_path):
    store, _photo = one_article_site(tmp_path, lambda s: add_photo(s, 2000, 1500, caption="说明", photographer="李明"))
    cache = tmp_path / "cache"
    export(store, tmp_path / "first", cache_dir=cache)
    good = rendition_of(site_files(tmp_path / "first"))[1]
    [entry] = cache_entries(cache)
    os.unlink(tmp_path / "first" / rendition_of(site_files(tmp_path / "first"))[0])  # drop the hard link
    entry.write_bytes(good[: len(good) // 2])  # truncated in place
    export(store, tmp_path / "second", cache_dir=cache)
    assert rendition_of(site_files(tmp_path / "second"))[1] == good
    assert entry.read_bytes() == good  # the entry itself was repaired
    entry.with_suffix(".json").write_text("{not json")
    export(store, tmp_path / "third", cache_dir=cache)
    assert rendition_of(site_files(tmp_path / "third"))[1] == good


def test_editing_the_caption_makes_a_new_cache_entry(tmp_path):
    store, photo = one_article_site(tmp_path, lambda s: add_photo(s, 2000, 1500, caption="说明", photographer="李明"))
    cache = tmp_path / "cache"
    export(store, tmp_path / "site", cache_dir=cache)
    set_photo_caption(store, photo.sha256, "新说明")
    export(store, tmp_path / "site", cache_dir=cache)
    assert len(cache_entries(cache)) == 2
    assert credit_of(rendition_of(site_files(tmp_path / "site"))[1])[0] == "新说明"


def test_an_export_still_works_when_the_cache_folder_cannot_be_written(tmp_path):
    store, _photo = one_article_site(tmp_path, lambda s: add_photo(s, 2000, 1500, caption="说明", photographer="李明"))
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    report = export(store, tmp_path / "site", cache_dir=blocked)
    path, data = rendition_of(site_files(tmp_path / "site"))
    assert path in report.written and credit_of(data)[0] == "说明"


def test_link_or_write_falls_back_to_writing_and_never_follows_a_planted_link(tmp_path):
    from dayuan_desktop.core.export.output import TEMP_MARK, OutputFolder

    out = OutputFolder(tmp_path / "site")
    assert out.link_or_write("uploads/a.jpg", tmp_path / "gone.img", b"bytes") is False  # source missing: written
    assert (tmp_path / "site" / "uploads" / "a.jpg").read_bytes() == b"bytes"
    source = tmp_path / "cached.img"
    source.write_bytes(b"cached")
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    (tmp_path / "site" / "uploads" / f"{TEMP_MARK}{os.getpid()}-b.jpg").symlink_to(victim)
    assert out.link_or_write("uploads/b.jpg", source, b"cached") is True
    assert (tmp_path / "site" / "uploads" / "b.jpg").read_bytes() == b"cached" and victim.read_bytes() == b"keep me"


def test_a_png_rendition_made_while_planning_is_used_even_when_the_cache_cannot_keep_it(tmp_path):
    store, _photo = one_article_site(tmp_path, lambda s: png_photo(s, transparent=True))
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    export(store, tmp_path / "site", cache_dir=blocked)
    path, data = rendition_of(site_files(tmp_path / "site"))
    assert path.endswith("-1200.png") and data.startswith(b"\x89PNG")
