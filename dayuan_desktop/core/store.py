"""The store: every read and write of articles, channels, revisions and search.

Photos are ``store.photos`` (``core.photo_library``); list queries are in ``core.article_list``.
One short session per call (callers on other threads use the same Store safely: each call
opens its own session). Callers get records (``core.records``), never ORM objects.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from functools import cached_property

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from dayuan_desktop.core.addresses import (
    keep_public_address,
    public_path,
    record_move,
    redirect_rows,
    renumbered_to,
)
from dayuan_desktop.core.article_list import MAX_PAGE, ArticleQuery, list_filter, sort_column, summaries
from dayuan_desktop.core.channel_edits import ChannelEditor
from dayuan_desktop.core.db import Database
from dayuan_desktop.core.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from dayuan_desktop.core.leases import LeaseBook
from dayuan_desktop.core.markers import SERVER_TEXT_FORMATS
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
from dayuan_desktop.core.photo_library import PhotoLibrary
from dayuan_desktop.core.published import PublishedSources, load_articles, published_rows, published_sources
from dayuan_desktop.core.records import (
    ArticleRecord,
    ArticleSummary,
    ChannelRecord,
    Page,
    PublishedRow,
    RevisionRecord,
)
from dayuan_desktop.core.search import SEARCH_FORMAT, SearchFilter, SearchIndex, make_sort_key
from dayuan_desktop.core.snapshots import article_snapshot, jsonable, values_from_snapshot
from dayuan_desktop.core.validation import check_article_values, check_channel_path


class Store:
    """The newsroom's data, on one database."""

    def __init__(self, database: Database, user_name: str = "editor") -> None:
        self.db = database
        self.user_name = user_name
        self.search_index = SearchIndex(database.dialect)
        self.photos = PhotoLibrary(self)
        self.leases = LeaseBook(database, lambda: self.user_name)  # read at each take: the name can change
        self.channels = ChannelEditor(self)  # create, rename, move, reorder (core.channel_edits)

    @cached_property
    def database_id(self) -> str:
        """This database's stable identity (a uuid string kept in the database; see core.sync)."""
        from dayuan_desktop.core.sync.identity import database_id

        return database_id(self.db)

    # -- setup ---------------------------------------------------------------------------
    def ensure_search_index(self, progress=None) -> bool:
        """Rebuild the search index when it was built by another index format; True if rebuilt."""
        with self.db.session() as session:
            current = session.execute(text("SELECT value FROM app_meta WHERE key = 'search_format'")).scalar()
        if current == SEARCH_FORMAT or (self.db.dialect != "sqlite" and current in SERVER_TEXT_FORMATS):
            return False
        self.rebuild_search_index(progress)
        return True

    def rebuild_search_index(self, progress=None) -> int:
        """Index every article again from scratch (``progress(done, total)``); returns how many were indexed.

        Sort keys are recomputed too (databases from before the search index have zeros).
        """
        with self.db.session(write=True) as session:
            conn = session.connection()
            stale = [
                {"id": row.id, "key": make_sort_key(row.published_at or row.created_at, row.id)}
                for row in session.execute(
                    select(Article.id, Article.published_at, Article.created_at, Article.sort_key)
                )
                if row.sort_key != make_sort_key(row.published_at or row.created_at, row.id)
            ]
            if stale:
                conn.execute(text("UPDATE articles SET sort_key = :key WHERE id = :id"), stale)
            count = self.search_index.rebuild(conn, progress=progress)
            _set_meta(session, "search_format", SEARCH_FORMAT)
        return count

    # -- channels ------------------------------------------------------------------------
    def create_channel(
        self, path: str, name: str | None = None, *, parents: bool = True, session: Session | None = None
    ) -> ChannelRecord:
        """Create a channel (and, with ``parents``, its missing parent channels); existing ones are kept."""
        check_channel_path(path)
        if session is None:
            with self.db.session(write=True) as own:
                return self.create_channel(path, name, parents=parents, session=own)
        return ChannelRecord.of(self._ensure_channel(session, path, name, parents=parents))

    def list_channels(self) -> list[ChannelRecord]:
        """Every channel, ordered by path (parents before children)."""
        with self.db.session() as session:
            return [ChannelRecord.of(c) for c in session.scalars(select(Channel).order_by(Channel.path))]

    def _ensure_channel(self, session: Session, path: str, name: str | None, *, parents: bool) -> Channel:
        existing = session.scalar(select(Channel).where(Channel.path == path))
        if existing is not None:
            return existing
        parent = None
        if "/" in path:
            parent_path = path.rsplit("/", 1)[0]
            parent = session.scalar(select(Channel).where(Channel.path == parent_path))
            if parent is None:
                if not parents:
                    raise NotFoundError(f"parent channel '{parent_path}' does not exist")
                parent = self._ensure_channel(session, parent_path, None, parents=True)
        channel = Channel(path=path, name=name or path.rsplit("/", 1)[-1], parent=parent, position=0)
        session.add(channel)
        session.flush()
        return channel

    def _channel_for(self, session: Session, path: str | None) -> Channel | None:
        if path is None:
            return None
        channel = session.scalar(select(Channel).where(Channel.path == path))
        if channel is None:
            known = session.scalars(select(Channel.path).order_by(Channel.path).limit(30)).all()
            listing = ", ".join(known) if known else "none yet"
            raise NotFoundError(
                f"unknown channel '{path}' (existing channels: {listing}); "
                "create it first or import with --create-channels"
            )
        return channel

    # -- articles: read ------------------------------------------------------------------
    def get_article(self, key: int | str) -> ArticleRecord:
        """An article by id (int) or uuid (str); for what a user types (``"#4709"``), use :meth:`find_article`."""
        with self.db.session() as session:
            return ArticleRecord.of(self.article_row(session, key))

    def find_article(self, reference: str) -> ArticleRecord:
        """An article by what a user types: its public number or its uuid."""
        reference = reference.strip().lstrip("#")
        with self.db.session() as session:
            if reference.isdigit():
                article = session.scalar(select(Article).where(Article.number == int(reference)))
            else:
                article = session.scalar(select(Article).where(Article.uuid == reference))
            if article is None:
                now = renumbered_to(session, int(reference)) if reference.isdigit() else None
                moved = f" (article {reference} was renumbered: it is now {now})" if now is not None else ""
                raise NotFoundError(f"no article with number or uuid '{reference}'{moved}")
            return ArticleRecord.of(article)

    # -- inside a caller's session (core collaborators: the photo library, core.photos.attaching) --
    def article_row(self, session: Session, key: int | str, *, for_update: bool = False) -> Article:
        """The article's row (by id or uuid) in ``session``; ``for_update`` locks it until the commit.

        For core modules that change an article inside one transaction with other work; the
        row never leaves core (callers outside it get records).
        """
        stmt = select(Article).where(Article.id == key if isinstance(key, int) else Article.uuid == key)
        if for_update and session.bind.dialect.name != "sqlite":
            # OF articles: the eagerly joined channel is the nullable side of an outer join,
            # which PostgreSQL refuses to lock ("FOR UPDATE cannot be applied to the nullable side").
            stmt = stmt.with_for_update(of=Article)
        article = session.scalar(stmt)
        if article is None:
            raise NotFoundError(f"no article {key!r}")
        return article

    def list_articles(self, query: ArticleQuery | None = None) -> Page:
        """One page of article summaries with the total count for the filters."""
        query = query or ArticleQuery()
        if not 0 <= query.limit <= MAX_PAGE or query.offset < 0:
            raise ValidationError(f"page limit must be 0–{MAX_PAGE} and offset not negative")
        with self.db.session() as session:
            channel = None if query.channel_path is None else self._channel_for(session, query.channel_path)
            total = session.scalar(list_filter(select(func.count(Article.id)), query, channel))
            column = sort_column(query.sort)
            order = (column.desc(), Article.id.desc()) if query.descending else (column.asc(), Article.id.asc())
            if query.sort in ("published", "number", "channel"):
                order = (column.is_(None), *order)  # articles without one come last in both directions
            # Order and page over ids only, then load those rows: sorting whole rows would drag
            # every article's body through the sorter.
            page_ids = session.scalars(
                list_filter(select(Article.id), query, channel)
                .order_by(*order).offset(query.offset).limit(query.limit)
            ).all()
            items = tuple(summaries(session, page_ids))
        return Page(items=items, total=total or 0, offset=query.offset, limit=query.limit)

    # -- articles: write -----------------------------------------------------------------
    def create_article(self, *, kind: RevisionKind = RevisionKind.CREATE, **values) -> ArticleRecord:
        """Create an article from editable fields; writes its first revision."""
        return self.create_articles([values], kind=kind)[0]

    def create_articles(
        self, batch: Sequence[dict], *, kind: RevisionKind = RevisionKind.CREATE, session: Session | None = None
    ) -> list[ArticleRecord]:
        """Create several articles in one transaction: all of them, or (on any error) none."""
        cleaned = [check_article_values(values) for values in batch]
        if session is None:
            with self.db.session(write=True) as own:
                return self._create_all(own, cleaned, kind)
        return self._create_all(session, cleaned, kind)

    def _create_all(self, session: Session, cleaned: list[dict], kind: RevisionKind) -> list[ArticleRecord]:
        records = []
        for clean in cleaned:
            now = utcnow()
            uuid = clean.pop("uuid", None)
            if uuid is not None and session.scalar(select(Article.id).where(Article.uuid == uuid)) is not None:
                raise DuplicateError(f"an article with uuid {uuid} is already in the database")
            article = Article(
                uuid=uuid or str(uuid_module.uuid4()),
                title="", subtitle="", author="", source="", summary="", body="", status=ArticleStatus.DRAFT.value,
                comment_count=0, like_count=0, view_count=0, version=1, updated_by=self.user_name,
                created_at=now, updated_at=now, sort_key=0, tag_links=[], photo_links=[],
            )
            session.add(article)
            # Every value is set before the first INSERT: rewriting a row (and its long body)
            # with an UPDATE per field made bulk imports several times slower.
            with session.no_autoflush:
                self.apply_values(session, article, clean)
            self._after_write(session, article, kind, new=True)
            records.append(ArticleRecord.of(article))
        return records

    def update_article(
        self,
        article_id: int,
        changes: dict,
        *,
        expected_version: int,
        kind: RevisionKind = RevisionKind.SAVE,
        clear: Collection[str] = (),
    ) -> ArticleRecord:
        """Save changes made to version ``expected_version`` of an article.

        When someone saved a newer version meanwhile, the changes are kept as a
        ``conflict`` revision and :class:`ConflictError` says who saved when. An empty number
        or publish time keeps the stored one; ``clear`` names those to empty (see core.addresses).
        """
        clean = check_article_values(changes)
        conflict: ConflictError | None = None
        with self.db.session(write=True) as session:
            article = self.article_row(session, article_id, for_update=True)
            if article.version != expected_version:
                losing = {**article_snapshot(article), **jsonable(clean)}
                revision = Revision(
                    article_id=article.id, article_version=expected_version, kind=RevisionKind.CONFLICT.value,
                    created_at=utcnow(), created_by=self.user_name, snapshot=losing,
                )
                session.add(revision)
                session.flush()
                conflict = ConflictError(
                    article.id, expected_version, article.version, article.updated_by, article.updated_at, revision.id,
                    number=article.number, title=article.title,
                )
            else:
                kept = keep_public_address(article, clean, clear)
                old_path = public_path(article)
                self.before_text_change(session, [article.id])
                self.apply_values(session, article, kept)
                record_move(session, article, old_path)
                self.record_edit(session, article, kind)
                record = ArticleRecord.of(article)
        if conflict is not None:
            raise conflict
        return record

    def trash_article(self, article_id: int) -> ArticleRecord:
        """Move an article to the trash (hidden from lists and search, restorable)."""
        return self._set_trashed(article_id, utcnow())

    def restore_article(self, article_id: int) -> ArticleRecord:
        """Bring an article back from the trash."""
        return self._set_trashed(article_id, None)

    def _set_trashed(self, article_id: int, when: datetime | None) -> ArticleRecord:
        with self.db.session(write=True) as session:
            article = self.article_row(session, article_id, for_update=True)
            article.deleted_at = when
            article.version += 1
            article.updated_at = utcnow()
            article.updated_by = self.user_name
            session.add(
                Revision(
                    article_id=article.id, article_version=article.version,
                    kind=(RevisionKind.TRASH if when else RevisionKind.RESTORE).value,
                    created_at=utcnow(), created_by=self.user_name, snapshot=article_snapshot(article),
                )
            )
            session.flush()
            return ArticleRecord.of(article)

    def purge_article(self, article_id: int) -> None:
        """Delete a trashed article for good, with its revisions (its photos stay in the library)."""
        with self.db.session(write=True) as session:
            article = self.article_row(session, article_id, for_update=True)
            if article.deleted_at is None:
                raise ValidationError(f"article {article_id} is not in the trash; move it to the trash first")
            conn = session.connection()
            old = self.search_index.texts_before_change(conn, [article.id])
            self.search_index.remove(conn, article.id, old.get(article.id))
            session.delete(article)

    def apply_values(self, session: Session, article: Article, clean: dict) -> None:
        """Set checked values (:func:`check_article_values`) on ``article`` in ``session``."""
        for name, value in clean.items():
            if name == "uuid":
                if value != article.uuid:
                    raise ValidationError("an article's uuid never changes")
            elif name == "tags":
                self._set_tags(session, article, value)
            elif name == "channel_path":
                article.channel = self._channel_for(session, value)
            elif name == "number":
                if value is not None and value != article.number:
                    holder = session.scalar(select(Article).where(Article.number == value))
                    if holder is not None:
                        raise DuplicateError(
                            f"number {value} is already used by article '{holder.title}' ({holder.uuid})"
                        )
                article.number = value
            else:
                setattr(article, name, value)

    def _set_tags(self, session: Session, article: Article, names: Sequence[str]) -> None:
        existing = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(names)))} if names else {}
        if article.tag_links:
            article.tag_links.clear()
            session.flush()  # old links go before new ones with the same key are inserted
        for position, name in enumerate(names):
            tag = existing.get(name)
            if tag is None:
                tag = Tag(name=name)
                session.add(tag)
                existing[name] = tag
            article.tag_links.append(ArticleTag(tag=tag, position=position))

    def _after_write(self, session: Session, article: Article, kind: RevisionKind, *, new: bool = False) -> None:
        if article.status == ArticleStatus.PUBLISHED.value:
            # Publishing gives the article its public page number and time, unless it has them.
            if article.number is None:
                article.number = next_article_number(session)
            if article.published_at is None:  # whole seconds: what pages and the editor's time field show
                article.published_at = utcnow().replace(microsecond=0)
        try:
            session.flush()
        except IntegrityError as exc:
            raise DuplicateError(f"cannot save: a value that must be unique is already used ({exc.orig})") from exc
        self.reindex(session, article, new=new)
        session.add(
            Revision(
                article_id=article.id, article_version=article.version, kind=kind.value,
                created_at=utcnow(), created_by=self.user_name, snapshot=article_snapshot(article),
            )
        )
        session.flush()

    def record_edit(self, session: Session, article: Article, kind: RevisionKind = RevisionKind.SAVE) -> None:
        """Finish an edit of ``article`` made in ``session`` as every save does: new version, who
        and when, search index, revision. Call :meth:`before_text_change` before changing it."""
        article.version += 1
        article.updated_at = utcnow()
        article.updated_by = self.user_name
        self._after_write(session, article, kind)

    def before_text_change(self, session: Session, article_ids: Sequence[int]) -> None:
        """Remember what the index holds for articles whose search text may change next.

        Must run before the change reaches the database: the index can only forget an
        article's old entry given the text it was built from (see core.search). Then
        :meth:`reindex` (or :meth:`record_edit`) once the change is made.
        """
        pending = session.info.setdefault(_OLD_SEARCH_TEXTS, {})
        todo = [i for i in article_ids if i not in pending]
        if todo:
            session.flush()  # nothing of the coming change is pending yet; earlier work is
            pending.update(self.search_index.texts_before_change(session.connection(), todo))

    def reindex(self, session: Session, article: Article, *, new: bool = False, text=None) -> None:
        """Bring the sort key and search entry up to date (``text``: what the caller wrote, else read back)."""
        article.sort_key = make_sort_key(article.published_at or article.created_at, article.id)
        session.flush()
        old = session.info.get(_OLD_SEARCH_TEXTS, {}).pop(article.id, None)
        self.search_index.update(session.connection(), article.id, old_text=old, new=new, new_text=text)

    # -- revisions -----------------------------------------------------------------------
    def list_revisions(self, article_id: int) -> list[RevisionRecord]:
        """An article's revisions, newest first."""
        with self.db.session() as session:
            self.article_row(session, article_id)
            rows = session.scalars(
                select(Revision).where(Revision.article_id == article_id).order_by(Revision.id.desc())
            )
            return [RevisionRecord.of(r) for r in rows]

    def restore_revision(self, revision_id: int, *, expected_version: int) -> ArticleRecord:
        """Make a revision's content the article's current content (as a new save)."""
        with self.db.session() as session:
            revision = session.get(Revision, revision_id)
            if revision is None:
                raise NotFoundError(f"no revision {revision_id}")
            article_id, snapshot = revision.article_id, dict(revision.snapshot)
        values = values_from_snapshot(snapshot)
        return self.update_article(article_id, values, expected_version=expected_version, kind=RevisionKind.RESTORE)

    # -- search --------------------------------------------------------------------------
    def search(
        self, query: str, *, offset: int = 0, limit: int = 50, filters: SearchFilter | None = None
    ) -> list[ArticleSummary]:
        """Articles whose text contains every word of ``query``, newest first (see core.search)."""
        if not 0 <= limit <= MAX_PAGE or offset < 0:
            raise ValidationError(f"page limit must be 0–{MAX_PAGE} and offset not negative")
        with self.db.session() as session:
            ids = self.search_index.search(session.connection(), query, offset=offset, limit=limit, filters=filters)
            if not ids:
                return []
            return summaries(session, ids)

    def all_articles(self, *, include_trashed: bool = False, batch: int = 200) -> Iterable[ArticleRecord]:
        """Every article in full, oldest first, loaded in batches (for export and scans)."""
        last_id = 0
        while True:
            with self.db.session() as session:
                stmt = select(Article).where(Article.id > last_id).order_by(Article.id).limit(batch)
                if not include_trashed:
                    stmt = stmt.where(Article.deleted_at.is_(None))
                rows = session.scalars(stmt.options(selectinload(Article.photo_links))).all()
                records = [ArticleRecord.of(a) for a in rows]
            if not records:
                return
            yield from records
            last_id = records[-1].id

    def get_articles(self, ids: Sequence[int]) -> list[ArticleRecord]:
        """Several articles in full, in the order of ``ids`` (missing ones are left out)."""
        found: dict[int, ArticleRecord] = {}
        with self.db.session() as session:
            for start in range(0, len(ids), 500):
                found.update(load_articles(session.connection(), ids[start : start + 500]))
        return [found[i] for i in ids if i in found]

    def published_rows(self) -> list[PublishedRow]:
        """What the export needs to decide what changed: one light row per live published article."""
        with self.db.session() as session:
            return published_rows(session.connection())

    def published_sources(self) -> PublishedSources:
        """The same articles and their photos as the export plans from: rows as stored."""
        with self.db.session() as session:
            return published_sources(session.connection())

    def redirects(self) -> list[tuple[str, int, str]]:
        """(old path, article id, current path) of each live published article's earlier addresses."""
        with self.db.session() as session:
            return redirect_rows(session.connection())

    def tag_names(self) -> list[str]:
        """Every tag name in use, sorted (for completion in the editor)."""
        with self.db.session() as session:
            return list(session.scalars(select(Tag.name).order_by(Tag.name)))

    def count_articles(self) -> int:
        """How many articles exist (trashed ones included)."""
        with self.db.session() as session:
            return session.scalar(select(func.count(Article.id))) or 0


_OLD_SEARCH_TEXTS = "dayuan_old_search_texts"  # session.info key: article id → indexed text


def _set_meta(session: Session, key: str, value: str) -> None:
    updated = session.execute(text("UPDATE app_meta SET value = :v WHERE key = :k"), {"k": key, "v": value})
    if updated.rowcount == 0:
        session.execute(text("INSERT INTO app_meta (key, value) VALUES (:k, :v)"), {"k": key, "v": value})
