"""Screenshot of the real window with the sample article open (README and visual checks).

Run under a real X server so fonts and WebEngine render as on a desktop:
    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb LANG=zh_CN.UTF-8 \
        .venv/bin/python tools/screenshot.py OUT.png --demo-photos
A fresh data folder is used (first run: the sample is loaded), unless --data-dir is given.
``--photos FILE…`` drops photo files onto the article's photo panel first; ``--demo-photos``
draws four captioned camera-style JPEGs (one with GPS, one without a byline) and adds them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--size", default="1366x768", help="window size WxH (the README's: 1366x768)")
    parser.add_argument("--show-photos", action="store_true", help="the side area shows the photo panel")
    parser.add_argument("--language", default="zh_CN", choices=["auto", "zh_CN", "en"])
    parser.add_argument("--settle", type=int, default=2500, help="ms to wait after the article opened")
    parser.add_argument("--photos", nargs="*", type=Path, default=[], help="photo files to add to the article")
    parser.add_argument("--demo-photos", action="store_true", help="add four drawn, captioned photos")
    args = parser.parse_args()

    from PySide6.QtCore import QTimer

    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.app import create_application, create_main_window, dispose_window, ui_settings

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="dayuan-shot-"))
    settings = load_settings(data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    ui_settings(settings).setValue("ui/language", args.language)
    ui_settings(settings).setValue("editor/photos_shown", "true" if args.show_photos else "false")
    app = create_application()
    window = create_main_window(settings, str(settings.default_database_path))
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.move(0, 0)

    def shoot() -> None:
        window.grab().save(str(args.output))
        print(f"saved {args.output}")
        window.close()

    photos = list(args.photos)
    if args.demo_photos:
        photos += demo_photos(data_dir / "demo-photos")

    def add_photos() -> None:
        panel = window.photo_area
        panel.importFinished.connect(lambda _outcome: QTimer.singleShot(args.settle, shoot))
        panel.import_files([str(p) for p in photos])

    window.articleOpened.connect(lambda _id: QTimer.singleShot(args.settle if not photos else 500,
                                                               add_photos if photos else shoot))
    QTimer.singleShot(60_000, app.quit)  # never hang a script
    code = app.exec()
    dispose_window(window)
    return code


def demo_photos(folder: Path) -> list[Path]:
    """Four drawn camera-style JPEGs whose XMP carries captions and bylines as Photo Mechanic writes them."""
    from xml.sax.saxutils import escape

    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    scenes = [
        ("大同古城墙上游览的市民", "李明", (176, 206, 232), (150, 120, 90), False, 3000),
        ("晋祠圣母殿前的银杏", "王芳", (200, 220, 240), (200, 160, 40), False, 3000),
        ("汾河公园晨练的市民", "", (230, 200, 170), (70, 130, 80), False, 3000),
        ("雪后的五台山", "张伟", (215, 225, 235), (240, 240, 245), True, 640),
    ]
    paths = []
    for n, (caption, byline, sky, ground, gps, width) in enumerate(scenes):
        height = width * 2 // 3
        image = Image.new("RGB", (width, height), sky)
        pen = ImageDraw.Draw(image)
        pen.rectangle([0, height * 3 // 5, width, height], fill=ground)
        pen.polygon([(width // 5, height * 3 // 5), (width // 2, height // 4), (width * 4 // 5, height * 3 // 5)],
                    fill=tuple(max(0, c - 60) for c in ground))
        pen.ellipse([width * 3 // 4, height // 10, width * 3 // 4 + width // 12, height // 10 + width // 12],
                    fill=(250, 220, 120))
        creator = f"<dc:creator><rdf:Seq><rdf:li>{escape(byline)}</rdf:li></rdf:Seq></dc:creator>" if byline else ""
        position = ' exif:GPSLatitude="39,54.2N" exif:GPSLongitude="113,18.1E"' if gps else ""
        xmp = (
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            f'xmlns:exif="http://ns.adobe.com/exif/1.0/"{position}>'
            f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(caption)}</rdf:li></rdf:Alt>'
            f"</dc:description>{creator}</rdf:Description></rdf:RDF></x:xmpmeta>"
        ).encode()
        path = folder / f"DSC_{1040 + n}.JPG"
        image.save(path, "JPEG", quality=88, xmp=xmp)
        paths.append(path)
    return paths


if __name__ == "__main__":
    sys.exit(main())
