"""What the sync loop reads ahead for a run of articles: both sides' contents, the bases and
which photos each side holds, in a few queries per side for the whole run (not per article).

Reading ahead changes no guarantee: every write still checks the version it read
(``write_content``'s ``expected``), so an article saved on either side after this read is left
for the next sync, exactly as when each article was read just before its write.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from dayuan_desktop.core.models import Channel, Photo, Tag
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.bases import base_snapshots
from dayuan_desktop.core.sync.content import photo_shas, read_contents

BATCH_ARTICLES = 200


@dataclass(frozen=True)
class Side:
    """One article as read on one side: its content and version (None when missing)."""

    content: dict | None
    version: int | None


MISSING = Side(None, None)


@dataclass(frozen=True)
class Batch:
    """One run of articles as read ahead on both sides."""

    mine: dict[str, Side]
    theirs: dict[str, Side]
    bases: dict[str, dict]


def _sides(store: Store, uuids: Sequence[str]) -> dict[str, Side]:
    if not uuids:
        return {}
    with store.db.session() as session:
        return {uuid: Side(content, version) for uuid, (content, version) in read_contents(session, uuids).items()}


def read_batch(
    local: Store, other: Store, other_id: str, uuids: Sequence[str], *,
    absent_here: Collection[str], absent_there: Collection[str],
) -> Batch:
    """Both sides' contents of ``uuids`` (skipping those the plan saw missing) and their bases."""
    mine = _sides(local, [u for u in uuids if u not in absent_here])
    theirs = _sides(other, [u for u in uuids if u not in absent_there])
    both = [u for u in uuids if u in mine and u in theirs]
    bases: dict[str, dict] = {}
    if both:
        with local.db.session() as session:
            bases = base_snapshots(session, other_id, both)
    return Batch(mine, theirs, bases)


def held_photos(store: Store, sides: Collection[Side]) -> dict[str, tuple[str, str]]:
    """Which photos shown by ``sides`` ``store`` already holds: sha256 → (caption, photographer)
    there (what its search texts hold of them); one query per 500 photos."""
    wanted = list(dict.fromkeys(sha for side in sides if side.content for sha in photo_shas(side.content)))
    held: dict[str, tuple[str, str]] = {}
    with store.db.session() as session:
        for start in range(0, len(wanted), 500):
            stmt = select(Photo.sha256, Photo.caption, Photo.photographer).where(
                Photo.sha256.in_(wanted[start:start + 500]))
            held.update({sha: (caption, photographer) for sha, caption, photographer in session.execute(stmt)})
    return held


def held_tags(store: Store, sides: Collection[Side]) -> set[str]:
    """Which tags named by ``sides`` exist on ``store`` (one query per 500 names)."""
    wanted = list(dict.fromkeys(tag for side in sides if side.content for tag in side.content["tags"]))
    held: set[str] = set()
    with store.db.session() as session:
        for start in range(0, len(wanted), 500):
            held.update(session.scalars(select(Tag.name).where(Tag.name.in_(wanted[start:start + 500]))))
    return held


def channel_ids(store: Store) -> dict[str, int]:
    """Every channel's path → id on ``store`` (read once per sync; writes resolve channels from it)."""
    with store.db.session() as session:
        return {path: channel_id for path, channel_id in session.execute(select(Channel.path, Channel.id))}
