"""One article's exchange: compare both sides with the base, then send, receive, merge or split.

Every write is one transaction on one side; the other side's write comes first when sending
and the base is recorded last, so a sync killed between two of them finds both sides equal
next time (equal content short-circuits to recording the base): resumable, nothing twice.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass, field

from sqlalchemy import Connection

from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.bases import record_base
from dayuan_desktop.core.sync.batch import Side
from dayuan_desktop.core.sync.content import photo_shas
from dayuan_desktop.core.sync.merge import merge_content
from dayuan_desktop.core.sync.new_on_server import ServerIds, prepare, send_new
from dayuan_desktop.core.sync.photos import copy_photo
from dayuan_desktop.core.sync.summary import SyncSummary
from dayuan_desktop.core.sync.writing import ChangedMeanwhile, write_content


@dataclass
class Pair:
    """The two sides of a sync, what it did so far, and what it knows of each side.

    ``photos_here``/``photos_there``: sha256s known to be held on each side (read ahead per
    batch, grown as photos are copied) → their (caption, photographer) there, None if unknown;
    ``channels_here``/``channels_there``: path → id read once per sync (a channel missing from
    them is made the slow way, in the article's transaction); ``tags_there``: tag names known
    there. ``server``: an autocommit connection to a PostgreSQL other side, for sending an
    article it lacks in one statement (``new_on_server``), and ``local_writer`` a connection to
    ``local`` for that article's base here (its own transaction, without a session's setup).
    """

    local: Store
    other: Store
    local_id: str
    other_id: str
    receive_only: bool
    summary: SyncSummary
    photos_here: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    photos_there: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    channels_here: dict[str, int] = field(default_factory=dict)
    channels_there: dict[str, int] = field(default_factory=dict)
    tags_there: set[str] = field(default_factory=set)
    server: Connection | None = None
    local_writer: Connection | None = None


def exchange_article(pair: Pair, uuid: str, mine: Side, theirs: Side, base: dict | None) -> None:
    """Bring article ``uuid`` up to date on both sides (only locally when receive-only).

    ``mine``/``theirs``: the article as read ahead on each side; ``base``: what was last
    exchanged (None if never). Writes check the versions read, so a save since is left alone.
    """
    if mine.content is None or theirs.content is None:
        base = None
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
    held = pair.photos_there if to_other else pair.photos_here
    for sha in dict.fromkeys(photo_shas(content)):
        if sha in held:
            continue
        server = pair.server if to_other else None
        sent, held[sha] = copy_photo(source, target, sha, server)  # checks again as it writes
        pair.summary.photo_bytes += sent
        if to_other:
            pair.summary.photos_sent += 1
        else:
            pair.summary.photos_received += 1


def _write_other(pair: Pair, uuid: str, content: dict, expected: int | None, mine: int | None = None) -> int:
    """Write ``content`` on the other side; with ``mine`` (the local version) its base too, in the same transaction."""
    _photos(pair, content, to_other=True)
    with pair.other.db.session(write=True) as session:
        written = write_content(pair.other, session, uuid, content, side=pair.other.db.describe(), expected=expected,
                                channels=pair.channels_there)
        if mine is not None:
            record_base(session, pair.local_id, uuid, content, local_version=written.version, peer_version=mine)
    if written.clash:
        pair.summary.clashes.append(written.clash)
    return written.version


def _send(pair: Pair, uuid: str, mine: Side, theirs: Side) -> None:
    if pair.server is not None and theirs.version is None and _send_in_one_statement(pair, uuid, mine):
        with pair.local_writer.begin():
            record_base(pair.local_writer, pair.other_id, uuid, mine.content, local_version=mine.version,
                        peer_version=1)
        return
    version = _write_other(pair, uuid, mine.content, theirs.version, mine.version)
    with pair.local.db.session(write=True) as session:
        record_base(session, pair.other_id, uuid, mine.content, local_version=mine.version, peer_version=version)


def _send_in_one_statement(pair: Pair, uuid: str, mine: Side) -> bool:
    """Whether sent by ``new_on_server`` as version 1 (with the other side's base); False: it does not fit."""
    _photos(pair, mine.content, to_other=True)
    params = prepare(mine.content, ServerIds(pair.channels_there, pair.tags_there, pair.photos_there))
    if params is None:
        return False
    if not send_new(pair.server, params, uuid=uuid, user=pair.other.user_name, peer=pair.local_id,
                    peer_version=mine.version):
        raise ChangedMeanwhile(uuid)  # created there since the plan: left for the next sync
    return True


def _write_local(pair: Pair, session, uuid: str, content: dict, expected: int | None) -> int:
    written = write_content(pair.local, session, uuid, content, side=pair.local.db.describe(), expected=expected,
                            channels=pair.channels_here)
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
    if pair.receive_only:
        _split_received(pair, uuid, copy_uuid, mine, theirs)
        return
    copy = conflict_copy_content(mine.content, uuid)
    _photos(pair, theirs.content, to_other=False)
    with pair.local.db.session(write=True) as session:
        version = _write_local(pair, session, uuid, theirs.content, mine.version)
        copy_version = _write_local(pair, session, copy_uuid, copy, None)
        record_base(session, pair.other_id, uuid, theirs.content, local_version=version, peer_version=theirs.version)
    pair.summary.conflict_copies.append((uuid, copy_uuid))
    with pair.other.db.session(write=True) as session:
        record_base(session, pair.local_id, uuid, theirs.content, local_version=theirs.version, peer_version=version)
    other_copy_version = _write_other(pair, copy_uuid, copy, None, copy_version)
    with pair.local.db.session(write=True) as session:
        record_base(session, pair.other_id, copy_uuid, copy, local_version=copy_version,
                    peer_version=other_copy_version)


def _split_received(pair: Pair, uuid: str, copy_uuid: str, mine: Side, theirs: Side) -> None:
    """A conflict in a package: what this database holds stays (a package usually carries a field
    draft to the newsroom, whose version is the one colleagues see); the package's becomes the copy.

    The base is what the sender holds, so importing the same package again finds nothing new.
    """
    copy = conflict_copy_content(theirs.content, uuid)
    _photos(pair, theirs.content, to_other=False)
    with pair.local.db.session(write=True) as session:
        _write_local(pair, session, copy_uuid, copy, None)
        record_base(session, pair.other_id, uuid, theirs.content, local_version=mine.version,
                    peer_version=theirs.version)
    pair.summary.conflict_copies.append((uuid, copy_uuid))
