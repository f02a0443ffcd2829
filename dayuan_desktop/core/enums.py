"""The stored values with a fixed set of choices, importable without SQLAlchemy.

The window lists statuses and writes revision kinds before (or without) loading the
database layer, so these live apart from ``core.models`` (which re-exports them).
"""

from __future__ import annotations

import enum


class ArticleStatus(enum.StrEnum):
    """Where an article is in the newsroom workflow (in workflow order)."""

    DRAFT = "draft"
    REVIEW = "review"
    READY = "ready"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class RevisionKind(enum.StrEnum):
    """Why a revision was written."""

    SAVE = "save"
    AUTOSAVE = "autosave"
    CREATE = "create"
    IMPORT = "import"
    RESTORE = "restore"
    CONFLICT = "conflict"  # an edit that lost an optimistic-locking race, kept so nothing is lost
    TRASH = "trash"
    SYNC = "sync"  # content that came from another database (core.sync)
