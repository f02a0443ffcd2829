"""The bases: per peer database and article, what was last exchanged (``sync_bases``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
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


def record_base(
    session: Session, peer_id: str, uuid: str, snapshot: dict, *, local_version: int, peer_version: int
) -> None:
    """Remember ``snapshot`` as exchanged with ``peer_id`` (insert or replace, in the caller's transaction)."""
    row = session.scalar(select(SyncBase).where(SyncBase.peer_id == peer_id, SyncBase.article_uuid == uuid))
    if row is None:
        session.add(SyncBase(
            peer_id=peer_id, article_uuid=uuid, snapshot=snapshot,
            local_version=local_version, peer_version=peer_version, exchanged_at=utcnow(),
        ))
    else:
        row.snapshot = snapshot
        row.local_version = local_version
        row.peer_version = peer_version
        row.exchanged_at = utcnow()
    session.flush()
