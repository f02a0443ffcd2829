"""The bases: per peer database and article, what was last exchanged (``sync_bases``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from dayuan_desktop.core.models import SyncBase, utcnow


@dataclass(frozen=True)
class BaseVersions:
    """The versions both sides had when an article was last exchanged."""

    local_version: int
    peer_version: int


def base_versions(session: Session, peer_id: str) -> dict[str, BaseVersions]:
    """uuid → versions of every article last exchanged with ``peer_id`` (no snapshots: light)."""
    rows = session.execute(
        select(SyncBase.article_uuid, SyncBase.local_version, SyncBase.peer_version).where(SyncBase.peer_id == peer_id)
    )
    return {uuid: BaseVersions(local, peer) for uuid, local, peer in rows}


def base_snapshot(session: Session, peer_id: str, uuid: str) -> dict | None:
    """The content last exchanged with ``peer_id`` for article ``uuid``, or None if never."""
    return session.scalar(
        select(SyncBase.snapshot).where(SyncBase.peer_id == peer_id, SyncBase.article_uuid == uuid)
    )


def base_snapshots(session: Session, peer_id: str, uuids: Sequence[str]) -> dict[str, dict]:
    """uuid → the content last exchanged with ``peer_id``, for those of ``uuids`` ever exchanged (bulk)."""
    found: dict[str, dict] = {}
    wanted = list(uuids)
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(SyncBase.article_uuid, SyncBase.snapshot)
            .where(SyncBase.peer_id == peer_id, SyncBase.article_uuid.in_(wanted[start:start + 500]))
        )
        found.update({uuid: snapshot for uuid, snapshot in rows})
    return found


def record_base(
    session: Session | Connection, peer_id: str, uuid: str, snapshot: dict, *, local_version: int, peer_version: int
) -> None:
    """Remember ``snapshot`` as exchanged with ``peer_id`` (insert or replace, in the caller's transaction).

    One statement (an upsert on the (peer, article) key): no read first, one round trip.
    ``session`` may be a Core connection inside a transaction (a lighter unit for this one write).
    """
    dialect = (session.dialect if isinstance(session, Connection) else session.bind.dialect).name
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    values = {"snapshot": snapshot, "local_version": local_version, "peer_version": peer_version,
              "exchanged_at": utcnow()}
    stmt = insert(SyncBase).values(peer_id=peer_id, article_uuid=uuid, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=["peer_id", "article_uuid"], set_=values))
