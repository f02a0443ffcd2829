"""A damaged 16-bit TIFF: refused by ``photo add``; where an older version let one in, the export
skips that photo with a warning naming the article and photo, and writes everything else."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.photos.attaching import attach_photos
from dayuan_desktop.core.store import Store
from tests.helpers import jpeg_bytes
from tests.helpers import run_cli as run

PAGE = "gsyl/lzgs/4709.html"


def tiff16(pages: int = 1) -> bytes:
    """A valid 16-bit greyscale TIFF (a ramp) of 1,200 × 800, written by Pillow."""
    ramp = Image.linear_gradient("L").resize((1200, 800)).convert("I").point(lambda v: v * 257).convert("I;16")
    buffer = io.BytesIO()
    ramp.save(buffer, "TIFF", save_all=pages > 1, append_images=[ramp] * (pages - 1))
    return buffer.getvalue()


def tiff16_truncated_strips() -> bytes:
    """The TIFF with its strips cut off halfway: the header and tags are intact, the pixels are not."""
    data = tiff16()
    (ifd,) = struct.unpack_from("<I", data, 4)
    assert ifd < 1000  # Pillow writes the tags first, then the pixels
    return data[: len(data) // 2]


def tiff16_damaged_second_page() -> bytes:
    """A two-page TIFF whose second page lost its width and height tags ("Missing dimensions")."""
    data = bytearray(tiff16(pages=2))
    (first,) = struct.unpack_from("<I", data, 4)
    (count,) = struct.unpack_from("<H", data, first)
    (second,) = struct.unpack_from("<I", data, first + 2 + 12 * count)
    (count,) = struct.unpack_from("<H", data, second)
    for entry in range(second + 2, second + 2 + 12 * count, 12):
        if struct.unpack_from("<H", data, entry)[0] in (256, 257):
            struct.pack_into("<H", data, entry, 0x9999)
    return bytes(data)


@pytest.mark.parametrize("make", [tiff16_damaged_second_page, tiff16_truncated_strips])
def test_photo_add_refuses_a_damaged_16_bit_tiff_in_one_line_and_stores_nothing(capsys, tmp_path, make):
    db = ["--db", str(tmp_path / "newsroom.sqlite3")]
    assert run(capsys, *db, "sample")[0] == 0
    _, before, _ = run(capsys, *db, "show", "4709")
    path = tmp_path / "scan-16bit.tif"
    path.write_bytes(make())
    code, out, err = run(capsys, *db, "photo", "add", "4709", str(path))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "scan-16bit.tif is damaged and cannot be decoded" in err
    assert run(capsys, *db, "show", "4709")[1] == before


def test_a_valid_16_bit_tiff_is_still_accepted(capsys, tmp_path):
    db = ["--db", str(tmp_path / "newsroom.sqlite3")]
    assert run(capsys, *db, "sample")[0] == 0
    path = tmp_path / "scan-16bit.tif"
    path.write_bytes(tiff16(pages=2))
    code, out, err = run(capsys, *db, "photo", "add", "4709", str(path))
    assert code == 0, err
    assert "16 bits per channel" in out and "no web rendition yet" not in out


def _let_in(db_path: Path, tmp_path: Path) -> dict[str, str]:
    """Attach a damaged TIFF and a cut JPEG to #4709 through the store, as an older version accepted them."""
    database = open_database(str(db_path), backup_dir=tmp_path / "backups")
    try:
        store = Store(database)
        article = store.find_article("4709")
        cut_jpeg = jpeg_bytes(1600, 1200)
        damaged = {
            "tiff": store.photos.add_photo(tiff16_truncated_strips(), format="TIFF", width=1200, height=800,
                                    caption="扫描的老照片"),
            "jpeg": store.photos.add_photo(cut_jpeg[: len(cut_jpeg) // 3], format="JPEG", width=1600, height=1200),
        }
        attach_photos(store, article.id, list(damaged.values()), place_in_body=True)
        return {kind: photo.sha256 for kind, photo in damaged.items()}
    finally:
        database.dispose()


def test_export_skips_a_photo_it_cannot_decode_and_writes_every_other_file(capsys, tmp_path):
    db_path = tmp_path / "newsroom.sqlite3"
    assert run(capsys, "--db", str(db_path), "sample")[0] == 0
    damaged = _let_in(db_path, tmp_path)
    site = tmp_path / "site"
    code, out, err = run(capsys, "--db", str(db_path), "export", "--out", str(site), "--quiet")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2, err
    assert any(f"#4709: photo 扫描的老照片 ({damaged['tiff'][:12]}) not exported" in w for w in warnings)
    assert any(f"#4709: photo {damaged['jpeg'][:12]} not exported" in w for w in warnings)
    assert all("damaged and cannot be decoded" in w for w in warnings)
    page = (site / PAGE).read_text(encoding="utf-8")
    assert "图为扫描的老照片。" in page  # the page is written; the damaged photo's caption stays on it
    for name in ("index.html", "gsyl/lzgs/index.html", "rss.xml", "sitemap.xml", "static/portal.css"):
        assert (site / name).is_file(), name
    renditions = sorted(p.name for p in (site / "uploads").rglob("*") if p.is_file())
    assert len(renditions) == 1  # the sample's own photo; none for the two damaged ones
    code, out, err = run(capsys, "--db", str(db_path), "export", "--out", str(site), "--article", "4709", "--quiet")
    assert code == 0 and err.count("not exported") == 2  # tried again and named again
