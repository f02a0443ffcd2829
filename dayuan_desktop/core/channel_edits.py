"""Channel edits: create, rename, change the URL path, move, reorder (reached as ``store.channels``).

The Chinese name and the URL path are separate: renaming only changes what is shown. The
path is part of every article page's address (``gsyl/lzgs/4709.html``), so a path change
(of the segment, or by a move under another parent) carries the channel's subchannels with
it (a/b → c/b) and, in the same transaction, records each published article's old page path
as a redirect, exactly as for a renumbered article (``core.addresses``); the export then writes
a redirect page there. When published articles are affected, the change must be confirmed:
an address never changes by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dayuan_desktop.core.addresses import PUBLIC_STATUSES, page_path
from dayuan_desktop.core.channel_rules import (
    check_channel_name,
    check_path_length,
    check_segment,
    joined,
    rebased,
)
from dayuan_desktop.core.errors import DuplicateError, NotFoundError, ValidationError
from dayuan_desktop.core.models import Article, ArticleRedirect, Channel, utcnow
from dayuan_desktop.core.records import ChannelRecord

if TYPE_CHECKING:
    from dayuan_desktop.core.store import Store

_CHUNK = 500  # ids per IN (...) list: well under every backend's parameter limit


class AddressChangeUnconfirmed(ValidationError):  # noqa: N818 - named for what the user must do
    """A path change would move published articles' addresses and was not confirmed."""

    def __init__(self, change: PathChange) -> None:
        self.change = change
        super().__init__(
            f"changing channel {change.old_path} to {change.new_path} changes the address of "
            f"{change.published} published article(s) (old addresses will redirect); confirm to go ahead"
        )


class PathChange(NamedTuple):
    """What a path change would do: the channel's old and new path, how many channels and published pages move."""

    old_path: str
    new_path: str
    channels: int
    published: int


class ChannelEditor:
    """Edits of the channel tree, each one transaction on the store's database."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def create(self, segment: str, name: str, parent_id: int | None = None) -> ChannelRecord:
        """A new channel ``segment`` under ``parent_id`` (None: at the top), placed last among its siblings."""
        segment, name = check_segment(segment), check_channel_name(name)
        with self._store.db.session(write=True) as session:
            parent = None if parent_id is None else _get(session, parent_id)
            path = joined(parent.path if parent else None, segment)
            check_path_length([path])
            _refuse_taken(session, [path])
            position = (session.scalar(select(func.max(Channel.position)).where(_siblings(parent_id))) or 0) + 1
            channel = Channel(path=path, name=name, parent_id=parent_id, position=position)
            session.add(channel)
            _flush(session)
            return ChannelRecord.of(channel)

    def get(self, path: str) -> ChannelRecord:
        """A channel by its path (NotFoundError naming it otherwise)."""
        with self._store.db.session() as session:
            channel = session.scalar(select(Channel).where(Channel.path == path))
            if channel is None:
                raise NotFoundError(f"no channel with path '{path[:200]}'")
            return ChannelRecord.of(channel)

    def rename(self, channel_id: int, name: str) -> ChannelRecord:
        """Give a channel another display name; its path (and every address) stays."""
        name = check_channel_name(name)
        with self._store.db.session(write=True) as session:
            channel = _get(session, channel_id)
            channel.name = name
            _flush(session)
            return ChannelRecord.of(channel)

    def preview_segment(self, channel_id: int, segment: str) -> PathChange:
        """What :meth:`set_segment` would change (nothing is written)."""
        with self._store.db.session() as session:
            channel = _get(session, channel_id)
            parent_path = channel.parent.path if channel.parent else None
            return _plan(session, channel, joined(parent_path, check_segment(segment)))[0]

    def set_segment(self, channel_id: int, segment: str, *, confirmed: bool = False) -> ChannelRecord:
        """Change the last segment of a channel's path (its subchannels follow); see :meth:`preview_segment`."""
        segment = check_segment(segment)
        with self._store.db.session(write=True) as session:
            channel = _get(session, channel_id)
            parent_path = channel.parent.path if channel.parent else None
            return _apply(session, channel, joined(parent_path, segment), confirmed, channel.parent_id)

    def preview_move(self, channel_id: int, parent_id: int | None) -> PathChange:
        """What :meth:`move` would change (nothing is written)."""
        with self._store.db.session() as session:
            channel = _get(session, channel_id)
            return _plan(session, channel, _moved_path(session, channel, parent_id))[0]

    def move(self, channel_id: int, parent_id: int | None, *, confirmed: bool = False) -> ChannelRecord:
        """Put a channel (with its subchannels) under ``parent_id`` (None: at the top), last among siblings."""
        with self._store.db.session(write=True) as session:
            channel = _get(session, channel_id)
            new_path = _moved_path(session, channel, parent_id)
            return _apply(session, channel, new_path, confirmed, parent_id)

    def shift(self, channel_id: int, step: int) -> ChannelRecord:
        """Move a channel ``step`` places up (negative) or down among its siblings; at an end it stays."""
        with self._store.db.session(write=True) as session:
            channel = _get(session, channel_id)
            siblings = list(
                session.scalars(select(Channel).where(_siblings(channel.parent_id))
                                .order_by(Channel.position, Channel.path))
            )
            at = siblings.index(channel)
            siblings.insert(max(0, min(len(siblings) - 1, at + step)), siblings.pop(at))
            for position, sibling in enumerate(siblings, start=1):
                sibling.position = position
            _flush(session)
            return ChannelRecord.of(channel)


def _get(session: Session, channel_id: int) -> Channel:
    channel = session.get(Channel, channel_id)
    if channel is None:
        raise NotFoundError(f"no channel {channel_id!r}")
    return channel


def _siblings(parent_id: int | None):
    return Channel.parent_id.is_(None) if parent_id is None else Channel.parent_id == parent_id


def _subtree(session: Session, channel: Channel) -> list[Channel]:
    """The channel and every channel below it (by path: the tree's paths nest)."""
    return list(session.scalars(
        select(Channel).where(or_(Channel.id == channel.id, Channel.path.startswith(channel.path + "/", autoescape=True)))
    ))


def _moved_path(session: Session, channel: Channel, parent_id: int | None) -> str:
    segment = channel.path.rsplit("/", 1)[-1]
    if parent_id is None:
        return segment
    parent = _get(session, parent_id)
    if parent.id == channel.id or parent.path.startswith(channel.path + "/"):
        raise ValidationError(f"channel {channel.path} cannot be moved under itself or its subchannel {parent.path}")
    return joined(parent.path, segment)


def _plan(session: Session, channel: Channel, new_path: str) -> tuple[PathChange, list[Channel]]:
    """Check a path change (length, taken paths) and count what it moves."""
    subtree = _subtree(session, channel)
    moved = {c.id: rebased(c.path, channel.path, new_path) for c in subtree}
    check_path_length(list(moved.values()))
    if new_path != channel.path:
        _refuse_taken(session, list(moved.values()), besides={c.id for c in subtree})
    published = session.scalar(
        select(func.count(Article.id)).where(
            Article.channel_id.in_(list(moved)), Article.status.in_(PUBLIC_STATUSES), Article.number.is_not(None),
            Article.deleted_at.is_(None),
        )
    ) if new_path != channel.path else 0
    return PathChange(channel.path, new_path, len(subtree), published or 0), subtree


def _apply(session: Session, channel: Channel, new_path: str, confirmed: bool, parent_id: int | None) -> ChannelRecord:
    change, subtree = _plan(session, channel, new_path)
    if change.published and not confirmed:
        raise AddressChangeUnconfirmed(change)
    if parent_id != channel.parent_id:
        channel.parent_id = parent_id
        channel.position = (session.scalar(select(func.max(Channel.position)).where(_siblings(parent_id))) or 0) + 1
    if new_path != channel.path:
        old_paths = {c.id: c.path for c in subtree}
        # Deepest first is not needed (no new path equals an old one outside the subtree), but
        # a stable order keeps both backends' unique checks quiet row by row.
        for moved in sorted(subtree, key=lambda c: c.path):
            moved.path = rebased(moved.path, change.old_path, new_path)
        _flush(session)
        _record_redirects(session, old_paths, {c.id: c.path for c in subtree})
    _flush(session)
    return ChannelRecord.of(channel)


def _record_redirects(session: Session, old_paths: dict[int, str], new_paths: dict[int, str]) -> None:
    """Each public article of the moved channels: its old page path now redirects to it (core.addresses rules)."""
    rows = session.execute(
        select(Article.id, Article.channel_id, Article.number).where(
            Article.channel_id.in_(list(old_paths)), Article.status.in_(PUBLIC_STATUSES), Article.number.is_not(None)
        )
    ).all()
    now = utcnow()
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        old = [page_path(old_paths[channel_id], number) for _id, channel_id, number in chunk]
        new = [page_path(new_paths[channel_id], number) for _id, channel_id, number in chunk]
        # A redirect at a new path is dropped (the article's own page is there now); one recorded
        # before at an old path now leads to this article (the newest move wins).
        session.execute(delete(ArticleRedirect).where(ArticleRedirect.old_path.in_(new + old)))
        session.execute(insert(ArticleRedirect), [
            {"article_id": article_id, "old_path": path, "created_at": now}
            for (article_id, _channel, _number), path in zip(chunk, old, strict=True)
        ])


def _refuse_taken(session: Session, paths: list[str], besides: frozenset[int] | set[int] = frozenset()) -> None:
    for start in range(0, len(paths), _CHUNK):
        taken = session.scalars(
            select(Channel.path).where(Channel.path.in_(paths[start : start + _CHUNK]), Channel.id.not_in(list(besides)))
        ).first()
        if taken is not None:
            raise DuplicateError(f"a channel with path {taken} already exists")


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        raise DuplicateError(f"cannot change the channels: a path that must be unique is taken ({exc.orig})") from exc
