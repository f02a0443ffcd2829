"""Small builders shared by tests: real image files and Markdown articles on disk."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image


def jpeg_bytes(width: int = 1200, height: int = 800, color=(170, 40, 40)) -> bytes:
    """A real JPEG made by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def png_bytes(width: int = 640, height: int = 480, color=(20, 90, 160, 255)) -> bytes:
    """A real PNG (with alpha) made by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def write_markdown(
    folder: Path,
    name: str = "article.md",
    *,
    front: str | None = None,
    body: str = "正文第一段。\n",
) -> Path:
    """Write a Markdown article with front matter (a valid default when ``front`` is None)."""
    if front is None:
        front = (
            "title: 党旗飘扬筑起疫情防控“钢铁长城”\n"
            "author: 网络编辑\nsource: 大同\ndate: 2022-12-13 14:46:28\n"
            "tags: [防控, 疫情, 党员干部]\nchannel: gsyl/lzgs\nnumber: 4709\nstatus: published\n"
        )
    path = folder / name
    path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    return path


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command line in-process: (exit code, stdout, stderr)."""
    from dayuan_desktop.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err
