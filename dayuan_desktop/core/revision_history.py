"""An article's revisions as the history list shows them: autosaves folded into editing sessions.

The editor autosaves every couple of seconds while someone types, so a morning's work leaves
hundreds of ``autosave`` revisions. Consecutive autosaves (no other revision between them) are
one editing session and one entry of the list; its revisions stay reachable as its children.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from dayuan_desktop.core.enums import RevisionKind
from dayuan_desktop.core.records import RevisionRecord


@dataclass(frozen=True)
class HistoryEntry:
    """One row of the history: a single revision, or a session of autosaves (newest first)."""

    revisions: tuple[RevisionRecord, ...]

    @property
    def newest(self) -> RevisionRecord:
        """The latest revision of the entry (what restoring the entry restores)."""
        return self.revisions[0]

    @property
    def oldest(self) -> RevisionRecord:
        """The first revision of the entry."""
        return self.revisions[-1]

    @property
    def is_session(self) -> bool:
        """True for a folded run of more than one autosave."""
        return len(self.revisions) > 1

    @property
    def kind(self) -> str:
        """Why the revisions were written (one kind per entry)."""
        return self.newest.kind

    @property
    def started_at(self) -> datetime:
        """When the first revision of the entry was written."""
        return self.oldest.created_at

    @property
    def ended_at(self) -> datetime:
        """When the last revision of the entry was written."""
        return self.newest.created_at

    @property
    def authors(self) -> tuple[str, ...]:
        """Who wrote the entry's revisions, each once, in order of their latest revision."""
        return tuple(dict.fromkeys(r.created_by for r in self.revisions if r.created_by))


def group_history(revisions: Sequence[RevisionRecord]) -> list[HistoryEntry]:
    """Fold runs of consecutive autosaves (revisions given newest first, as the store lists them)."""
    entries: list[HistoryEntry] = []
    run: list[RevisionRecord] = []
    for revision in revisions:
        if revision.kind == RevisionKind.AUTOSAVE.value:
            run.append(revision)
            continue
        if run:
            entries.append(HistoryEntry(tuple(run)))
            run = []
        entries.append(HistoryEntry((revision,)))
    if run:
        entries.append(HistoryEntry(tuple(run)))
    return entries


def previous_revision(revisions: Sequence[RevisionRecord], revision_id: int) -> RevisionRecord | None:
    """The revision written just before ``revision_id`` (revisions newest first), or None for the first."""
    for index, revision in enumerate(revisions):
        if revision.id == revision_id:
            return revisions[index + 1] if index + 1 < len(revisions) else None
    return None
