"""Who is editing what: article leases, taken on open, renewed by a heartbeat, expiring alone.

A lease is one row per article (``article_leases``): user, machine, the window's session id,
when it was taken and last renewed. Every time is written and compared by the DATABASE's
clock (``CURRENT_TIMESTAMP`` in SQL, never a value from this machine), so two laptops whose
clocks disagree by minutes still agree on who holds what. A lease not renewed for
``duration`` seconds (a crash, a lost network) counts as free; the next taker deletes it.

Taking over replaces the holder's row and raises the article's ``version`` in the same
transaction. The version bump is what makes a takeover safe: any save the old holder still
sends (in flight, or typed before it noticed) carries the old version, so the store refuses
it as a conflict and keeps its text as a ``conflict`` revision. A stale save is always a
conflict, never an overwrite, whether or not the old holder ever hears of the takeover.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from dayuan_desktop.core.db import Database
from dayuan_desktop.core.errors import NotFoundError

LEASE_SECONDS = 120  # not renewed for this long: the holder is gone
RENEW_SECONDS = 30  # how often a holder renews (the heartbeat)

# The age of a stored time, in seconds, by the database's clock.
_AGE = {
    "sqlite": "((julianday('now') - julianday({column})) * 86400.0)",
    "postgresql": "EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - {column}))",
}


@dataclass(frozen=True)
class Lease:
    """One article's lease as the database sees it now."""

    article_id: int
    user_name: str
    machine: str
    session_id: str
    held_seconds: float  # since it was taken (what "正在编辑（2 分钟前）" shows)
    idle_seconds: float  # since it was last renewed


@dataclass(frozen=True)
class LeaseCheck:
    """The answer to take, renew or check: is it mine, and who holds it (None: nobody)."""

    article_id: int
    mine: bool
    holder: Lease | None


class LeaseBook:
    """One window's leases on one database (its own session id; the user name is read at each call)."""

    def __init__(
        self,
        database: Database,
        user_name: Callable[[], str],
        *,
        duration: float = LEASE_SECONDS,
        machine: str | None = None,
        session_id: str | None = None,
    ) -> None:
        self.db = database
        self._user_name = user_name
        self.duration = duration
        self.machine = machine or socket.gethostname()
        self.session_id = session_id or str(uuid.uuid4())
        age = _AGE.get(database.dialect, _AGE["postgresql"])
        self._held = age.format(column="taken_at")
        self._idle = age.format(column="renewed_at")

    # -- reading --------------------------------------------------------------------------
    def check(self, article_id: int) -> LeaseCheck:
        """Who holds ``article_id`` now (an expired lease counts as nobody's)."""
        with self.db.engine.connect() as conn:
            return self._check(conn, article_id)

    def active(self) -> dict[int, Lease]:
        """Every live lease, by article id (a handful of rows: one per article being edited)."""
        with self.db.engine.connect() as conn:
            rows = conn.execute(text(self._select() + f" WHERE {self._idle} <= :duration"),
                                {"duration": self.duration})
            return {row.article_id: _lease(row) for row in rows}

    # -- writing --------------------------------------------------------------------------
    def take(self, article_id: int) -> LeaseCheck:
        """Take the lease to edit ``article_id`` (or renew it if already mine); says who holds it if not."""
        with self.db.write_engine.begin() as conn:
            if not _exists(conn, article_id):
                raise NotFoundError(f"no article {article_id!r}")
            if self._drop_expired(conn, article_id, others_only=True):
                # Someone else's lease ran out (a crash, a sleeping laptop): whatever that window
                # still sends must be a conflict, as after a takeover.
                _raise_version(conn, article_id)
            self._drop_expired(conn, article_id)
            found = self._check(conn, article_id)
            if found.holder is None:
                self._insert(conn, article_id)
                return self._check(conn, article_id)
            if found.mine:
                self._touch(conn, article_id)
            return found

    def renew(self, article_id: int) -> LeaseCheck:
        """The heartbeat: keep my lease alive; ``mine`` is False when someone took it over (or it expired and was taken)."""
        with self.db.write_engine.begin() as conn:
            if self._touch(conn, article_id):
                return self._check(conn, article_id)
            self._drop_expired(conn, article_id)
            found = self._check(conn, article_id)
            if found.holder is None and _exists(conn, article_id):
                # Expired while this machine slept, and nobody else took it: mine again. The
                # version was not raised, so nobody's saves were refused meanwhile.
                self._insert(conn, article_id)
                return self._check(conn, article_id)
            return found

    def release(self, article_id: int) -> None:
        """Give the lease up (closing or switching article); someone else's lease is left alone."""
        with self.db.write_engine.begin() as conn:
            conn.execute(text("DELETE FROM article_leases WHERE article_id = :a AND session_id = :s"),
                         {"a": article_id, "s": self.session_id})

    def take_over(self, article_id: int) -> Lease | None:
        """Take the lease from whoever holds it; returns the lease taken away (None if it was free).

        The article's version goes up in the same transaction, so the old holder's next save
        is refused as a conflict (and kept as a ``conflict`` revision), never applied.
        """
        with self.db.write_engine.begin() as conn:
            if not _exists(conn, article_id):
                raise NotFoundError(f"no article {article_id!r}")
            before = self._check(conn, article_id)
            conn.execute(text("DELETE FROM article_leases WHERE article_id = :a"), {"a": article_id})
            self._insert(conn, article_id)
            if before.holder is not None and not before.mine:
                _raise_version(conn, article_id)
        return None if before.mine else before.holder

    # -- internals ------------------------------------------------------------------------
    def _select(self) -> str:
        return (f"SELECT article_id, user_name, machine, session_id, {self._held} AS held, "
                f"{self._idle} AS idle FROM article_leases")

    def _check(self, conn: Connection, article_id: int) -> LeaseCheck:
        row = conn.execute(text(self._select() + " WHERE article_id = :a"), {"a": article_id}).first()
        if row is None or float(row.idle) > self.duration:
            return LeaseCheck(article_id, mine=False, holder=None)
        lease = _lease(row)
        return LeaseCheck(article_id, mine=lease.session_id == self.session_id, holder=lease)

    def _drop_expired(self, conn: Connection, article_id: int, *, others_only: bool = False) -> int:
        others = " AND session_id <> :s" if others_only else ""
        done = conn.execute(
            text(f"DELETE FROM article_leases WHERE article_id = :a AND {self._idle} > :duration{others}"),
            {"a": article_id, "duration": self.duration, "s": self.session_id})
        return done.rowcount

    def _insert(self, conn: Connection, article_id: int) -> None:
        conn.execute(
            text("INSERT INTO article_leases (article_id, user_name, machine, session_id, taken_at, renewed_at) "
                 "VALUES (:a, :u, :m, :s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
            {"a": article_id, "u": self._user_name()[:100], "m": self.machine[:200], "s": self.session_id},
        )

    def _touch(self, conn: Connection, article_id: int) -> bool:
        done = conn.execute(
            text("UPDATE article_leases SET renewed_at = CURRENT_TIMESTAMP, user_name = :u "
                 "WHERE article_id = :a AND session_id = :s"),  # the name too: it can be given after the take
            {"a": article_id, "s": self.session_id, "u": self._user_name()[:100]})
        return done.rowcount > 0


def _raise_version(conn: Connection, article_id: int) -> None:
    conn.execute(text("UPDATE articles SET version = version + 1 WHERE id = :a"), {"a": article_id})


def _exists(conn: Connection, article_id: int) -> bool:
    return conn.execute(text("SELECT 1 FROM articles WHERE id = :a"), {"a": article_id}).first() is not None


def _lease(row) -> Lease:
    return Lease(row.article_id, row.user_name, row.machine, row.session_id,
                 max(0.0, float(row.held)), max(0.0, float(row.idle)))
