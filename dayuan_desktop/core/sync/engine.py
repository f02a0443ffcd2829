"""The sync loop: take the newsroom's channels and settings, plan, then exchange article by article.

``local`` is this machine's store, ``other`` the newsroom's (or another file). The plan reads
three light maps (uuid → version on each side, and the bases' versions), so an article that
changed nowhere since the last exchange costs no content read at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import select, text

from dayuan_desktop.core.errors import DayuanError, ValidationError
from dayuan_desktop.core.models import Channel
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.bases import base_versions
from dayuan_desktop.core.sync.batch import (
    BATCH_ARTICLES,
    MISSING,
    channel_ids,
    held_photos,
    held_tags,
    read_batch,
)
from dayuan_desktop.core.sync.content import versions
from dayuan_desktop.core.sync.exchange import Pair, exchange_article
from dayuan_desktop.core.sync.scope import SyncScope, new_in_scope
from dayuan_desktop.core.sync.summary import SyncSummary

Progress = Callable[[int, int, str], None]
_SITE_SETTINGS_KEY = "site_settings"


class SyncCancelled(DayuanError):
    """The sync was cancelled; every article exchanged so far is complete on both sides."""


def sync_stores(
    local: Store,
    other: Store,
    *,
    receive_only: bool = False,
    scope: SyncScope | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> SyncSummary:
    """Exchange articles and photos between ``local`` and ``other``; ``receive_only`` never writes ``other``.

    Without a scope a sync receives what ``local`` holds plus drafts of ``local.user_name``; a
    receive-only sync (a package) receives every article of ``other``.
    """
    local_id, other_id = local.database_id, other.database_id
    if local_id == other_id:
        raise ValidationError(
            f"{other.db.describe()} is the same database as {local.db.describe()} (or a copy of its file): "
            "there is nothing to sync"
        )
    if scope is None:
        scope = SyncScope(everything=True) if receive_only else SyncScope(user=local.user_name)
    take_channels(local, other, settings=not receive_only)
    todo, new, absent_there = plan(local, other, other_id, scope, receive_only=receive_only)
    if not todo:  # nothing changed anywhere: no connection or channel read beyond the plan's
        if progress is not None:
            progress(0, 0, "")
        return SyncSummary()
    pair = Pair(local, other, local_id, other_id, receive_only, SyncSummary(),
                channels_here=channel_ids(local), channels_there=channel_ids(other))
    if receive_only or other.db.dialect == "sqlite":
        _exchange_all(pair, todo, new, absent_there, progress, cancel)
        return pair.summary
    with other.db.write_engine.connect() as server, local.db.write_engine.connect() as writer:
        # Autocommit: each one-statement send is its own transaction (see core.sync.new_on_server).
        pair.server = server.execution_options(isolation_level="AUTOCOMMIT")
        pair.local_writer = writer
        _exchange_all(pair, todo, new, absent_there, progress, cancel)
    return pair.summary


def _exchange_all(
    pair: Pair, todo: list[str], new: set[str], absent_there: set[str], progress: Progress | None,
    cancel: threading.Event | None,
) -> None:
    """Exchange the articles of ``todo`` in order, reading ahead a batch at a time."""
    for first in range(0, len(todo), BATCH_ARTICLES):
        run = todo[first:first + BATCH_ARTICLES]
        batch = read_batch(pair.local, pair.other, pair.other_id, run, absent_here=new, absent_there=absent_there)
        sides = [*batch.mine.values(), *batch.theirs.values()]
        pair.photos_here.update(held_photos(pair.local, sides))
        if not pair.receive_only:
            pair.photos_there.update(held_photos(pair.other, sides))
            pair.tags_there |= held_tags(pair.other, sides)
        for done, uuid in enumerate(run, start=first):
            if progress is not None:
                progress(done, len(todo), uuid)
            if cancel is not None and cancel.is_set():
                raise SyncCancelled(f"sync cancelled after {done} of {len(todo)} articles; so far: {pair.summary}")
            exchange_article(pair, uuid, batch.mine.get(uuid, MISSING), batch.theirs.get(uuid, MISSING),
                             batch.bases.get(uuid))
    if progress is not None:
        progress(len(todo), len(todo), "")


def plan(
    local: Store, other: Store, other_id: str, scope: SyncScope, *, receive_only: bool
) -> tuple[list[str], set[str], set[str]]:
    """The uuids to look at (changed on either side since the last exchange, or new in scope),
    those of them not held here, and those the other side does not hold."""
    with local.db.session() as session:
        mine = versions(session)
        bases = base_versions(session, other_id)
    with other.db.session() as session:
        theirs = versions(session)
        new = new_in_scope(session, scope, mine)
    todo, absent_there = [], set()
    for uuid, version in mine.items():
        their_version = theirs.get(uuid)
        base = bases.get(uuid)
        if their_version is None and (receive_only or (base is not None and base.local_version == version)):
            continue  # not on the other side: nothing to receive; purged there after an exchange: not resent
        if base is not None and base.local_version == version and base.peer_version == their_version:
            continue
        todo.append(uuid)
        if their_version is None:
            absent_there.add(uuid)
    return todo + new, set(new), absent_there


def take_channels(local: Store, other: Store, *, settings: bool) -> None:
    """Channels (and, unless ``settings`` is False, the site settings) come from the newsroom."""
    with other.db.session() as session:
        channels = session.execute(select(Channel.path, Channel.name).order_by(Channel.path)).all()
        site = session.execute(text("SELECT value FROM app_meta WHERE key = :k"), {"k": _SITE_SETTINGS_KEY}).scalar()
    with local.db.session(write=True) as session:
        held = {path: name for path, name in session.execute(select(Channel.path, Channel.name))}
        for path, name in channels:
            if path not in held:
                local.create_channel(path, name, session=session)
            elif held[path] != name:
                session.execute(text("UPDATE channels SET name = :n WHERE path = :p"), {"n": name, "p": path})
        if settings and site is not None:
            updated = session.execute(text("UPDATE app_meta SET value = :v WHERE key = :k"),
                                      {"k": _SITE_SETTINGS_KEY, "v": site})
            if updated.rowcount == 0:
                session.execute(text("INSERT INTO app_meta (key, value) VALUES (:k, :v)"),
                                {"k": _SITE_SETTINGS_KEY, "v": site})
