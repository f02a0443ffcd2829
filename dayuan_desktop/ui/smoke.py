"""``dayuan-desktop --smoke-test``: start the real window, wait until an article and its preview
are on screen, print what the window shows as one JSON line, close, exit 0 (1 when it does not
get there). The installer's test runs the built bundle this way: it proves the bundle's Qt,
QtWebEngine, translations, templates, database and sample all work together.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWebEngineCore import QWebEngineScript

from dayuan_desktop.core.logs import current_log_file, log
from dayuan_desktop.ui import i18n

# Per <link rel=stylesheet> of the loaded page: true when its rules arrived. A sheet that failed
# to load (a bundle without the portal's CSS) cannot be read: the error's name instead.
_STYLESHEETS_JS = ("JSON.stringify(Array.from(document.querySelectorAll('link[rel=stylesheet]'))"
                   ".map(link => { try { return link.sheet.cssRules.length > 0 } catch (e) { return e.name } }))")
SMOKE_TIMEOUT_MS = 120_000  # a cold start of QtWebEngine on a slow CI machine, with room to spare


class SmokeTest(QObject):
    """Watches ``window`` and ends the application with the verdict."""

    def __init__(self, window, app, timeout_ms: int = SMOKE_TIMEOUT_MS) -> None:
        super().__init__(window)
        self.window = window
        self.app = app
        self.exit_code = 1
        self.stage = "waiting for the window to build"
        self._finished = False
        self._checking = False
        window.built.connect(lambda: self._at("opening the database"))
        window.workspaceReady.connect(self._workspace_ready)
        window.workspaceFailed.connect(lambda message: self._fail(f"the database could not be opened: {message}"))
        window.articleOpened.connect(self._article_opened)
        window.previewReady.connect(self._preview_ready)
        QTimer.singleShot(timeout_ms, self, lambda: self._fail(f"timed out while {self.stage}"))

    def _at(self, stage: str) -> None:
        self.stage = stage

    def _workspace_ready(self) -> None:
        if self.window.workspace.first_run_article_id is None and not self.window.store.count_articles():
            self._fail("the database holds no article: the sample was not loaded")
        else:
            self._at("waiting for the first article")

    def _article_opened(self, _article_id: int) -> None:
        self._at("waiting for the preview")
        self._check()

    def _preview_ready(self) -> None:
        self.window.preview.rendered.connect(self._check)
        self.window.preview.renderFailed.connect(lambda reason: self._fail(f"the preview failed: {reason}"))

    def _check(self) -> None:
        window = self.window
        preview = window.preview
        article_id = window.editor.article_id if window.is_built else None
        shown = preview.shown_article() if preview is not None else None
        if self._finished or self._checking or article_id is None or shown is None or shown.id != article_id:
            return  # the preview has not caught up with the open article yet
        self._checking = True
        # Ask the loaded page whether its stylesheets arrived: without the portal's CSS the page
        # still loads, unstyled, and everything else would pass.
        preview.page.runJavaScript(_STYLESHEETS_JS, QWebEngineScript.ScriptWorldId.ApplicationWorld,
                                   lambda loaded: self._report(article_id, json.loads(loaded or "null")))

    def _report(self, article_id: int, stylesheets) -> None:
        window = self.window
        preview = window.preview
        record = window.store.get_article(article_id)
        report = {
            "ok": True,
            "version": _version(),
            "frozen": bool(getattr(sys, "frozen", False)),
            "language": window.language,
            "translations": i18n.installed_translations(),  # Qt's own too: found in a bundle?
            "window_title": window.windowTitle(),
            "menus": [action.text() for action in window.menuBar().actions()],
            "article": {"id": record.id, "number": record.number, "title": record.title,
                        "editor_title": window.editor.form.title.text()},
            "preview_title": preview.page.title(),  # set only once QtWebEngine has loaded the page
            "preview_stylesheets": stylesheets,  # [true, …] when every stylesheet of the page loaded
            "welcome": {"visible": window.welcome.isVisible(), "text": window.welcome.text()},
            "database": window.store.db.describe(),
            "data_dir": str(window.settings.data_dir),
            "log_file": str(current_log_file()) if current_log_file() else None,
        }
        self._finish(report, 0)

    def _fail(self, reason: str) -> None:
        self._finish({"ok": False, "reason": reason}, 1)

    def _finish(self, report: dict, code: int) -> None:
        if self._finished:
            return
        self._finished = True
        self.exit_code = code
        (log.info if code == 0 else log.error)("smoke test: %s", json.dumps(report, ensure_ascii=False))
        print(json.dumps(report, ensure_ascii=False), flush=True)
        # Close as a user would (saves, layout); quit even if a dialog (say, a database error) is open.
        QTimer.singleShot(0, self.window.close)
        QTimer.singleShot(0, lambda: self.app.exit(code))


def _version() -> str:
    from dayuan_desktop import __version__

    return __version__
