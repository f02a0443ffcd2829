"""The photos of one article (or of the library) as a Qt list model, shown as thumbnails.

Rows are :class:`~dayuan_desktop.core.records.PhotoRecord` values in article order; one may
be the lead photo. Thumbnails arrive later (:meth:`PhotoListModel.set_thumbnail`, filled by
the panel's jobs); meanwhile a grey placeholder is shown. The model takes internal drags
(reorder, :attr:`PhotoListModel.orderChanged`) and file drops from the file manager
(:attr:`PhotoListModel.filesDropped`); it never touches the database itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap

ICON_SIZE = 128
ROW_MIME = "application/x-dayuan-photo-rows"

ShaRole = Qt.ItemDataRole.UserRole + 1
LeadRole = Qt.ItemDataRole.UserRole + 2
RecordRole = Qt.ItemDataRole.UserRole + 3


class PhotoListModel(QAbstractListModel):
    """Photo records in order, with the lead photo marked and thumbnails as decorations."""

    orderChanged = Signal(list)  # noqa: N815 — the sha256s in their new order, after a drag
    filesDropped = Signal(list)  # noqa: N815 — paths of image files dropped from the file manager

    def __init__(self, parent=None, *, reorderable: bool = True) -> None:
        super().__init__(parent)
        self._photos: list = []
        self._lead: str | None = None
        self._pixmaps: dict[str, QPixmap] = {}
        self._problems: dict[str, int] = {}
        self._reorderable = reorderable
        self._placeholder = _placeholder()

    # -- content ------------------------------------------------------------------------------
    def set_photos(self, photos: Sequence, lead: str | None = None) -> None:
        """Show these photo records (in order); ``lead`` is the lead photo's sha256."""
        self.beginResetModel()
        self._photos = list(photos)
        self._lead = lead
        self.endResetModel()

    def photos(self) -> list:
        """The photo records, in order."""
        return list(self._photos)

    def shas(self) -> list[str]:
        """The photos' sha256s, in order."""
        return [photo.sha256 for photo in self._photos]

    def lead(self) -> str | None:
        """The lead photo's sha256 (None when there are no photos)."""
        if self._lead in self.shas():
            return self._lead
        return self._photos[0].sha256 if self._photos else None

    def photo(self, row: int):
        """The record in ``row``."""
        return self._photos[row]

    def row_of(self, sha256: str) -> int | None:
        """The row showing that photo, or None."""
        for row, photo in enumerate(self._photos):
            if photo.sha256 == sha256:
                return row
        return None

    def set_lead(self, sha256: str | None) -> None:
        """Mark another photo as the lead."""
        old = self.row_of(self.lead() or "")
        self._lead = sha256
        for row in {old, self.row_of(sha256 or "")} - {None}:
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def update_photo(self, record) -> None:
        """A photo's record changed (caption, photographer…)."""
        row = self.row_of(record.sha256)
        if row is not None:
            self._photos[row] = record
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def append_photos(self, records: Sequence) -> None:
        """Add photos after the last one (those already shown are left where they are)."""
        new = [r for r in dict((r.sha256, r) for r in records).values() if self.row_of(r.sha256) is None]
        if not new:
            return
        self.beginInsertRows(QModelIndex(), len(self._photos), len(self._photos) + len(new) - 1)
        self._photos.extend(new)
        self.endInsertRows()

    def remove_photo(self, sha256: str) -> None:
        """Take a photo out of the list."""
        row = self.row_of(sha256)
        if row is not None:
            self.removeRows(row, 1)

    def move_photo(self, row: int, to: int) -> bool:
        """Move the photo in ``row`` so it ends up before the photo now in row ``to``."""
        return self.moveRows(QModelIndex(), row, 1, QModelIndex(), to)

    def set_thumbnail(self, sha256: str, image: QImage | None) -> None:
        """The thumbnail of a photo has arrived (None: it cannot be made; the placeholder stays)."""
        if image is None or image.isNull():
            return
        scaled = image.scaled(ICON_SIZE, ICON_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        self._pixmaps[sha256] = QPixmap.fromImage(scaled)
        row = self.row_of(sha256)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def has_thumbnail(self, sha256: str) -> bool:
        """Is the real thumbnail (not the placeholder) shown?"""
        return sha256 in self._pixmaps

    def set_problem_count(self, sha256: str, count: int) -> None:
        """How many problems the caption form found for a photo (marked in its label)."""
        if self._problems.get(sha256) != count:
            self._problems[sha256] = count
            row = self.row_of(sha256)
            if row is not None:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    # -- Qt model -----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._photos)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._photos) or index.column() != 0:
            return None
        photo = self._photos[index.row()]
        lead = photo.sha256 == self.lead() and self._reorderable
        if role == Qt.ItemDataRole.DisplayRole:
            from dayuan_desktop.core.captions import caption_text

            text = caption_text(photo.caption) or photo.original_name or photo.sha256[:12]
            if len(text) > 12:
                text = text[:11] + "…"
            marks = []
            if lead:
                marks.append("★ " + self.tr("Lead"))
            if self._problems.get(photo.sha256):
                marks.append("⚠")
            return " ".join([*marks, text]) if marks else text
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmaps.get(photo.sha256, self._placeholder)
        if role == Qt.ItemDataRole.ToolTipRole:
            from dayuan_desktop.core.captions import compose_caption

            line = compose_caption(photo.caption, photo.photographer) or self.tr("(no caption)")
            size = f"{photo.width} × {photo.height}"
            return "\n".join(filter(None, [line, photo.original_name, size]))
        if role == Qt.ItemDataRole.FontRole and lead:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return photo.caption or photo.original_name
        if role == ShaRole:
            return photo.sha256
        if role == LeadRole:
            return lead
        if role == RecordRole:
            return photo
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled if self._reorderable else Qt.ItemFlag.NoItemFlags
        if not index.isValid():
            return base
        return base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def removeRows(self, row: int, count: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        if parent.isValid() or row < 0 or count <= 0 or row + count > len(self._photos):
            return False
        self.beginRemoveRows(parent, row, row + count - 1)
        del self._photos[row:row + count]
        self.endRemoveRows()
        return True

    def moveRows(self, source_parent, source_row: int, count: int, destination_parent, destination: int) -> bool:  # noqa: N802
        if source_parent.isValid() or destination_parent.isValid() or count <= 0:
            return False
        if source_row < 0 or source_row + count > len(self._photos) or not 0 <= destination <= len(self._photos):
            return False
        if source_row <= destination <= source_row + count:
            return False  # onto itself: nothing moves
        if not self.beginMoveRows(source_parent, source_row, source_row + count - 1, destination_parent, destination):
            return False
        moving = self._photos[source_row:source_row + count]
        del self._photos[source_row:source_row + count]
        at = destination - count if destination > source_row else destination
        self._photos[at:at] = moving
        self.endMoveRows()
        return True

    # -- drag and drop --------------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        # Copy, never Move: after a Move the view would remove the dragged rows itself.
        return Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ROW_MIME, "text/uri-list"]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802
        data = QMimeData()
        shas = [self._photos[i.row()].sha256 for i in indexes if i.isValid()]
        data.setData(ROW_MIME, QByteArray("\n".join(shas).encode()))
        data.setText("\n".join(shas))
        return data

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        if data.hasFormat(ROW_MIME):
            return self._reorderable
        return any(url.isLocalFile() for url in data.urls()) if data.hasUrls() else False

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        if action == Qt.DropAction.IgnoreAction:
            return True
        if data.hasFormat(ROW_MIME):
            if not self._reorderable:
                return False
            if row < 0:
                row = parent.row() if parent.isValid() else len(self._photos)
            shas = bytes(data.data(ROW_MIME).data()).decode().split()
            moved = False
            for sha in shas:
                source = self.row_of(sha)
                if source is None:
                    continue
                if self.move_photo(source, row):
                    moved = True
                    row = (self.row_of(sha) or 0) + 1
            if moved:
                self.orderChanged.emit(self.shas())
            return False  # nothing for the view to remove afterwards
        # Every local file: one that is not a photo is listed with the reason by the import.
        files = [url.toLocalFile() for url in data.urls() if url.isLocalFile()] if data.hasUrls() else []
        if files:
            self.filesDropped.emit(files)
            return True
        return False


def _placeholder() -> QPixmap:
    pixmap = QPixmap(ICON_SIZE, ICON_SIZE * 2 // 3)
    pixmap.fill(QColor(0xE6, 0xE7, 0xEA))
    painter = QPainter(pixmap)
    painter.setPen(QColor(0xA0, 0xA3, 0xA8))
    painter.drawRect(0, 0, pixmap.width() - 1, pixmap.height() - 1)
    painter.end()
    return pixmap
