"""Draw the application icon once; the results are committed under ``resources/icons/``.

    .venv/bin/python tools/make_icon.py

A white 大 on the portal's red (``#c8161d``, the colour of its header) in a rounded square:
``dayuan.png`` (256 px, the Linux .desktop icon and the window icon) and ``dayuan.ico``
(16–256 px, the Windows executable's icon). Drawing the character needs a CJK font
(fonts-noto-cjk); the committed files do not.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
RED = (200, 22, 29, 255)
DARK_RED = (165, 15, 21, 255)
FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc")
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = 1024) -> Image.Image:
    """The icon at ``size`` pixels (drawn large, scaled down for smooth edges)."""
    font_path = next((path for path in FONTS if Path(path).exists()), None)
    if font_path is None:
        raise SystemExit("make_icon: no CJK font found (apt-get install fonts-noto-cjk)")
    margin, radius = size // 16, size // 5
    shape = Image.new("L", (size, size), 0)
    ImageDraw.Draw(shape).rounded_rectangle([margin, margin, size - margin, size - margin], radius=radius, fill=255)
    # Red, with a darker band at the foot like the portal's header underline; both cut to the shape.
    colour = Image.new("RGBA", (size, size), RED)
    ImageDraw.Draw(colour).rectangle([0, size - margin - size // 7, size, size], fill=DARK_RED)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    image.paste(colour, (0, 0), shape)
    pen = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_path, int(size * 0.62))
    pen.text((size / 2, size * 0.45), "大", font=font, fill=(255, 255, 255, 255), anchor="mm")
    return image


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    large = draw()
    png = large.resize((256, 256), Image.Resampling.LANCZOS)
    png.save(OUT / "dayuan.png", optimize=True)
    png.save(OUT / "dayuan.ico", sizes=ICO_SIZES)
    print(f"wrote {OUT / 'dayuan.png'} and {OUT / 'dayuan.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
