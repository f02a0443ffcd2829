"""Measures the body editor of the real window on a screen of a given size (not a test module).

    python layout_probe.py WIDTHxHEIGHT DATA_DIR [--maximize]

Run with ``QT_QPA_PLATFORM=offscreen`` (and ``QT_SCALE_FACTOR`` for a scaled screen, which
must be set before the QApplication exists: hence a process of its own). The offscreen
screen gets the size asked for; the window opens as it would for a new user (--maximize:
then the user maximizes it), the sample article opens, and one JSON line is printed: the
body's viewport height, the body font's line spacing, the lines that fit (also counted with
the height of a laid-out line of the sample's Chinese text, which a CJK fallback font can
make taller), and the window and screen geometry in logical pixels.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def offscreen_screen(width: int, height: int) -> None:
    """Make the offscreen platform's one screen ``width``×``height`` device pixels."""
    config = Path(tempfile.mkdtemp(prefix="dayuan-screen-")) / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "probe", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1,
    }]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def measure(window) -> dict:
    """The body's room in the window as it is now."""
    edit = window.editor.body.text_edit()
    spacing = edit.fontMetrics().lineSpacing()
    viewport = edit.viewport().height()
    chinese_line = spacing
    block = edit.document().begin()
    while block.isValid():
        if block.layout().lineCount() and any("\u4e00" <= ch <= "\u9fff" for ch in block.text()[:4]):
            chinese_line = block.layout().lineAt(0).height()
            break
        block = block.next()
    area = window.screen().availableGeometry()
    frame = window.frameGeometry()
    return {
        "viewport": viewport, "line_spacing": spacing, "lines": viewport / spacing,
        "chinese_line": chinese_line, "chinese_lines": viewport / chinese_line,
        "window": [frame.x(), frame.y(), frame.width(), frame.height()],
        "screen": [area.x(), area.y(), area.width(), area.height()],
        "maximized": window.isMaximized(),
        "status_bar_bottom": window.statusBar().mapTo(window, window.statusBar().rect().bottomLeft()).y(),
    }


def main() -> int:
    width, height = (int(v) for v in sys.argv[1].split("x"))
    data_dir = Path(sys.argv[2])
    offscreen_screen(width, height)
    from PySide6.QtCore import QTimer

    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.app import create_application, create_main_window, dispose_window

    settings = load_settings(data_dir)
    app = create_application()
    window = create_main_window(settings, str(settings.default_database_path))
    if "--maximize" in sys.argv:
        window.showMaximized()
    result: dict = {}

    def report(_article_id: int) -> None:
        def done() -> None:
            result.update(measure(window))
            print(json.dumps(result), flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(300, done)  # the layout settles after the article's text is set

    window.articleOpened.connect(report)
    QTimer.singleShot(60_000, app.quit)  # never hang a test
    app.exec()
    store = window.store
    dispose_window(window)
    if store is not None:
        store.db.dispose()
    return 0 if result else 1


if __name__ == "__main__":
    sys.exit(main())
