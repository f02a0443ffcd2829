"""One article's exchange: compare both sides with the base, then send, receive, merge or split.

Every write is one transaction on one side; the other side's write comes first when sending
and the base is recorded last, so a sync killed between two of them finds both sides equal
next time (equal content short-circuits to recording the base): resumable, nothing twice.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass

from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.bases import base_snapshot, record_base
from dayuan_desktop.core.sync.content import article_content, load_article, photo_shas
from dayuan_desktop.core.sync.merge import merge_content
from dayuan_desktop.core.sync.photos import copy_photo, missing_photos
from dayuan_desktop.core.sync.summary import SyncSummary
from dayuan_desktop.core.sync.writing import ChangedMeanwhile, write_content


@dataclass
class Pair:
    """The two sides of a sync and what it did so far."""

    local: Store
    other: Store
    local_id: str
    other_id: str
    receive_only: bool
    summary: SyncSummary


@dataclass(frozen=True)
class Side:
    """One article as read on one side: its content and version (None when missing)."""

    content: dict | None
    version: int | None


def _read(store: Store, uuid: str) -> Side:
    with store.db.session() as session:
        article = load_article(session, uuid)
        return Side(None, None) if article is None else Side(article_content(article), article.version)


def exchange_article(pair: Pair, uuid: str, *, absent_here: bool = False, absent_there: bool = False) -> None:
    """Bring article ``uuid`` up to date on both sides (only locally when receive-only).

    ``absent_here``/``absent_there``: the plan saw no such article on that side (saves reads).
    """
    mine = Side(None, None) if absent_here else _read(pair.local, uuid)
    theirs = Side(None, None) if absent_there else _read(pair.other, uuid)
    base = None
    if mine.content is not None and theirs.content is not None:
        with pair.local.db.session() as session:
            base = base_snapshot(session, pair.other_id, uuid)
    try:
        _decide(pair, uuid, mine, theirs, base)
    except ChangedMeanwhile:
        pair.summary.skipped += 1


def _decide(pair: Pair, uuid: str, mine: Side, theirs: Side, base: dict | None) -> None:
    if mine.content is None and theirs.content is None:
        return
    if mine.content == theirs.content:
        _record(pair, uuid, mine.content, mine.version, theirs.version)
    elif theirs.content is None or (base is not None and theirs.content == base):
        if not pair.receive_only:
            _send(pair, uuid, mine, theirs)
            pair.summary.sent += 1
    elif mine.content is None or (base is not None and mine.content == base):
        _receive(pair, uuid, mine, theirs)
        pair.summary.received += 1
    else:
        result = merge_content(base or {}, mine.content, theirs.content)
        if result.content is not None:
            _merge(pair, uuid, mine, theirs, result.content)
            pair.summary.merged += 1
        else:
            _split(pair, uuid, mine, theirs)
            pair.summary.conflicts += 1


def _record(pair: Pair, uuid: str, content: dict, mine: int, theirs: int) -> None:
    with pair.local.db.session(write=True) as session:
        record_base(session, pair.other_id, uuid, content, local_version=mine, peer_version=theirs)
    if not pair.receive_only:
        with pair.other.db.session(write=True) as session:
            record_base(session, pair.local_id, uuid, content, local_version=theirs, peer_version=mine)


def _photos(pair: Pair, content: dict, *, to_other: bool) -> None:
    source, target = (pair.local, pair.other) if to_other else (pair.other, pair.local)
    for sha in missing_photos(target, photo_shas(content)):
        sent = copy_photo(source, target, sha)
        pair.summary.photo_bytes += sent
        if to_other:
            pair.summary.photos_sent += 1
        else:
            pair.summary.photos_received += 1


def _write_other(pair: Pair, uuid: str, content: dict, expected: int | None, mine: int | None = None) -> int:
    """Write ``content`` on the other side; with ``mine`` (the local version) its base too, in the same transaction."""
    _photos(pair, content, to_other=True)
    with pair.other.db.session(write=True) as session:
        written = write_content(pair.other, session, uuid, content, side=pair.other.db.describe(), expected=expected)
        if mine is not None:
            record_base(session, pair.local_id, uuid, content, local_version=written.version, peer_version=mine)
    if written.clash:
        pair.summary.clashes.append(written.clash)
    return written.version


def _send(pair: Pair, uuid: str, mine: Side, theirs: Side) -> None:
    version = _write_other(pair, uuid, mine.content, theirs.version, mine.version)
    with pair.local.db.session(write=True) as session:
        record_base(session, pair.other_id, uuid, mine.content, local_version=mine.version, peer_version=version)


def _write_local(pair: Pair, session, uuid: str, content: dict, expected: int | None) -> int:
    written = write_content(pair.local, session, uuid, content, side=pair.local.db.describe(), expected=expected)
    if written.clash:
        pair.summary.clashes.append(written.clash)
    return written.version


def _receive(pair: Pair, uuid: str, mine: Side, theirs: Side) -> None:
    _photos(pair, theirs.content, to_other=False)
    with pair.local.db.session(write=True) as session:
        version = _write_local(pair, session, uuid, theirs.content, mine.version)
        record_base(session, pair.other_id, uuid, theirs.content, local_version=version, peer_version=theirs.version)
    if not pair.receive_only:
        with pair.other.db.session(write=True) as session:
            record_base(session, pair.local_id, uuid, theirs.content, local_version=theirs.version,
                        peer_version=version)


def _merge(pair: Pair, uuid: str, mine: Side, theirs: Side, merged: dict) -> None:
    if pair.receive_only:  # the sender's copy stays as it is; the base is what it holds
        _photos(pair, merged, to_other=False)
        with pair.local.db.session(write=True) as session:
            version = _write_local(pair, session, uuid, merged, mine.version)
            record_base(session, pair.other_id, uuid, theirs.content, local_version=version,
                        peer_version=theirs.version)
        return
    _photos(pair, merged, to_other=False)
    other_version = _write_other(pair, uuid, merged, theirs.version)
    with pair.local.db.session(write=True) as session:
        version = _write_local(pair, session, uuid, merged, mine.version)
        record_base(session, pair.other_id, uuid, merged, local_version=version, peer_version=other_version)
    with pair.other.db.session(write=True) as session:
        record_base(session, pair.local_id, uuid, merged, local_version=other_version, peer_version=version)


def conflict_copy_content(content: dict, original_uuid: str) -> dict:
    """A losing version as a new article: a draft, no number, live, marked as a copy of the original."""
    return {**content, "number": None, "status": "draft", "trashed": None, "conflict_of": original_uuid}


def _split(pair: Pair, uuid: str, mine: Side, theirs: Side) -> None:
    """A conflict: the newsroom's version stays in place; this side's becomes a conflict copy on both."""
    copy_uuid = str(uuid_module.uuid4())
    copy = conflict_copy_content(mine.content, uuid)
    _photos(pair, theirs.content, to_other=False)
    with pair.local.db.session(write=True) as session:
        version = _write_local(pair, session, uuid, theirs.content, mine.version)
        copy_version = _write_local(pair, session, copy_uuid, copy, None)
        record_base(session, pair.other_id, uuid, theirs.content, local_version=version, peer_version=theirs.version)
    pair.summary.conflict_copies.append((uuid, copy_uuid))
    if pair.receive_only:
        return
    with pair.other.db.session(write=True) as session:
        record_base(session, pair.local_id, uuid, theirs.content, local_version=theirs.version, peer_version=version)
    other_copy_version = _write_other(pair, copy_uuid, copy, None, copy_version)
    with pair.local.db.session(write=True) as session:
        record_base(session, pair.other_id, copy_uuid, copy, local_version=copy_version,
                    peer_version=other_copy_version)
