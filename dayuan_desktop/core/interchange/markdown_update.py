"""Importing a Markdown file whose uuid is already in the database (exported, edited elsewhere).

The file's ``version`` is the stored version it was exported from. Unchanged since: the file's
content becomes the article's (a new ``import`` revision). Saved since: the file and the stored
article are merged against that version's revision, by paragraph and field as sync does; where
both changed the same paragraph or field, the stored article stays and the file becomes a
conflict copy (a new draft without a number, linked to it), as in sync. Nothing is lost.

A file's missing optional key means empty: export-md leaves out exactly the empty fields.
"""

from __future__ import annotations

import uuid as uuid_module

from sqlalchemy import select
from sqlalchemy.orm import Session

from dayuan_desktop.core.interchange.markdown_files import ParsedMarkdownArticle, link_photos
from dayuan_desktop.core.models import Revision, RevisionKind
from dayuan_desktop.core.photos.importing import IncomingPhoto, store_incoming
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.content import article_content, load_article
from dayuan_desktop.core.sync.exchange import conflict_copy_content
from dayuan_desktop.core.sync.merge import merge_content
from dayuan_desktop.core.sync.writing import write_content

_EMPTY = {"subtitle": "", "author": "", "source": "", "summary": "", "published_at": None, "tags": [],
          "channel_path": None, "number": None}


def update_existing(
    store: Store, parsed: ParsedMarkdownArticle, photo_files: list, create_channels: bool
) -> tuple[int, list[str]] | None:
    """Update (or merge into, or keep a conflict copy of) the stored article; None if its uuid is new."""
    uuid = parsed.values["uuid"]
    with store.db.session(write=True) as session:
        article = load_article(session, uuid, for_update=True)
        if article is None:
            return None
        stored = article_content(article)
        file = _file_content(store, session, parsed, photo_files, stored, create_channels)
        version = article.version
        if file == stored:
            return article.id, ["already up to date"]
        if parsed.version == version:
            write_content(store, session, uuid, file, side="this database", expected=version, kind=RevisionKind.IMPORT)
            return article.id, []
        base = _base_content(session, article.id, parsed.version, stored)
        merged = merge_content(base, file, stored).content if base is not None else None
        if merged is not None:
            write_content(store, session, uuid, merged, side="this database", expected=version,
                          kind=RevisionKind.IMPORT)
            return article.id, [f"merged with the changes saved since version {parsed.version} (now {version})"]
        copy_uuid = str(uuid_module.uuid4())
        write_content(store, session, copy_uuid, conflict_copy_content(file, uuid), side="this database",
                      expected=None, kind=RevisionKind.IMPORT)
        copy = load_article(session, copy_uuid)
        since = f"version {parsed.version}" if parsed.version else "the file was written (it has no version)"
        return copy.id, [f"the stored article changed since {since}: it stays as it is (version {version}); "
                         f"this file became conflict copy {copy_uuid}"]


def _file_content(
    store: Store, session: Session, parsed: ParsedMarkdownArticle, photo_files: list, stored: dict,
    create_channels: bool,
) -> dict:
    """The file's article as sync content (its photos stored first, in this transaction)."""
    values = {**_EMPTY, **{k: v for k, v in parsed.values.items() if k != "uuid"}}
    if values["channel_path"] and create_channels:
        store.create_channel(values["channel_path"], session=session)
    shas = []
    for ref, (_data, info) in zip(parsed.photos, photo_files, strict=True):
        # The Markdown line's caption/photographer win; the file's own fill what the line leaves out.
        incoming = IncomingPhoto(info, *info.text(ref.caption or None, ref.photographer or None), ref.path.name)
        shas.append(store_incoming(store, incoming, session=session).record.sha256)
    content = {**stored, **values, "body": link_photos(parsed.body, parsed.photos, shas)}
    content["published_at"] = values["published_at"].isoformat() if values["published_at"] else None
    if shas and list(dict.fromkeys(shas)) != [sha for sha, _ in stored["photos"]]:
        content["photos"] = [[sha, i == 0] for i, sha in enumerate(dict.fromkeys(shas))]
    return content


def _base_content(session: Session, article_id: int, version: int | None, stored: dict) -> dict | None:
    """The article as it was at ``version`` (its revision), as sync content; None if unknown."""
    if version is None:
        return None
    snapshot = session.scalar(
        select(Revision.snapshot)
        .where(Revision.article_id == article_id, Revision.article_version == version,
               Revision.kind != RevisionKind.CONFLICT.value)  # a lost race keeps its own content there
        .order_by(Revision.id.desc()).limit(1)
    )
    if snapshot is None:
        return None
    base = {**stored, **{k: v for k, v in snapshot.items() if k in stored and k != "photos"}}
    shas = snapshot.get("photos", [])
    stored_shas = [sha for sha, _ in stored["photos"]]
    base["photos"] = stored["photos"] if shas == stored_shas else [[sha, i == 0] for i, sha in enumerate(shas)]
    return base
