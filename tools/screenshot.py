"""Screenshot of the real window with the sample article open (README and visual checks).

Run under a real X server so fonts and WebEngine render as on a desktop:
    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb .venv/bin/python tools/screenshot.py OUT.png
A fresh data folder is used (first run: the sample is loaded), unless --data-dir is given.
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
    parser.add_argument("--size", default="1560x940", help="window size WxH")
    parser.add_argument("--language", default="zh_CN", choices=["auto", "zh_CN", "en"])
    parser.add_argument("--settle", type=int, default=2500, help="ms to wait after the article opened")
    args = parser.parse_args()

    from PySide6.QtCore import QTimer

    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.app import create_application, create_main_window, dispose_window, ui_settings

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="dayuan-shot-"))
    settings = load_settings(data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    ui_settings(settings).setValue("ui/language", args.language)
    app = create_application()
    window = create_main_window(settings, str(settings.default_database_path))
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.move(0, 0)

    def shoot() -> None:
        window.grab().save(str(args.output))
        print(f"saved {args.output}")
        window.close()

    window.articleOpened.connect(lambda _id: QTimer.singleShot(args.settle, shoot))
    QTimer.singleShot(60_000, app.quit)  # never hang a script
    code = app.exec()
    dispose_window(window)
    return code


if __name__ == "__main__":
    sys.exit(main())
