"""The photo panel beside the editor: the open article's photos as thumbnails, and their captions.

Photos come in by drag and drop from the file manager, paste (Ctrl+V on the list), the file
dialog or the photo library; imports run as one background job with progress and cancel.
The list is reordered by dragging; the toolbar inserts the selected photo into the body,
makes it the lead photo or removes it from the article (it stays in the library). Every
change is written to the database by a job; the window hears of it through the signals.

:class:`PhotoPanel` is the view: it builds the widgets, actions and layout and holds the
signals; the work is its :class:`~dayuan_desktop.ui.photos.panel_controller.PhotoPanelController`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QListView,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.ui.jobs import BackgroundJob
from dayuan_desktop.ui.photos.caption_form import CaptionForm
from dayuan_desktop.ui.photos.import_progress import ImportProgress
from dayuan_desktop.ui.photos.model import ROW_MIME, PhotoListModel
from dayuan_desktop.ui.photos.panel_controller import PhotoPanelController
from dayuan_desktop.ui.photos.text_saver import PhotoTextSaver
from dayuan_desktop.ui.photos.thumbnail_delegate import FittedThumbnailDelegate

PANEL_ICON = 80  # thumbnails beside the editor are smaller than in the library; 3 columns in 290 px
FILE_FILTER = "*.jpg *.jpeg *.png *.gif *.webp *.tif *.tiff"


class PhotoListView(QListView):
    """The icon list; a photo dragged within it is moved in the model (article order), not just on screen.

    QListView's icon mode would otherwise place a dragged icon freely wherever it is dropped
    without telling the model.
    """

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.source() is self and event.mimeData().hasFormat(ROW_MIME):
            self.drop_rows(event.position().toPoint(), event.mimeData())
            event.setDropAction(Qt.DropAction.CopyAction)  # the view must not remove the dragged rows
            event.accept()
            return
        super().dropEvent(event)

    def drop_rows(self, where: QPoint, data) -> None:
        """Move the photos in ``data`` before the photo at ``where`` (after it on its right half; last on empty space)."""
        index = self.indexAt(where)
        row = self.model().rowCount()
        if index.isValid():
            row = index.row() + (1 if where.x() > self.visualRect(index).center().x() else 0)
        self.model().dropMimeData(data, Qt.DropAction.CopyAction, row, 0, QModelIndex())


class PhotoPanel(QWidget):
    """The open article's photos, their caption form, and the import progress."""

    photosChanged = Signal()  # noqa: N815 — order, lead, texts or membership changed (preview follows)
    insertRequested = Signal(str, str)  # noqa: N815 — sha256 and caption of a photo to place at the cursor
    removed = Signal(str)  # noqa: N815 — sha256 of a photo taken out of the article
    photoRemoved = Signal(object)  # noqa: N815 — its RemovedPhoto (for undo), just before ``removed``
    captionSaved = Signal(str, str)  # noqa: N815 — sha256 and caption of a photo whose texts were stored
    importFinished = Signal(object)  # noqa: N815 — the PhotoImportOutcome of an import job
    message = Signal(str)  # for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoPanel")
        self.model = PhotoListModel(self)
        self.view = self._build_list()
        self.form = CaptionForm(self)
        self.saver = PhotoTextSaver(self)
        self.toolbar = QToolBar(self)
        self._build_actions()
        self._build_import_rows()
        self._build_layout()
        self.controller = PhotoPanelController(self)
        self._connect()
        self._update_actions()

    def _build_list(self) -> PhotoListView:
        """The thumbnails: icons that wrap, reorder by dragging and accept dropped files."""
        view = PhotoListView(self)
        view.setObjectName("photoList")
        view.setModel(self.model)
        view.setViewMode(QListView.ViewMode.IconMode)
        view.setMovement(QListView.Movement.Static)  # dropping reorders the model, not the icons
        view.setResizeMode(QListView.ResizeMode.Adjust)
        view.setFlow(QListView.Flow.LeftToRight)
        view.setWrapping(True)
        view.setIconSize(QSize(PANEL_ICON, PANEL_ICON))
        view.setGridSize(QSize(PANEL_ICON + 10, PANEL_ICON + 36))
        view.setItemDelegate(FittedThumbnailDelegate(view))  # portrait photos keep their label
        view.setUniformItemSizes(False)  # each label its own height (the first photo set them all)
        view.setWordWrap(True)
        view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        view.setDragDropMode(QListView.DragDropMode.DragDrop)
        view.setDefaultDropAction(Qt.DropAction.CopyAction)
        view.setDropIndicatorShown(True)
        view.setAcceptDrops(True)
        view.viewport().setAcceptDrops(True)
        view.setToolTip(self.tr("Drop photo files here, or paste them (Ctrl+V)"))
        return view

    def _build_actions(self) -> None:
        """The toolbar's actions; paste and undo remove also work as shortcuts on the list."""
        self.add_action = self._action(self.tr("Add photos…"), self.choose_files, self.tr("Add photo files (several at once)"))
        self.library_action = self._action(self.tr("Library…"), self.open_library,
                                           self.tr("Reuse a photo from the library"))
        self.paste_action = self._action(self.tr("Paste"), self.paste, self.tr("Add the photo on the clipboard"))
        self.paste_action.setShortcut(QKeySequence.StandardKey.Paste)
        self.paste_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.view.addAction(self.paste_action)
        self.insert_action = self._action(self.tr("Insert into body"), self.insert_selected,
                                          self.tr("Place the photo at the cursor in the body"))
        self.lead_action = self._action(self.tr("Make lead"), self.make_selected_lead,
                                        self.tr("Make this the article's lead photo"))
        self.remove_action = self._action(self.tr("Remove"), self.remove_selected,
                                          self.tr("Take the photo out of the article (it stays in the library)"))
        self.toolbar.addActions([self.add_action, self.library_action])
        self.toolbar.addSeparator()
        self.undo_remove_action = self._action(self.tr("Undo remove"), lambda: None,
                                               self.tr("Put the removed photo back: its place, lead mark and body lines"))
        self.undo_remove_action.setShortcut(QKeySequence.StandardKey.Undo)  # Ctrl+Z on the photo list
        self.undo_remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_remove_action.setEnabled(False)  # PhotoRemovalUndo enables it and does the work
        self.view.addAction(self.undo_remove_action)
        self.toolbar.addActions([self.insert_action, self.lead_action, self.remove_action, self.undo_remove_action])

    def _action(self, text: str, slot, tip: str) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_import_rows(self) -> None:
        """The import's progress row (with cancel) and the list of files that could not be imported."""
        self.progress_row = ImportProgress(self)
        self.progress, self.cancel_button = self.progress_row.bar, self.progress_row.cancel_button
        self.cancel_button.clicked.connect(self.cancel_import)
        self.progress_row.hide()
        self.failures = QLabel(self)
        self.failures.setObjectName("importFailures")
        self.failures.setWordWrap(True)
        self.failures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.failures.setStyleSheet("color: #b3261e;")
        self.failures.hide()

    def _build_layout(self) -> None:
        """Toolbar, list and import rows on the left; the caption form on the right."""
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.toolbar)
        column.addWidget(self.view, 1)
        column.addWidget(self.progress_row)
        column.addWidget(self.failures)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("photoSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.form)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([400, 240])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _connect(self) -> None:
        controller = self.controller
        self.view.selectionModel().currentChanged.connect(self._selected)
        self.model.modelReset.connect(self._update_actions)
        self.model.rowsInserted.connect(self._update_actions)
        self.model.rowsRemoved.connect(self._update_actions)
        self.model.orderChanged.connect(controller.write_links)
        self.model.filesDropped.connect(self.import_files)
        self.form.edited.connect(controller.texts_edited)
        self.saver.saved.connect(controller.texts_saved)
        self.saver.failed.connect(lambda text: self.message.emit(self.tr("Photo texts not saved: %1").replace("%1", text)))

    # -- public API ------------------------------------------------------------------------------
    @property
    def store(self):
        """The store the panel works on (None before :meth:`set_store`)."""
        return self.controller.store

    @property
    def thumbnails(self):
        """The thumbnail cache (None before :meth:`set_store`)."""
        return self.controller.thumbnails

    def set_store(self, store, cache_dir: Path, rendition_width: int | None = None) -> None:
        """Work on this store; thumbnails (and, with ``rendition_width``, web renditions) go under ``cache_dir``."""
        self.controller.set_store(store, cache_dir, rendition_width)

    def set_rendition_width(self, rendition_width: int | None) -> None:
        """The long side of the web renditions made as photos come in (the site's setting changed)."""
        self.controller.rendition_width = rendition_width

    def set_article(self, record) -> None:
        """Show the photos of this article (None: no article open)."""
        self.controller.set_article(record)
        self.form.set_photo(None)
        self.failures.hide()
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0))
        self._update_actions()

    def article_id(self) -> int | None:
        """The article whose photos are shown."""
        article = self.controller.article
        return article.id if article is not None else None

    def article_photos(self) -> tuple:
        """The photos as the article uses them now (ArticlePhotoRecord values, in order)."""
        return self.controller.article_photos()

    def gps_photos(self) -> set[str]:
        """The shown photos (sha256) whose originals are known to carry a GPS position."""
        return {sha for sha in self.model.shas() if self.controller.gps.get(sha)}

    def reload(self) -> None:
        """Read the article's photos again (e.g. after a paste into the body added one)."""
        self.controller.reload()

    def selected_sha(self) -> str | None:
        """The sha256 of the selected photo, or None."""
        index = self.view.currentIndex()
        return self.model.photo(index.row()).sha256 if index.isValid() else None

    def select(self, sha256: str) -> None:
        """Select a photo (its caption form opens)."""
        row = self.model.row_of(sha256)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row))

    def flush(self) -> None:
        """Write pending caption edits now (before the window closes)."""
        try:
            self.saver.flush()
        except Exception as error:  # noqa: BLE001 - said in the status bar; closing goes on
            self.message.emit(self.tr("Photo texts not saved: %1").replace("%1", str(error)))

    def is_importing(self) -> bool:
        """Is an import job running?"""
        return self.controller.import_job is not None

    def is_writing(self) -> bool:
        """Are the photos' order, lead or texts still being written?"""
        return self.controller.is_writing()

    # -- adding ------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        """Pick photo files with the file dialog (several at once)."""
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Add photos"), "",
                                                self.tr("Photos (%1);;All files (*)").replace("%1", FILE_FILTER))
        if paths:
            self.import_files(paths)

    def paste(self) -> None:
        """Add the photo(s) on the clipboard: image files copied in the file manager, or a bitmap."""
        data = QApplication.clipboard().mimeData()
        if data is None:
            return
        if data.hasUrls() and any(url.isLocalFile() for url in data.urls()):
            self.import_files([url.toLocalFile() for url in data.urls() if url.isLocalFile()])
            return
        image = data.imageData() if data.hasImage() else None
        if isinstance(image, QImage) and not image.isNull():
            buffer = QByteArray()
            device = QBuffer(buffer)
            device.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(device, "PNG")
            self.import_files([(bytes(buffer.data()), "pasted-image.png")])
            return
        self.message.emit(self.tr("The clipboard holds no photo."))

    def import_files(self, items: list) -> BackgroundJob | None:
        """Import files (paths, or (bytes, name) pairs) into the article in the background."""
        return self.controller.import_files(items)

    def cancel_import(self) -> None:
        """Stop the running import after the file being read (what is imported stays)."""
        if self.controller.cancel_import():
            self.cancel_button.setEnabled(False)

    def show_import_started(self, count: int) -> None:
        """An import of ``count`` files began: the progress row shows, old failures go."""
        self.failures.hide()
        self.progress_row.start(count)

    def show_import_ended(self) -> None:
        """The import ended (done, failed or cancelled): the progress row goes."""
        self.progress_row.hide()
        self.cancel_button.setEnabled(True)

    def show_failures(self, text: str) -> None:
        """List the files that could not be imported, with the reasons."""
        self.failures.setText(text)
        self.failures.show()

    def open_library(self) -> None:
        """Choose photos from the library to add to the article."""
        if self.store is None or self.controller.article is None:
            return
        from dayuan_desktop.ui.photos.library_dialog import LibraryDialog

        dialog = LibraryDialog(self.store, self.thumbnails, self)
        dialog.setObjectName("photoLibrary")
        if dialog.exec() and dialog.chosen():
            self.add_existing(dialog.chosen())

    def add_existing(self, records: list) -> None:
        """Add photos already in the library to the article (after its photos)."""
        self.controller.add_existing(records)
        if records:
            self.select(records[0].sha256)

    # -- placing -----------------------------------------------------------------------------------
    def insert_selected(self) -> None:
        """Ask the window to place the selected photo at the body's cursor."""
        sha = self.selected_sha()
        if sha is not None:
            row = self.model.row_of(sha)
            self.insertRequested.emit(sha, self.model.photo(row).caption)

    def make_selected_lead(self) -> None:
        """Make the selected photo the lead photo."""
        sha = self.selected_sha()
        if sha is not None:
            self.controller.make_lead(sha)

    def remove_selected(self) -> None:
        """Take the selected photo out of the article (it stays in the library)."""
        sha = self.selected_sha()
        if sha is not None:
            self.controller.remove(sha)

    def put_back(self, photo, position: int, lead: bool) -> None:
        """Attach a photo again at ``position`` (undoing its removal), lead photo again if it was."""
        if self.controller.put_back(photo, position, lead):
            self.select(photo.sha256)

    # -- view state --------------------------------------------------------------------------------
    def _selected(self, current, _previous) -> None:
        self.saver.save_now()
        if current.isValid():
            photo = self.model.photo(current.row())
            self.form.set_photo(photo, self.controller.gps.get(photo.sha256, False))
        else:
            self.form.set_photo(None)
        self._update_actions()

    def _update_actions(self, *_args) -> None:
        has_article = self.controller.article is not None
        selected = self.view.currentIndex().isValid()
        for action in (self.add_action, self.library_action, self.paste_action):
            action.setEnabled(has_article)
        for action in (self.insert_action, self.lead_action, self.remove_action):
            action.setEnabled(has_article and selected)
