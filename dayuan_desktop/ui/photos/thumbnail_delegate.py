"""Thumbnails in the photo grid: every photo fitted into the same square, its label below.

Given a ``QPixmap`` as decoration, Qt's delegate makes room for the pixmap's own size: a
portrait thumbnail (85×128) was taller than the grid cell and pushed its caption label out of
sight, and a landscape one spilled sideways. This delegate gives every item the view's icon
box instead; the picture is painted inside it at its own aspect ratio, centred, so portrait
and landscape photos line up and all keep their labels.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem


class FittedThumbnailDelegate(QStyledItemDelegate):
    """Draws each decoration inside the view's icon size, keeping its aspect ratio."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 — Qt's name
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        box: QSize = self._view.iconSize()
        if box.isValid() and not option.icon.isNull():
            option.decorationSize = box  # QIcon.paint scales the picture into it, centred
