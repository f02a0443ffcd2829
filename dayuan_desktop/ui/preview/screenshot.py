"""Save a picture of the preview pane showing the sample article (to look at the real thing).

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \\
        python -m dayuan_desktop.ui.preview.screenshot preview.png [--phone]

Uses a throw-away SQLite database with the sample article 4709 and its photo.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Render the sample in a PreviewPane and save the pane as a PNG; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m dayuan_desktop.ui.preview.screenshot")
    parser.add_argument("png", type=Path)
    parser.add_argument("--phone", action="store_true", help="show the page at phone width")
    parser.add_argument("--size", default="1200x860", help="the pane's size, WIDTHxHEIGHT")
    parser.add_argument("--scroll", type=int, default=0, help="scroll the page down this many px first")
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.lower().split("x"))

    from dayuan_desktop.ui.webengine import prepare_webengine_environment

    prepare_webengine_environment()
    from PySide6.QtCore import QTimer
    from PySide6.QtWebEngineCore import QWebEngineScript
    from PySide6.QtWidgets import QApplication

    from dayuan_desktop.core.sample import open_sample_store
    from dayuan_desktop.core.site import load_site_settings
    from dayuan_desktop.ui.preview import PreviewPane

    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="dayuan-shot-") as folder:
        store = open_sample_store(Path(folder))
        article = store.find_article("4709")
        pane = PreviewPane(store, load_site_settings(store.db), Path(folder) / "cache")
        pane.resize(width, height)
        pane.set_phone_width(args.phone)
        pane.show()
        outcome = {"code": 1}

        def save() -> None:
            outcome["code"] = 0 if pane.grab().save(str(args.png)) else 1
            app.quit()

        def rendered() -> None:
            # The first load shows the page before its photo rendition exists; wait for the one with it.
            if pane.is_loading() or pane._making:
                return
            pane.page.runJavaScript(f"window.scrollTo(0, {args.scroll}); true",
                                    QWebEngineScript.ScriptWorldId.ApplicationWorld)
            QTimer.singleShot(600, save)  # grab() right at loadFinished gives a blank picture

        pane.rendered.connect(rendered)
        pane.show_article(article)
        QTimer.singleShot(30_000, app.quit)  # never hang a script run
        app.exec()
        pane.deleteLater()
        QTimer.singleShot(0, app.quit)
        app.exec()  # let the pane (and its web profile) be deleted before the application
        store.db.dispose()
    if outcome["code"]:
        print(f"could not save {args.png}", file=sys.stderr)
    return outcome["code"]


if __name__ == "__main__":
    sys.exit(main())
