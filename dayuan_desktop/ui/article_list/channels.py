"""The channel tree beside the list: all articles, each channel (nested by path), conflict copies, the trash."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

if TYPE_CHECKING:
    from dayuan_desktop.core.records import ChannelRecord

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_ROLE = Qt.ItemDataRole.UserRole + 3  # "all", "channel", "conflicts" or "trash"


class ChannelTreeModel(QStandardItemModel):
    """A small tree (tens of channels), so a standard item model is the simplest honest fit."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([self.tr("Channels")])
        self.set_channels([])

    def set_channels(self, channels: Sequence[ChannelRecord]) -> None:
        """Rebuild the tree; parents come before children (the store orders by path)."""
        self.removeRows(0, self.rowCount())
        root = self.invisibleRootItem()
        root.appendRow(self._item(self.tr("All articles"), "all"))
        by_path: dict[str, QStandardItem] = {}
        for channel in sorted(channels, key=lambda c: c.path):
            item = self._item(f"{channel.name}", "channel", channel.path, channel.id)
            item.setToolTip(channel.path)
            parent_path = channel.path.rsplit("/", 1)[0] if "/" in channel.path else None
            (by_path.get(parent_path) or root).appendRow(item)
            by_path[channel.path] = item
        root.appendRow(self._item(self.tr("Conflict copies"), "conflicts"))  # left by sync (core.sync)
        root.appendRow(self._item(self.tr("Trash"), "trash"))

    @staticmethod
    def _item(text: str, kind: str, path: str | None = None, channel_id: int | None = None) -> QStandardItem:
        item = QStandardItem(text)
        item.setEditable(False)
        item.setData(kind, KIND_ROLE)
        item.setData(path, PATH_ROLE)
        item.setData(channel_id, ID_ROLE)
        return item

    def index_of_path(self, path: str | None):
        """The index of a channel (or of "All articles" for None)."""
        if path is None:
            return self.index(0, 0)
        matches = self.match(self.index(0, 0), PATH_ROLE, path, 1,
                             Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return matches[0] if matches else self.index(0, 0)
