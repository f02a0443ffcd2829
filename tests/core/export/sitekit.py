"""Builders shared by the site export tests: a SQLite store, published articles with real
photos, and snapshots of a site folder on disk (to say exactly which files an export touched)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text, update

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.export import ExportReport, SiteExporter
from dayuan_desktop.core.export.manifest import MANIFEST_NAME
from dayuan_desktop.core.export.output import TEMP_MARK
from dayuan_desktop.core.models import Article, Photo
from dayuan_desktop.core.records import ArticleRecord, PhotoRecord
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from tests.helpers import jpeg_bytes

BASE_TIME = datetime(2022, 12, 1, 0, 0, tzinfo=UTC)
LONG_AGO = datetime(2022, 12, 13, 6, 46, 28, tzinfo=UTC)
# Small pages so that 8 articles already paginate; two items per channel on the home page.
SMALL_SITE = replace(SiteSettings(), list_page_size=3, home_items_per_channel=2)


def open_sqlite_store(path: Path) -> Store:
    """A store on a fresh SQLite file (the export tests mostly need no PostgreSQL)."""
    database = open_database(path, backup_dir=path.parent / "backups")
    store = Store(database, user_name="tester")
    store.ensure_search_index()
    return store


def title_of(number: int) -> str:
    """A title no other test title contains."""
    return f"测试文章{number}号"


def add_photo(
    store: Store, width: int, height: int, *, color=(170, 40, 40), caption: str = "", photographer: str = ""
) -> PhotoRecord:
    """A real JPEG of that size in the photo library."""
    return store.photos.add_photo(
        jpeg_bytes(width, height, color), format="JPEG", width=width, height=height,
        caption=caption, photographer=photographer, original_name=f"{width}x{height}.jpg",
    )


def publish(
    store: Store,
    number: int | None,
    channel: str,
    *,
    hour: int,
    title: str | None = None,
    photos: tuple[PhotoRecord, ...] = (),
    status: str = "published",
    body: str | None = None,
    summary: str = "",
) -> ArticleRecord:
    """An article in ``channel`` published ``hour`` hours after BASE_TIME, with its photos in the body."""
    lines = [f"![{photo.caption}](photo:{photo.sha256})" for photo in photos]
    text_body = body if body is not None else f"这是第{number}号文章的正文。\n\n## 小标题\n\n第二段。\n"
    article = store.create_article(
        title=title or title_of(number), channel_path=channel, status=status, number=number,
        published_at=BASE_TIME + timedelta(hours=hour), summary=summary,
        body="\n\n".join([*lines, text_body]), author="网络编辑", source="大同",
    )
    if photos:
        store.photos.set_article_photos(article.id, [photo.sha256 for photo in photos])
    return store.get_article(article.id)


def backdate(store: Store, when: datetime = LONG_AGO) -> None:
    """Pretend every article was last saved long ago (so an edit today changes sitemap lastmod)."""
    with store.db.session(write=True) as session:
        session.execute(update(Article).values(updated_at=when))


def edit(store: Store, number: int, **changes) -> ArticleRecord:
    """Save changes to an article, as the editor does."""
    article = store.find_article(str(number))
    return store.update_article(article.id, changes, expected_version=article.version)


def set_photo_caption(store: Store, sha256: str, caption: str) -> None:
    """Change a photo's caption in the library (no store API yet: the photo issue adds one)."""
    with store.db.session(write=True) as session:
        session.execute(update(Photo).where(Photo.sha256 == sha256).values(caption=caption))


def raw_sql(store: Store, statement: str, **params) -> None:
    """Run SQL that bypasses the store's validation (what a damaged or hostile database holds)."""
    with store.db.session(write=True) as session:
        session.execute(text(statement), params)


def export(store: Store, out: Path, site: SiteSettings = SMALL_SITE, **options) -> ExportReport:
    """One export run of the store's published articles into ``out``."""
    only = options.pop("only_numbers", None)
    return SiteExporter(store, site, out, workers=options.pop("workers", 2), **options).run(only_numbers=only)


@dataclass(frozen=True)
class FileState:
    """A file as found on disk: a rewrite (temporary file + rename) always gives a new inode."""

    inode: int
    mtime_ns: int
    data: bytes


def snapshot(folder: Path) -> dict[str, FileState]:
    """Every regular file under ``folder`` (relative POSIX path → state); symlinks are not followed."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            found[path.relative_to(folder).as_posix()] = FileState(stat.st_ino, stat.st_mtime_ns, path.read_bytes())
    return found


def touched(before: dict[str, FileState], after: dict[str, FileState]) -> set[str]:
    """Paths that appeared, disappeared or were rewritten between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def listing(folder: Path, *, skip: tuple[Path, ...] = ()) -> dict[str, tuple[str, int]]:
    """Every entry under ``folder`` (not following symlinks) with its kind and size, minus ``skip``."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        if any(path == s or path.is_relative_to(s) for s in skip):
            continue
        kind = "link" if path.is_symlink() else "dir" if path.is_dir() else "file"
        entries[path.relative_to(folder).as_posix()] = (kind, path.lstat().st_size if kind == "file" else 0)
    return entries


def site_files(folder: Path) -> dict[str, bytes]:
    """The site's own files: everything but the manifest and leftover temporaries."""
    return {
        path: state.data for path, state in snapshot(folder).items()
        if path != MANIFEST_NAME and not path.rsplit("/", 1)[-1].startswith(TEMP_MARK)
    }


ARTICLE_LINK = re.compile(r'href="(?:\.\./)*[a-z0-9/-]+/(\d+)\.html"')


def linked_numbers(html: str) -> list[int]:
    """The article numbers a list page links to, in order."""
    return [int(number) for number in ARTICLE_LINK.findall(html)]
