"""What a window polls to stay live: a cheap change marker of the newsroom, plus the leases.

Every save, trash, restore and create sets ``articles.updated_at``; a purge lowers the count;
a channel created, renamed or moved changes the channels' digest. One statement with four
scalar sub-queries reads all of it (``max(updated_at)`` from its index), so a window can ask
every two seconds without loading the server (figures in benchmarks/RESULTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from dayuan_desktop.core.db import Database
from dayuan_desktop.core.leases import Lease, LeaseBook, LeaseCheck

_CHANNEL_DIGEST = {
    "sqlite": "(SELECT group_concat(id || ':' || path || ':' || name, '|') FROM "
              "(SELECT id, path, name FROM channels ORDER BY id))",
    "postgresql": "(SELECT string_agg(id || ':' || path || ':' || name, '|' ORDER BY id) FROM channels)",
}


@dataclass(frozen=True)
class ChangeMarker:
    """Changes whenever an article or a channel changes (compare two for equality)."""

    newest_update: str
    article_count: int
    channel_digest: str


@dataclass(frozen=True)
class NewsroomState:
    """One poll: the change marker, every live lease, and (when holding one) my lease's state."""

    marker: ChangeMarker
    leases: dict[int, Lease]
    mine: LeaseCheck | None


def change_marker(database: Database) -> ChangeMarker:
    """The newsroom's change marker, read in one statement."""
    digest = _CHANNEL_DIGEST.get(database.dialect, _CHANNEL_DIGEST["postgresql"])
    with database.engine.connect() as conn:
        row = conn.execute(text(
            f"SELECT (SELECT max(updated_at) FROM articles), (SELECT count(*) FROM articles), {digest}"
        )).one()
    return ChangeMarker(str(row[0] or ""), int(row[1] or 0), str(row[2] or ""))


def poll(book: LeaseBook, holding: int | None = None, *, renew: bool = False) -> NewsroomState:
    """What changed, who edits what, and whether my lease on ``holding`` is still mine.

    ``renew``: also renew that lease (the heartbeat, every ~30 s); otherwise it is only read,
    which is what lets a holder notice a takeover within seconds without writing each time.
    """
    mine = None
    if holding is not None:
        mine = book.renew(holding) if renew else book.check(holding)
    return NewsroomState(change_marker(book.db), book.active(), mine)
