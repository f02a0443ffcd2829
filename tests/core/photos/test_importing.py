"""Importing photo files: identity, unchanged originals, sizes, metadata into the store, and every bad
input of issue 4 giving a clear error or a correct result, with nothing half-stored."""

from __future__ import annotations

import hashlib
import struct
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from dayuan_desktop.core.errors import NotFoundError, ValidationError
from dayuan_desktop.core.models import Article, ArticlePhoto, Photo
from dayuan_desktop.core.photos import (
    MAX_FILE_BYTES,
    add_photos_to_article,
    import_photo,
    make_web_rendition,
    read_photo,
)
from tests.core.photos.photokit import (
    exif_bytes,
    iptc_block,
    jpeg,
    near,
    save,
    tiff_16bit_rgb,
    with_iptc,
    xmp_packet,
)

CAPTION = "防控人员在道路卡口逐一查验过往车辆"


def counts(store) -> tuple[int, int, int]:
    """(photos, article-photo links, articles) in the store."""
    with store.db.session() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) for model in (Photo, ArticlePhoto, Article))


def refused(source, match: str) -> ValidationError:
    with pytest.raises(ValidationError, match=match) as caught:
        read_photo(source)
    assert "\n" not in str(caught.value)  # one line for the command line and the window
    return caught.value


def refused_by_store(store, path: Path, match: str) -> None:
    """The error is clear and the store holds exactly what it held before."""
    before = counts(store)
    with pytest.raises(ValidationError, match=match):
        import_photo(store, path)
    assert counts(store) == before


# -- good files ----------------------------------------------------------------------------------
def test_import_stores_the_original_once_with_its_metadata(store, tmp_path):
    data = with_iptc(
        jpeg(1600, 1200, exif=exif_bytes(taken="2022:12:13 14:46:28", offset="+08:00", gps=True),
             xmp=xmp_packet(description=CAPTION, creator="马向英", subjects=("防控", "疫情"))),
        iptc_block("旧说明", "旧名字", credit="大同日报", copyright="©大同日报社"),
    )
    path = tmp_path / "checkpoint.jpg"
    path.write_bytes(data)
    first = import_photo(store, path)
    again = import_photo(store, path)
    photo = first.photo
    assert photo.sha256 == hashlib.sha256(data).hexdigest() == again.photo.sha256
    assert counts(store)[0] == 1  # the same file twice: one photo
    assert store.photos.photo_bytes(photo.sha256) == data  # the original bytes, unchanged (GPS and all)
    assert (photo.format, photo.width, photo.height, photo.byte_size) == ("JPEG", 1600, 1200, len(data))
    assert (photo.caption, photo.photographer) == (CAPTION, "马向英")
    assert (photo.credit, photo.copyright) == ("大同日报", "©大同日报社")  # XMP had none: IPTC's
    assert photo.taken_at == datetime(2022, 12, 13, 6, 46, 28, tzinfo=UTC)
    assert photo.original_name == "checkpoint.jpg"
    assert [p.code for p in first.problems] == ["gps_present"]
    with store.db.session() as session:
        assert session.scalar(select(Photo.keywords)) == ["防控", "疫情"]


def test_given_caption_and_photographer_override_the_file_even_for_a_stored_photo(store):
    data = jpeg(xmp=xmp_packet(description=CAPTION, creator="马向英"))
    import_photo(store, data)
    changed = import_photo(store, data, caption="新的说明", photographer="王宏伟").photo
    assert (changed.caption, changed.photographer) == ("新的说明", "王宏伟")
    kept = import_photo(store, data).photo  # no values given: the stored (edited) texts stay
    assert (kept.caption, kept.photographer) == ("新的说明", "王宏伟")
    assert counts(store)[0] == 1


def test_width_and_height_are_as_shown_after_exif_orientation(store):
    for orientation, size in ((1, (1600, 1200)), (3, (1600, 1200)), (6, (1200, 1600)), (8, (1200, 1600)),
                              (5, (1200, 1600))):
        photo = read_photo(jpeg(1600, 1200, exif=exif_bytes(orientation=orientation)))
        assert (photo.width, photo.height) == size, orientation
    stored = import_photo(store, jpeg(1600, 1200, exif=exif_bytes(orientation=6))).photo
    assert (stored.width, stored.height) == (1200, 1600)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "TIFF", "GIF"])
def test_other_allowed_formats(fmt):
    image = Image.new("RGB", (900, 600), (20, 90, 160))
    photo = read_photo(save(image, fmt))
    assert (photo.format, photo.width, photo.height, photo.frames) == (fmt, 900, 600, 1)


# -- bad input, each its own test -------------------------------------------------------------------
def test_zero_byte_file(store, tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    refused(path, "empty.jpg is empty")
    refused_by_store(store, path, "empty")


def test_text_renamed_jpg(store, tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("这不是照片,是一段文字。\n", encoding="utf-8")
    refused(path, r"notes.jpg is not an image file .*JPEG, PNG, WebP, TIFF or GIF")
    refused_by_store(store, path, "not an image")


def test_truncated_jpeg(store, tmp_path):
    path = tmp_path / "cut.jpg"
    whole = save(Image.effect_noise((1200, 900), 60).convert("RGB"), "JPEG", quality=90)
    path.write_bytes(whole[: len(whole) // 2])
    refused(path, "cut.jpg is damaged and cannot be decoded")
    refused_by_store(store, path, "damaged")


def _png_header_only(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    idat = zlib.compress(b"\x00" * 1000)
    return (b"\x89PNG\r\n\x1a\n" + chunk + struct.pack(">I", len(idat)) + b"IDAT" + idat
            + struct.pack(">I", zlib.crc32(b"IDAT" + idat)) + b"\x00\x00\x00\x00IEND\xaeB`\x82")


def test_decompression_bomb_png(store, tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(100_000, 100_000))
    started = time.perf_counter()
    refused(path, "decompression bomb")
    assert time.perf_counter() - started < 1  # refused from the header, nothing decoded
    refused_by_store(store, path, "decompression bomb")


def test_decompression_bomb_over_our_limit_but_under_pillows():
    error = refused(_png_header_only(12_000, 11_000), "decompression bomb")
    assert "12000×11000" in str(error) and "120 megapixels" in str(error)


def test_decompression_bomb_jpeg_with_a_forged_frame_size():
    data = bytearray(jpeg(64, 48))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 60_000, 60_000)  # height, width
    refused(bytes(data), "decompression bomb")


def test_sixteen_bit_tiff_gives_a_correct_result(store):
    data = tiff_16bit_rgb(64, 8)
    imported = import_photo(store, data, caption="灰阶", photographer="马向英")
    assert (imported.photo.format, imported.photo.width, imported.photo.height) == ("TIFF", 64, 8)
    assert any("16 bits" in note for note in imported.file.notes)
    rendition = make_web_rendition(data)
    with Image.open(__import__("io").BytesIO(rendition.data)) as image:
        assert image.mode in ("RGB", "L")
        assert near(image.convert("RGB").getpixel((63, 4)), (255, 255, 255), 8)
        assert near(image.convert("RGB").getpixel((0, 4)), (0, 0, 0), 8)


def test_sixteen_bit_grey_tiff_is_scaled_not_clipped():
    image = Image.new("I;16", (900, 600), 32768)  # mid grey in 16 bits
    rendition = make_web_rendition(save(image, "TIFF"))
    with Image.open(__import__("io").BytesIO(rendition.data)) as out:
        assert abs(out.convert("L").getpixel((10, 10)) - 128) <= 3


def test_cmyk_jpeg_gives_a_correct_result(store):
    data = jpeg(900, 600, (0, 255, 255, 0), mode="CMYK")  # pure red in CMYK
    imported = import_photo(store, data, caption="红", photographer="马向英")
    assert imported.photo.format == "JPEG"
    assert any("CMYK" in note for note in imported.file.notes)


def _animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (900, 600), color) for color in ((200, 0, 0), (0, 200, 0), (0, 0, 200))]
    return save(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_animated_gif_and_webp_use_the_first_frame_and_say_so(store, fmt):
    data = _animated(fmt)
    imported = import_photo(store, data)
    assert imported.file.frames == 3
    assert any(f"animated {fmt} with 3 frames: only the first is used" in note for note in imported.file.notes)
    rendition = make_web_rendition(data)
    with Image.open(__import__("io").BytesIO(rendition.data)) as image:
        assert near(image.convert("RGB").getpixel((450, 300)), (200, 0, 0), 30)


def test_corrupt_exif_is_ignored_and_the_photo_imported(store):
    garbage = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x05" + bytes(range(7)) + b"\xff" * 40
    data = jpeg(exif=garbage, xmp=xmp_packet(description=CAPTION, creator="马向英"))
    imported = import_photo(store, data)
    assert (imported.photo.caption, imported.photo.photographer) == (CAPTION, "马向英")
    assert imported.photo.width == 1600
    assert any(note.startswith("EXIF") for note in imported.file.notes)


def test_exif_with_offsets_pointing_outside_the_block():
    bad = b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x02\x00\x0e\x01\x02\x00\xff\xff\x00\x00\xf0\xff\xff\x7f" \
          b"\x3b\x01\x02\x00\x10\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x00"
    photo = read_photo(jpeg(exif=bad))
    assert photo.format == "JPEG" and photo.metadata.caption == ""
    assert any("EXIF partly damaged" in note for note in photo.notes)


def test_malformed_xmp_imports_with_a_note(store):
    imported = import_photo(store, jpeg(xmp=b"<x:xmpmeta><rdf:RDF><broken"))
    assert imported.photo.caption == ""
    assert any(note.startswith("XMP ignored") for note in imported.file.notes)


def test_hostile_xmp_is_refused_quickly_and_the_photo_imported(store):
    from tests.core.photos.photokit import BILLION_LAUGHS

    started = time.perf_counter()
    imported = import_photo(store, jpeg(xmp=BILLION_LAUGHS))
    assert time.perf_counter() - started < 2
    assert imported.photo.caption == ""
    assert any("XML bomb" in note for note in imported.file.notes)


def test_a_100_mb_file_is_refused_quickly(store, tmp_path):
    path = tmp_path / "huge.jpg"
    with path.open("wb") as handle:
        handle.write(jpeg(64, 48)[:-2])
        handle.truncate(100 * 2**20)  # sparse: 100 MB on paper, nothing to write
    started = time.perf_counter()
    refused(path, r"huge.jpg is 100 MB; photos over 80 MB are refused")
    refused_by_store(store, path, "100 MB")
    assert time.perf_counter() - started < 1  # refused from the file size, before reading it


def test_a_100_mb_bytes_object_is_refused_quickly():
    data = b"\xff\xd8\xff\xe0" + bytes(100 * 2**20)
    started = time.perf_counter()
    refused(data, "100 MB")
    assert time.perf_counter() - started < 1
    assert len(data) > MAX_FILE_BYTES


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", "AVIF"),
        (b"BM" + bytes(60), "BMP"),
        (b"8BPS" + bytes(60), "Photoshop PSD"),
        (b"%PDF-1.7\n" + bytes(60), "PDF"),
    ],
)
def test_unsupported_formats_say_convert_to_jpeg(head, kind):
    refused(head, rf"is a {kind} file, which is not supported: convert it to JPEG")


def test_a_real_bmp_is_not_supported_either():
    refused(save(Image.new("RGB", (900, 600)), "BMP"), "BMP file, which is not supported: convert it to JPEG")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(NotFoundError, match="gone.jpg not found"):
        read_photo(tmp_path / "gone.jpg")
    refused(tmp_path, "is not a regular file")


# -- nothing half-stored ------------------------------------------------------------------------------
def test_adding_files_to_an_article_with_one_bad_file_stores_nothing(store, tmp_path):
    store.create_channel("news")
    article = store.create_article(title="测试", body="正文。", channel_path="news", number=12)
    good = tmp_path / "good.jpg"
    good.write_bytes(jpeg(xmp=xmp_packet(description=CAPTION, creator="马向英")))
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(good.read_bytes()[:3000])
    before = counts(store)
    with pytest.raises(ValidationError, match="bad.jpg is damaged"):
        add_photos_to_article(store, "12", [good, bad])
    assert counts(store) == before
    assert store.get_article(article.id).body == "正文。"


def test_adding_files_to_an_article(store, tmp_path):
    store.create_channel("news")
    article = store.create_article(title="测试", body="正文。", channel_path="news", number=12)
    first = tmp_path / "a.jpg"
    first.write_bytes(jpeg(xmp=xmp_packet(description=CAPTION, creator="马向英")))
    second = tmp_path / "b.png"
    second.write_bytes(save(Image.new("RGB", (900, 600), (1, 2, 3)), "PNG"))
    result = add_photos_to_article(store, "12", [first, second], photographer="王宏伟")
    shas = [item.photo.sha256 for item in result.photos]
    assert [link.photo.sha256 for link in result.article.photos] == shas
    assert result.article.photos[0].is_lead
    assert [item.photo.photographer for item in result.photos] == ["王宏伟", "王宏伟"]
    assert result.article.body == (f"正文。\n\n![图为{CAPTION}。](photo:{shas[0]})\n\n![](photo:{shas[1]})\n")
    again = add_photos_to_article(store, "12", [first])  # already there: not linked or placed twice
    assert again.placed == () and len(again.article.photos) == 2
    assert again.article.body == result.article.body
    assert store.search("王宏伟")[0].id == article.id  # captions and photographers are searchable
