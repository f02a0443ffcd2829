"""libtiff's complaints about a damaged TIFF land in the support log, not on stderr: the command's
error stays one line (run as real processes: libtiff writes to file descriptor 2 from C)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.helpers import write_markdown


def _damaged_lzw_tiff(path: Path) -> Path:
    """An LZW TIFF whose strip's second half is 0xFF bytes ("Using code not yet in table")."""
    buffer = io.BytesIO()
    Image.new("RGB", (200, 150), (10, 200, 30)).save(buffer, "TIFF", compression="tiff_lzw")
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as image:
        offset, count = image.tag_v2[273][0], image.tag_v2[279][0]
    half = offset + count // 2
    path.write_bytes(data[:half] + b"\xff" * (offset + count - half) + data[offset + count :])
    return path


def _run(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DAYUAN_DATA_DIR": str(tmp_path / "data")}
    env.pop("DAYUAN_DB", None)
    return subprocess.run([sys.executable, "-m", "dayuan_desktop", *arguments], capture_output=True, text=True,
                          timeout=120, env=env)


def _log(tmp_path: Path) -> str:
    return (tmp_path / "data" / "logs" / "dayuan-desktop.log").read_text(encoding="utf-8")


def test_photo_info_of_a_damaged_tiff_is_one_line_and_libtiff_speaks_in_the_log(tmp_path):
    tiff = _damaged_lzw_tiff(tmp_path / "damaged.tif")
    result = _run(tmp_path, "photo", "info", str(tiff))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "dayuan-desktop: error: damaged.tif is damaged and cannot be decoded (decoder error -2)"
    ], result.stderr
    assert "libtiff: " in _log(tmp_path) and "Using code not yet in table" in _log(tmp_path)


def test_import_of_an_article_with_a_damaged_tiff_fails_in_one_line(tmp_path):
    _damaged_lzw_tiff(tmp_path / "damaged.tif")
    article = write_markdown(tmp_path, front="title: 坏图\n", body="![坏](damaged.tif)\n")
    result = _run(tmp_path, "--db", str(tmp_path / "n.sqlite3"), "import", str(article))
    assert result.returncode == 1 and "0 imported, 1 failed" in result.stdout
    [line] = result.stderr.splitlines()
    assert line.startswith("FAILED   ") and "damaged.tif" in line and "damaged and cannot be decoded" in line
