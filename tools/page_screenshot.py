"""Render an HTML file with QtWebEngine and save a PNG of the whole page (to look at exports).

    python tools/page_screenshot.py site/gsyl/lzgs/4709.html shot.png [--width 1280]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=0, help="0: the whole page")
    args = parser.parse_args()
    if os.geteuid() == 0:  # QtWebEngine's sandbox refuses to run as root
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    view = QWebEngineView()
    view.resize(args.width, args.height or 900)

    def measured(height) -> None:
        view.resize(args.width, int(args.height or height or 900))
        QTimer.singleShot(2500, lambda: (view.grab().save(str(args.png)), app.quit()))

    def loaded(ok: bool) -> None:
        if not ok:
            print("page failed to load", file=sys.stderr)
            app.exit(1)
            return
        QTimer.singleShot(300, lambda: view.page().runJavaScript("document.documentElement.scrollHeight", measured))

    view.loadFinished.connect(loaded)
    view.load(QUrl.fromLocalFile(str(args.page.resolve())))
    view.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
