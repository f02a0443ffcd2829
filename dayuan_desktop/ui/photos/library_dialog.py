"""The photo library: every photo in the database, searchable by caption and photographer.

Choosing photos here adds them to the open article (a photo is stored once, whichever
articles use it). Queries run as jobs; more photos load as the list is scrolled.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.ui.jobs import run_job
from dayuan_desktop.ui.photos.model import ICON_SIZE, PhotoListModel

PAGE = 60
SEARCH_DELAY_MS = 250


class LibraryDialog(QDialog):
    """Search the library and choose photos."""

    def __init__(self, store, thumbnails, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Photo library"))
        self.store = store
        self.thumbnails = thumbnails
        self._ticket = 0
        self._total = 0
        self._loading = False
        self.search = QLineEdit(self)
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText(self.tr("Search captions and photographers"))
        self.search.setClearButtonEnabled(True)
        self.model = PhotoListModel(self, reorderable=False)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.view.setGridSize(QSize(ICON_SIZE + 24, ICON_SIZE + 40))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.count = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.add_button = buttons.addButton(self.tr("Add to article"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.resize(760, 560)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS, timeout=self.run_query)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.add_button.setEnabled(bool(self.view.selectionModel().selectedIndexes())))
        self.view.doubleClicked.connect(lambda _index: self.accept())
        self.view.verticalScrollBar().valueChanged.connect(self._maybe_more)
        self.run_query()

    def chosen(self) -> list:
        """The chosen photo records, in list order."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedIndexes())
        return [self.model.photo(row) for row in rows]

    def is_loading(self) -> bool:
        """Is a query running?"""
        return self._loading

    def run_query(self) -> None:
        """Show the first page for the text in the search field."""
        self._timer.stop()
        self._ticket += 1
        self.model.set_photos([])
        self._fetch(self.search.text(), 0, self._ticket)

    def _fetch(self, query: str, offset: int, ticket: int) -> None:
        store, cache = self.store, self.thumbnails
        self._loading = True

        def work(_context):
            page = store.photos.list_photos(query, offset=offset, limit=PAGE)
            images = {}
            for photo in page.items:
                try:
                    images[photo.sha256] = cache.get(photo.sha256, lambda sha=photo.sha256: store.photos.photo_bytes(sha))
                except Exception:  # noqa: BLE001 - shown with the placeholder
                    images[photo.sha256] = None
            return ticket, page, images

        run_job(work, name="photo-library", parent=self, on_success=self._fetched,
                on_failure=lambda error: self._failed(ticket, error))

    def _fetched(self, outcome) -> None:
        ticket, page, images = outcome
        if ticket != self._ticket:
            return  # an older query
        self._loading = False
        self._total = page.total
        self.model.append_photos(page.items)
        for sha, data in images.items():
            self.model.set_thumbnail(sha, QImage.fromData(data) if data else None)
        self.count.setText(self.tr("%1 of %2 photos shown").replace("%1", str(self.model.rowCount()))
                           .replace("%2", str(page.total)))

    def _failed(self, ticket: int, error: BaseException) -> None:
        if ticket == self._ticket:
            self._loading = False
            self.count.setText(str(error))

    def _maybe_more(self, value: int) -> None:
        bar = self.view.verticalScrollBar()
        if not self._loading and value >= bar.maximum() - 20 and self.model.rowCount() < self._total:
            self._fetch(self.search.text(), self.model.rowCount(), self._ticket)
