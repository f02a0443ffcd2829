"""The history list's model: one row per revision, autosaves folded into one row per editing session.

A two-level tree: top rows are :class:`core.revision_history.HistoryEntry` (a single revision,
or a session of autosaves whose revisions are its children). Columns: when, who, why.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from dayuan_desktop.core.enums import RevisionKind
from dayuan_desktop.core.records import RevisionRecord
from dayuan_desktop.core.revision_history import HistoryEntry

RevisionRole = Qt.ItemDataRole.UserRole + 1  # the RevisionRecord a row stands for (a session: its newest)
_ROOT = QModelIndex()
_TOP = 0xFFFFFFFF  # internal id of top rows; a child's internal id is its parent's row


class HistoryModel(QAbstractItemModel):
    """Revisions newest first; a session of autosaves is one expandable row."""

    WHEN, WHO, WHY = range(3)

    def __init__(self, zone: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._entries: list[HistoryEntry] = []

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        """Show these entries (newest first)."""
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> HistoryEntry:
        """The entry of a top row."""
        return self._entries[row]

    def kind_text(self, kind: str) -> str:
        """Why a revision was written, as the list says it."""
        texts = {
            RevisionKind.SAVE: self.tr("Saved"), RevisionKind.AUTOSAVE: self.tr("Autosave"),
            RevisionKind.CREATE: self.tr("Created"), RevisionKind.IMPORT: self.tr("Imported"),
            RevisionKind.RESTORE: self.tr("Restored"), RevisionKind.CONFLICT: self.tr("Conflict (edit kept)"),
            RevisionKind.TRASH: self.tr("Moved to trash"), "sync": self.tr("Synchronized"),
        }
        return texts.get(kind, kind)

    # -- the tree ---------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row())

    def parent(self, index: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId(), 0, _TOP)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._entries)
        if parent.internalId() != _TOP or parent.column() != 0:
            return 0
        entry = self._entries[parent.row()]
        return len(entry.revisions) if entry.is_session else 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("When"), self.tr("Who"), self.tr("Why"))[section]
        return None

    def revision(self, index: QModelIndex | QPersistentModelIndex) -> RevisionRecord | None:
        """The revision a row stands for (a session row: its newest autosave)."""
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._entries[index.row()].newest
        return self._entries[index.internalId()].revisions[index.row()]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == RevisionRole:
            return self.revision(index)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if index.internalId() == _TOP:
            return self._entry_text(self._entries[index.row()], index.column())
        return self._entry_text(HistoryEntry((self.revision(index),)), index.column())

    def _entry_text(self, entry: HistoryEntry, column: int) -> str:
        if column == self.WHO:
            return "、".join(entry.authors) or "?"
        if column == self.WHY:
            text = self.kind_text(entry.kind)
            return f"{text} ×{len(entry.revisions)}" if entry.is_session else text
        end = entry.ended_at.astimezone(self._zone)
        if not entry.is_session:
            return end.strftime("%Y-%m-%d %H:%M:%S")
        start = entry.started_at.astimezone(self._zone)
        tail = end.strftime("%H:%M" if start.date() == end.date() else "%Y-%m-%d %H:%M")
        return f"{start.strftime('%Y-%m-%d %H:%M')}–{tail}"
