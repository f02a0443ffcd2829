"""Errors the core raises for a person to read: each message is one clear sentence."""

from __future__ import annotations

from datetime import datetime


class DayuanError(Exception):
    """Base of every error meant for the user; ``str(error)`` is the message to show."""


class NotFoundError(DayuanError):
    """An article, channel or photo that was asked for does not exist."""


class ValidationError(DayuanError):
    """Input that cannot be stored as it is (wrong type, unknown channel, size limit…)."""


class DuplicateError(ValidationError):
    """A value that must be unique (article number, uuid, channel path) is already taken."""


class SchemaTooNewError(DayuanError):
    """The database was written by a newer Dayuan Desktop than this one."""


class DatabaseError(DayuanError):
    """The database cannot be opened or used (bad URL, server down, damaged file)."""


class ConflictError(DayuanError):
    """Someone else saved the article since it was loaded.

    The losing edit has already been kept as a revision (``kept_revision_id``), so
    nothing is lost; the caller shows both versions and lets the user choose.
    """

    def __init__(
        self,
        article_id: int,
        expected_version: int,
        current_version: int,
        saved_by: str,
        saved_at: datetime,
        kept_revision_id: int | None,
        *,
        number: int | None = None,
        title: str = "",
    ) -> None:
        self.article_id = article_id
        self.number = number
        self.title = title
        self.expected_version = expected_version
        self.current_version = current_version
        self.saved_by = saved_by
        self.saved_at = saved_at
        self.kept_revision_id = kept_revision_id
        when = saved_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
        # The editor knows an article by its number (#4709), or by its title before it has one;
        # the internal id means nothing to them.
        named = f"#{number}" if number is not None else f"“{title[:60]}”" if title else f"(id {article_id})"
        super().__init__(
            f"Article {named} was saved by {saved_by or 'someone'} at {when} "
            f"(version {current_version}) after you opened version {expected_version}; "
            f"your edit was kept as revision {kept_revision_id}."
        )


class PublishedAddressError(ValidationError):
    """A change that would take away a published (or withdrawn) article's public address.

    Its number is part of the page's URL (``gsyl/lzgs/4709.html``) that readers and other
    sites link to, so it is never cleared; it can only be changed to another number.
    ``number`` and ``status`` let the window say so in the editor's language.
    """

    def __init__(self, number: int | None, status: str, field_name: str = "number") -> None:
        self.number = number
        self.status = status
        self.field_name = field_name
        what = "number" if field_name == "number" else "publish time"
        super().__init__(
            f"the {what} of a {status} article cannot be cleared (article {number}): its page address "
            "stays the same; give it another value instead"
        )
