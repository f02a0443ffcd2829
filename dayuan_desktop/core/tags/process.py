"""The suggestion engine in a worker process of its own, for the window.

Loading jieba's dictionary is seconds of pure Python. On a thread of the window's process it
holds the GIL, and on a busy machine the operating system pre-empts that thread while it holds
it: the window's thread then waits too (stalls of 150–550 ms measured here with 2 cores and a
load of 6, against 10 ms without the load). In a process of its own the load cannot stall the
window at all, and its ~190 MB go when the window closes. The parent only waits on a pipe
(which releases the GIL). The worker opens its own database connection and dies with its
parent (``core.lifeline``).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from pathlib import Path

from dayuan_desktop.core.tags.suggest import ArticleText

POLL_S = 0.05  # how often a waiting request looks at its cancel flag
Progress = Callable[[int, int, str], None]


class SuggestionProcess:
    """``load`` and ``suggest`` as :class:`~dayuan_desktop.core.tags.engine.SuggestionEngine` has them, run in a worker."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded Qt process
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, os.getpid(), database_url, str(data_dir)),
                                        name="dayuan-tag-suggestions", daemon=True)
        self._lock = threading.Lock()  # one request at a time on the pipe
        self._process.start()
        child.close()
        self.loaded = False

    def load(self, cancel: threading.Event | None = None, progress: Progress | None = None) -> None:
        """Load the dictionary and the IDF table in the worker (seconds the first time)."""
        self._request(("load",), cancel, progress)
        self.loaded = True

    def suggest(self, article: ArticleText) -> list[str]:
        """Up to 8 tags for ``article``, best first."""
        return self._request(("suggest", article), None, None)

    def close(self) -> None:
        """End the worker (whatever it is doing)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(2)
        self._conn.close()

    def _request(self, message: tuple, cancel: threading.Event | None, progress: Progress | None):
        with self._lock:
            self._conn.send(message)
            while True:
                while not self._conn.poll(POLL_S):
                    if cancel is not None and cancel.is_set():
                        self.close()  # the worker is mid-load: ending it is the only way to stop it
                        raise InterruptedError("the tag suggestions were cancelled")
                    if not self._process.is_alive():
                        raise RuntimeError("the tag suggestion process ended unexpectedly")
                kind, *payload = self._conn.recv()
                if kind == "progress":
                    if progress is not None:
                        progress(*payload)
                    continue
                if kind == "error":
                    raise RuntimeError(payload[0])
                return payload[0]


def _serve(conn, parent_pid: int, database_url: str, data_dir: str) -> None:
    """The worker: answer requests until the pipe closes (the database is opened at the first)."""
    from dayuan_desktop.core.lifeline import watch_parent
    from dayuan_desktop.core.secrets import mask_secrets

    watch_parent(parent_pid)
    engine = None
    try:
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            try:
                engine = engine or _open_engine(database_url, Path(data_dir))
                if message[0] == "load":
                    engine.load(progress=lambda done, total, label: conn.send(("progress", done, total, label)))
                    conn.send(("ok", None))
                else:
                    conn.send(("ok", engine.suggest(message[1])))
            except Exception as exc:  # noqa: BLE001 - the window shows it; the worker keeps serving
                first_line = (str(exc).strip().splitlines() or [""])[0]
                conn.send(("error", mask_secrets(f"{type(exc).__name__}: {first_line}")))
    finally:
        if engine is not None:
            engine.store.db.dispose()


def _open_engine(database_url: str, data_dir: Path):
    from sqlalchemy.engine import make_url

    from dayuan_desktop.core.db import open_database
    from dayuan_desktop.core.errors import DatabaseError
    from dayuan_desktop.core.store import Store
    from dayuan_desktop.core.tags.engine import SuggestionEngine

    url = make_url(database_url) if "://" in database_url else None
    path = Path(url.database or "") if url is not None and url.get_backend_name() == "sqlite" else None
    if url is None:
        path = Path(database_url)
    if path is not None and not path.is_file():  # a worker never creates a database
        raise DatabaseError(f"no database at {path}")
    return SuggestionEngine(Store(open_database(database_url, upgrade=False), user_name="tags"), data_dir)
