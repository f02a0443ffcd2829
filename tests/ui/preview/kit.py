"""Helpers for the preview tests: a sample store, JavaScript results, a local HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.sample import load_sample
from dayuan_desktop.core.store import Store


def sample_store(folder: Path) -> Store:
    """A SQLite store on a real file holding the sample article 4709 and its photo."""
    database = open_database(folder / "newsroom.sqlite3", backup_dir=folder / "backups")
    store = Store(database, user_name="tester")
    load_sample(store)
    return store


def run_js(qtbot, page: QWebEnginePage, script: str, timeout: int = 5000):
    """The value of ``script`` in the page (run in the application's own script world)."""
    box: list = []
    page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    return box[0]


@contextmanager
def http_server() -> Iterator[tuple[int, list[str]]]:
    """A real HTTP server on localhost; yields its port and the paths requested from it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()
