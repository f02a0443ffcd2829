"""The one writer of a batch import: many prepared files (``import_prepare``) in one transaction.

Each file is checked against the database and against the files before it *before* anything
is written (uuid already there, number already used, channel missing), so a file that would
fail fails alone and no file is ever half written; the batch's rows then go in with a few
executemany statements (articles, tags, revisions, search index) instead of the ORM's
statements per row. What the ORM path does per article is done here the same way: a published
article without a number gets the next one (in file order, as one file after the other would
get them), one without a time gets now, and its first revision is an ``import`` one.

A file this writer does not handle itself (its uuid is in the database already, its channel
is missing) stops the batch there: :func:`write_batch` says where, the caller commits what came
before and imports that file the one-file way, so the order (and the numbers given) stay those
of a one-by-one import.

A portal page's photos (read and checked in a worker) are stored and linked in the same
transaction (``import_writer_photos``); channels created for a mirror's pages get the names
the site gives them, parents first.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from dayuan_desktop.core.interchange.import_prepare import Prepared
from dayuan_desktop.core.interchange.import_writer_photos import link_photos, store_photos, stored_entry
from dayuan_desktop.core.models import (
    Article,
    ArticleStatus,
    ArticleTag,
    Channel,
    Revision,
    RevisionKind,
    Tag,
    utcnow,
)
from dayuan_desktop.core.numbers import next_article_number
from dayuan_desktop.core.search import building, bulk
from dayuan_desktop.core.search.text import make_sort_key

_ARTICLES = Article.__table__
_CHUNK = 500  # ids or names per IN (...) list


@dataclass(frozen=True)
class Written:
    """What became of one prepared file: a new article, one already there (same file), or an error."""

    prepared: Prepared
    article_id: int | None = None
    already: bool = False
    error: str | None = None
    warnings: tuple[str, ...] | None = None  # None: the prepared file's own
    stored: tuple = ()  # the photos stored for it (StoredPhoto), in page order
    duplicate: bool = False  # its number is another article's (an article imported before)


@dataclass
class _Row:
    prepared: Prepared
    values: dict
    stored: tuple = ()
    warnings: tuple[str, ...] | None = None


def write_batch(
    store, session: Session, batch: list[Prepared], *, create_channels: bool, channel_names: Mapping[str, str] = {}
) -> tuple[list[Written], int]:
    """Write ``batch`` (no error, no slow ones) in ``session``; returns what became of each file
    and how many were taken: ``taken < len(batch)`` means ``batch[taken]`` must be imported the
    one-file way before the rest. ``channel_names`` name the channels created (by path)."""
    conn = session.connection()
    found = _existing_uuids(conn, [p.values["uuid"] for p in batch])
    holders = _number_holders(conn, [p.values["number"] for p in batch if p.values.get("number") is not None])
    channels = dict(session.execute(select(Channel.path, Channel.id)).all())
    stored_max: int | None = None  # the highest number in the database, read when first needed
    batch_max = 0  # the highest number given to a file before this one in the batch
    written: list[Written | _Row | tuple[Prepared, _Row]] = []
    seen: dict[str, _Row] = {}
    taken = 0
    for prepared in batch:
        values = dict(prepared.values)
        uuid, path = values["uuid"], prepared.item.path
        if uuid in found or uuid in seen:
            if not prepared.file_uuid:
                break  # a file naming a stored uuid: an update, a merge or a conflict copy
            written.append(Written(prepared, found[uuid], already=True) if uuid in found else (prepared, seen[uuid]))
            taken += 1
            continue
        channel = values.get("channel_path")
        if channel and channel not in channels:
            if not create_channels:
                break  # the one-file import says which channels there are
            channels = _create_channel(store, session, channel, channel_names)
        number = values.get("number")
        if number is not None and number in holders:
            title, holder_uuid = holders[number]
            written.append(Written(prepared, error=f"{path}: number {number} is already used by article "
                                                   f"'{title}' ({holder_uuid})", duplicate=True))
            taken += 1
            continue
        if values.get("status") == ArticleStatus.PUBLISHED.value:
            if number is None:
                if stored_max is None:  # read once, under the numbering lock (PostgreSQL)
                    stored_max = next_article_number(session) - 1
                number = values["number"] = max(stored_max, batch_max) + 1
            if values.get("published_at") is None:
                values["published_at"] = utcnow().replace(microsecond=0)
        if number is not None:
            holders[number] = (values.get("title", ""), uuid)
            batch_max = max(batch_max, number)
        row = _Row(prepared, values)
        if prepared.photos:
            row.stored, row.warnings = store_photos(store, session, prepared)
        seen[uuid] = row
        written.append(row)
        taken += 1
    rows = [item for item in written if isinstance(item, _Row)]
    ids = _insert(store, session, rows, channels) if rows else []
    by_row = {id(row): article_id for row, article_id in zip(rows, ids, strict=True)}
    return [_result(item, by_row) for item in written], taken


def _result(item, by_row: dict[int, int]) -> Written:
    if isinstance(item, Written):
        return item
    if isinstance(item, tuple):  # a second copy of a file in the same batch: the first one's article
        return Written(item[0], by_row[id(item[1])], already=True)
    return Written(item.prepared, by_row[id(item)], warnings=item.warnings, stored=item.stored)


def _create_channel(store, session: Session, path: str, names: Mapping[str, str]) -> dict[str, int]:
    """Create a channel and its missing parents, parents first so each gets its own name; every channel's id."""
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        store.create_channel("/".join(parts[:depth]), names.get("/".join(parts[:depth])), session=session)
    return dict(session.execute(select(Channel.path, Channel.id)).all())


def _existing_uuids(conn, uuids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(uuids), _CHUNK):
        chunk = uuids[start : start + _CHUNK]
        found.update(conn.execute(select(_ARTICLES.c.uuid, _ARTICLES.c.id).where(_ARTICLES.c.uuid.in_(chunk))).all())
    return found


def _number_holders(conn, numbers: list[int]) -> dict[int, tuple[str, str]]:
    holders: dict[int, tuple[str, str]] = {}
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start : start + _CHUNK]
        rows = conn.execute(
            select(_ARTICLES.c.number, _ARTICLES.c.title, _ARTICLES.c.uuid).where(_ARTICLES.c.number.in_(chunk))
        ).all()
        holders.update({number: (title, uuid) for number, title, uuid in rows})
    return holders


def _insert(store, session: Session, rows: list[_Row], channels: dict[str, int]) -> list[int]:
    """Insert the new articles with their tags, first revisions and index entries; their ids."""
    conn = session.connection()
    now = utcnow()
    user = store.user_name
    article_rows = [_article_row(row.values, channels, now, user) for row in rows]
    if conn.dialect.name == "sqlite":
        ids = _insert_with_ids(conn, article_rows, now)
    else:
        ids = list(conn.execute(insert(_ARTICLES).returning(_ARTICLES.c.id, sort_by_parameter_order=True),
                                article_rows).scalars())
        conn.execute(
            update(_ARTICLES).where(_ARTICLES.c.id == bindparam("b_id")).values(sort_key=bindparam("b_key")),
            [{"b_id": i, "b_key": make_sort_key(r["published_at"] or now, i)}
             for i, r in zip(ids, article_rows, strict=True)],
        )
    tag_ids = _tag_ids(conn, {name for row in rows for name in row.values.get("tags", [])})
    links = [{"article_id": i, "tag_id": tag_ids[name], "position": position}
             for i, row in zip(ids, rows, strict=True) for position, name in enumerate(row.values.get("tags", []))]
    if links:
        conn.execute(insert(ArticleTag.__table__), links)
    conn.execute(insert(Revision.__table__), [
        {"article_id": i, "article_version": 1, "kind": RevisionKind.IMPORT.value, "created_at": now,
         "created_by": user, "snapshot": _snapshot(row.values, r)}
        for i, row, r in zip(ids, rows, article_rows, strict=True)
    ])
    link_photos(conn, [(i, row.stored) for i, row in zip(ids, rows, strict=True) if row.stored])
    dialect = store.search_index.dialect
    _index(store, conn, [(i, stored_entry(row.prepared, row.values, row.stored, dialect) if row.stored
                          else row.prepared.index_entry) for i, row in zip(ids, rows, strict=True)])
    return ids


def _insert_with_ids(conn, article_rows: list[dict], now) -> list[int]:
    """Insert the rows with the ids SQLite would give them, and their sort keys; their ids.

    The table has no AUTOINCREMENT, so SQLite's next id is max + 1, and this runs inside the
    import's write transaction (no other writer). Giving ids here saves the sort keys' second
    pass, and SQLAlchemy runs an ordered ``INSERT … RETURNING`` on SQLite one row at a time.
    """
    first = conn.exec_driver_sql("SELECT coalesce(max(id), 0) + 1 FROM articles").scalar()
    ids = list(range(first, first + len(article_rows)))
    for article_id, row in zip(ids, article_rows, strict=True):
        row["id"] = article_id
        row["sort_key"] = make_sort_key(row["published_at"] or now, article_id)
    conn.execute(insert(_ARTICLES), article_rows)
    return ids


def _article_row(values: dict, channels: dict[str, int], now, user: str) -> dict:
    channel = values.get("channel_path")
    return {
        "uuid": values.get("uuid") or str(uuid_module.uuid4()),
        "number": values.get("number"),
        "channel_id": channels[channel] if channel else None,
        "title": values.get("title", ""), "subtitle": values.get("subtitle", ""),
        "author": values.get("author", ""), "source": values.get("source", ""),
        "published_at": values.get("published_at"), "summary": values.get("summary", ""),
        "status": values.get("status", ArticleStatus.DRAFT.value), "body": values.get("body", ""),
        "comment_count": values.get("comment_count", 0), "like_count": values.get("like_count", 0),
        "view_count": values.get("view_count", 0), "version": 1, "created_at": now, "updated_at": now,
        "updated_by": user, "deleted_at": None, "sort_key": 0, "conflict_of": None,
    }


def _snapshot(values: dict, row: dict) -> dict:
    """The first revision's snapshot, as ``snapshots.snapshot_of`` writes it for an ORM-made article."""
    published = row["published_at"]
    return {
        "title": row["title"], "subtitle": row["subtitle"], "author": row["author"], "source": row["source"],
        "published_at": published.isoformat() if published else None, "summary": row["summary"],
        "status": row["status"], "body": row["body"], "number": row["number"],
        "channel_path": values.get("channel_path"), "tags": list(values.get("tags", [])),
        "comment_count": row["comment_count"], "like_count": row["like_count"], "view_count": row["view_count"],
        "photos": [],
    }


def _tag_ids(conn, names: set[str]) -> dict[str, int]:
    wanted = sorted(names)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(conn.execute(select(Tag.__table__.c.name, Tag.__table__.c.id)
                                  .where(Tag.__table__.c.name.in_(chunk))).all())
    for name in wanted:
        if name not in found:
            found[name] = conn.execute(insert(Tag.__table__).returning(Tag.__table__.c.id), {"name": name}).scalar_one()
    return found


def _index(store, conn, entries: list[tuple[int, tuple]]) -> None:
    """The batch's search-index entries in one statement per table (what ``SearchIndex.update`` writes)."""
    if store.search_index.dialect == "sqlite":
        tables = building.new_tables(conn)
        if tables is None:
            return  # a build of another format is under way: it indexes these articles later
        # FTS5's loading settings (merges of 16 segments: ~18 % less CPU per insert here; an
        # 8 MiB buffer for the batch: ~17 % less again); the defaults come back in the same
        # transaction.
        bulk.set_loading(conn, tables[0], True, batch_buffer=True)
        bulk.insert_entries(conn, [(i, tokens, digest) for i, (tokens, digest) in entries], *tables)
        bulk.set_loading(conn, tables[0], False, batch_buffer=True)
        return
    conn.execute(
        text("INSERT INTO search_docs (article_id, content) VALUES (:id, :content) "
             "ON CONFLICT (article_id) DO UPDATE SET content = EXCLUDED.content"),
        [{"id": i, "content": content} for i, (content,) in entries],
    )
