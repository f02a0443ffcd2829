"""A checked package as a fresh SQLite database: the package's articles exactly, nothing else.

The sync engine applies such a database like any other peer (receive only), so an imported
package follows the same merge rules as a sync. Each photo is decoded once more here (a photo
that matches its sha256 can still be a damaged or hostile image).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, text

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.models import Article, Revision, RevisionKind
from dayuan_desktop.core.packages.limits import PackageError
from dayuan_desktop.core.packages.ninjs import PackagedArticle
from dayuan_desktop.core.packages.reading import VerifiedPackage
from dayuan_desktop.core.photos.importing import read_photo
from dayuan_desktop.core.search.text import make_sort_key
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.identity import DATABASE_ID_KEY


def materialize(package: VerifiedPackage, sqlite_path: Path, *, user_name: str = "package") -> Store:
    """Build a new SQLite database at ``sqlite_path`` (the normal migrations) holding the package's articles.

    Same uuid, version, times, fields, body, number (or none), status, trash time and photos with
    their captions. The new database takes the sender's identity (``package.sender``), so the
    bases an import records are the sender's and a second import of the same package finds them.
    On any failure the new file is removed and PackageError says why.
    """
    sqlite_path = Path(sqlite_path)
    if sqlite_path.exists():
        raise PackageError(f"{sqlite_path} already exists; a package is materialized into a new database only")
    database = open_database(sqlite_path)
    store = Store(database, user_name=user_name)
    try:
        with database.session(write=True) as session:
            session.execute(text("UPDATE app_meta SET value = :v WHERE key = :k"),
                            {"k": DATABASE_ID_KEY, "v": package.sender})
            for article in package.articles:
                _add_article(store, session, package, article)
    except BaseException as exc:
        database.dispose()
        for leftover in (sqlite_path, *sqlite_path.parent.glob(sqlite_path.name + "-*")):
            leftover.unlink(missing_ok=True)
        if isinstance(exc, DayuanError) and not isinstance(exc, PackageError):
            raise PackageError(f"{package.source.name}: {exc}") from None
        raise
    return store


def _add_photos(store: Store, session, package: VerifiedPackage, article: PackagedArticle) -> None:
    for photo in article.photos:
        file = read_photo(package.photo_bytes(photo.sha256), name=f"photo {photo.sha256[:12]}…")
        store.photos.add_photo(
            file.data, format=file.format, width=file.width, height=file.height, caption=photo.caption,
            photographer=photo.photographer, original_name=photo.original_name, web_name=photo.web_name or None,
            credit=photo.credit, copyright=photo.copyright, keywords=list(file.metadata.keywords),
            taken_at=photo.taken_at, session=session,
        )


def _add_article(store: Store, session, package: VerifiedPackage, article: PackagedArticle) -> None:
    channel = article.values.get("channel_path")
    if channel:
        store.create_channel(channel, article.channel_name, session=session)
    _add_photos(store, session, package, article)
    [created] = store.create_articles([article.values], kind=RevisionKind.IMPORT, session=session)
    if article.photos:
        lead = next((p.sha256 for p in article.photos if p.is_lead), None)
        store.photos.set_article_photos(created.id, [p.sha256 for p in article.photos], lead=lead, session=session)
    row = session.scalar(select(Article).where(Article.id == created.id))
    # The package's version and times, not this database's: the sync engine compares them.
    row.version, row.created_at, row.updated_at = article.version, article.created_at, article.updated_at
    row.updated_by, row.deleted_at = article.updated_by, article.deleted_at
    row.sort_key = make_sort_key(row.published_at or row.created_at, row.id)
    for revision in session.scalars(select(Revision).where(Revision.article_id == row.id)):
        revision.article_version = article.version
    session.flush()
