"""The channel tree beside the list: all articles, each channel (nested, by name), conflict copies, the trash."""

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
        """Rebuild the tree: each channel under its parent, siblings in the editors' order.

        Items show the Chinese name; the URL path is the tooltip (and PATH_ROLE).
        """
        self.removeRows(0, self.rowCount())
        root = self.invisibleRootItem()
        root.appendRow(self._item(self.tr("All articles"), "all"))
        known = {channel.id for channel in channels}
        children: dict[int | None, list[ChannelRecord]] = {}
        for channel in channels:  # a parent that is not listed: shown at the top rather than lost
            children.setdefault(channel.parent_id if channel.parent_id in known else None, []).append(channel)
        pending = [(root, None)]
        while pending:
            parent_item, parent_id = pending.pop()
            for channel in sorted(children.get(parent_id, []), key=lambda c: (c.position, c.path)):
                item = self._item(channel.name or channel.path, "channel", channel.path, channel.id)
                item.setToolTip(channel.path)
                parent_item.appendRow(item)
                pending.append((item, channel.id))
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

    def index_of_kind(self, kind: str):
        """The index of the conflict copies or the trash (the last two rows)."""
        return self.index(self.rowCount() - (1 if kind == "trash" else 2), 0)

    def index_of_path(self, path: str | None):
        """The index of a channel (or of "All articles" for None)."""
        if path is None:
            return self.index(0, 0)
        matches = self.match(self.index(0, 0), PATH_ROLE, path, 1,
                             Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return matches[0] if matches else self.index(0, 0)
