"""The rows an export plans from, as the database gives them, and how a stored time reads.

Apart from :mod:`published` (which reads them through SQLAlchemy) so that the export's own
SQLite reader (:mod:`core.export.sqlite_source`) shapes its rows with the same types and
never imports SQLAlchemy (issue 20).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from dayuan_desktop.core.records import PublishedPhoto


def stored_time(value: str | datetime | None) -> datetime | None:
    """A time of :func:`published_sources` as an aware UTC datetime.

    SQLite holds UTC times without a zone (see models.UTCDateTime), as "YYYY-MM-DD HH:MM:SS[.ffffff]";
    other databases give them parsed already.
    """
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


class PublishedArticleRow(NamedTuple):
    """An article row of :class:`PublishedSources`: the columns of ``_ARTICLE_ROW_QUERY``, in its order."""

    id: int
    number: int | None
    version: int
    title: str
    summary: str
    published_at: str | datetime | None  # as stored (see :func:`stored_time`)
    updated_at: str | datetime | None  # as stored
    channel_path: str | None

    # The export keys its files on these rows' text: a plain tuple's text, as the driver's rows
    # gave before they were named, keeps the keys of earlier exports valid (and is quicker).
    __repr__ = tuple.__repr__


class PublishedPhotoRow(NamedTuple):
    """A photo row of :class:`PublishedSources`: the columns of ``_PHOTO_ROW_COLUMNS``, in their order."""

    article_id: int
    position: int
    is_lead: bool  # 0/1 on SQLite
    sha256: str
    caption: str
    photographer: str
    credit: str
    copyright: str
    web_name: str
    width: int
    format: str

    __repr__ = tuple.__repr__  # see PublishedArticleRow


class PublishedSources(NamedTuple):
    """The rows an export plans from, as the database gives them (named tuples, times as stored).

    An export plans on every run, also when one article of 10,000 changed: building objects
    and parsing times for every row cost more than reading them, so the export keys each file
    on these rows directly and builds objects only for the files it has to make.
    """

    articles: list[PublishedArticleRow]  # newest first
    photos: dict[int, list[PublishedPhotoRow]]  # article id → its photos, in order


def published_photo(row: PublishedPhotoRow) -> PublishedPhoto:
    """A photo row of :class:`PublishedSources` as a record."""
    return PublishedPhoto(
        row.sha256, row.web_name, row.width, row.format, row.caption, row.photographer, row.copyright, row.credit
    )
