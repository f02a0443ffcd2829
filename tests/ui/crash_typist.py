"""Drives the real window in its own process for the kill -9 test (not a test module itself).

    python crash_typist.py type DATA_DIR LOG   types numbered tokens into the sample body,
                                               logging "<monotonic time> <token number>" per token
    python crash_typist.py check DATA_DIR      opens the window again, prints the body it shows
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

TOKEN_INTERVAL_MS = 40


def token(number: int) -> str:
    """The text typed as token ``number`` (unique and easy to find again)."""
    return f"字{number:05d}。"


def main() -> int:
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor

    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.app import create_application, create_main_window, dispose_window
    from tests.ui.conftest import type_text

    mode, data_dir = sys.argv[1], Path(sys.argv[2])
    settings = load_settings(data_dir)
    app = create_application()
    window = create_main_window(settings, str(settings.default_database_path))

    if mode == "check":
        def report(_article_id: int) -> None:
            print(window.editor.body.markdown())
            sys.stdout.flush()
            window.close()

        window.articleOpened.connect(report)
        QTimer.singleShot(60_000, app.quit)
        code = app.exec()
        dispose_window(window)
        return code

    log = os.open(sys.argv[3], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    typed = 0

    def type_next() -> None:
        nonlocal typed
        edit = window.editor.body.text_edit()
        edit.moveCursor(QTextCursor.MoveOperation.End)
        typed += 1
        type_text(edit, token(typed))
        os.write(log, f"{time.monotonic():.4f} {typed}\n".encode())  # unbuffered: survives kill -9

    def start(_article_id: int) -> None:
        edit = window.editor.body.text_edit()
        edit.moveCursor(QTextCursor.MoveOperation.End)
        type_text(edit, "\n\n")
        timer.start()

    timer = QTimer(window, interval=TOKEN_INTERVAL_MS, timeout=type_next)
    window.articleOpened.connect(start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
