"""Change notices from a PostgreSQL newsroom: a held connection that LISTENs on ``dayuan_changes``.

Triggers (migration 0009) send a notice whenever articles, channels or leases change, so a
window polls at once instead of at its next tick: a colleague's new article or a takeover shows
in well under a second. The poll stays the safety net (a lost connection, SQLite, a notice
missed while the listener reconnects): notices only make it come sooner.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from dayuan_desktop.core.db import Database

CHANNEL = "dayuan_changes"
WAKE_SECONDS = 1.0  # how often the listening thread looks at its stop flag


def notices_available(database: Database) -> bool:
    """Whether this database sends change notices (PostgreSQL does; SQLite has none)."""
    return database.dialect == "postgresql"


class ChangeListener:
    """One connection, out of the pool, listening for change notices."""

    def __init__(self, database: Database) -> None:
        if not notices_available(database):
            raise ValueError(f"{database.dialect} sends no change notices")
        pooled = database.engine.raw_connection()
        self._connection = pooled.driver_connection
        pooled.detach()  # held for the window's lifetime: never handed back to the pool
        self._connection.autocommit = True
        self._connection.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> bool:
        """True as soon as a notice arrives (all pending ones are taken), False after ``timeout`` seconds."""
        arrived = False
        for _notice in self._connection.notifies(timeout=timeout, stop_after=1):
            arrived = True
        if arrived:  # several saves in a row: one wake-up for all that are already here
            for _notice in self._connection.notifies(timeout=0.0):
                pass
        return arrived

    def close(self) -> None:
        """Stop listening and close the connection."""
        with contextlib.suppress(Exception):  # a server already gone: nothing to close
            self._connection.close()


def listen_in_background(database: Database, on_change: Callable[[], None]) -> Callable[[], None]:
    """Call ``on_change`` (on a background thread) after each burst of notices; returns ``stop``.

    A lost connection is opened again every few seconds; until then the caller's poll carries on.
    Once ``stop`` has returned, ``on_change`` is never called again (it may belong to an object being
    deleted): the call and the stop take one lock.
    """
    stopped = threading.Event()
    calling = threading.Lock()

    def stop() -> None:
        with calling:
            stopped.set()

    def run() -> None:
        listener = None
        while not stopped.is_set():
            try:
                listener = listener or ChangeListener(database)
                if listener.wait(WAKE_SECONDS):
                    with calling:
                        if not stopped.is_set():
                            on_change()
            except Exception:  # noqa: BLE001 — the server went away: retry later, the poll covers us
                if listener is not None:
                    listener.close()
                listener = None
                stopped.wait(5 * WAKE_SECONDS)
        if listener is not None:
            listener.close()

    threading.Thread(target=run, name="change-notices", daemon=True).start()
    return stop
