"""The photo panel beside the editor: the open article's photos as thumbnails, and their captions.

Photos come in by drag and drop from the file manager, paste (Ctrl+V on the list), the file
dialog or the photo library; imports run as one background job with progress and cancel.
The list is reordered by dragging; the toolbar inserts the selected photo into the body,
makes it the lead photo or removes it from the article (it stays in the library). Every
change is written to the database by a job; the window hears of it through the signals.
"""

from __future__ import annotations

from dataclasses import replace
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

from dayuan_desktop.ui.jobs import Job, run_job
from dayuan_desktop.ui.photos.caption_form import CaptionForm
from dayuan_desktop.ui.photos.import_progress import ImportProgress
from dayuan_desktop.ui.photos.import_report import failure_text, summary_text
from dayuan_desktop.ui.photos.model import ROW_MIME, PhotoListModel
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
    importFinished = Signal(object)  # noqa: N815 — the ImportOutcome of an import job
    message = Signal(str)  # for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoPanel")
        self.store = None
        self.thumbnails = None
        self._cache_dir: Path | None = None
        self._rendition_width: int | None = None  # None: no renditions made ahead of the export
        self._article = None  # the ArticleRecord whose photos are shown
        self._gps: dict[str, bool] = {}
        self._import_job: Job | None = None
        self._links_job: Job | None = None
        self._links_wanted: tuple | None = None

        self.model = PhotoListModel(self)
        self.view = PhotoListView(self)
        self.view.setObjectName("photoList")
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setMovement(QListView.Movement.Static)  # dropping reorders the model, not the icons
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setFlow(QListView.Flow.LeftToRight)
        self.view.setWrapping(True)
        self.view.setIconSize(QSize(PANEL_ICON, PANEL_ICON))
        self.view.setGridSize(QSize(PANEL_ICON + 10, PANEL_ICON + 36))
        self.view.setItemDelegate(FittedThumbnailDelegate(self.view))  # portrait photos keep their label
        self.view.setUniformItemSizes(False)  # each label its own height (the first photo set them all)
        self.view.setWordWrap(True)
        self.view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.view.setDragDropMode(QListView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.setDropIndicatorShown(True)
        self.view.setAcceptDrops(True)
        self.view.viewport().setAcceptDrops(True)
        self.view.setToolTip(self.tr("Drop photo files here, or paste them (Ctrl+V)"))

        self.form = CaptionForm(self)
        self.saver = PhotoTextSaver(self)

        self.toolbar = QToolBar(self)
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

        self.view.selectionModel().currentChanged.connect(self._selected)
        self.model.modelReset.connect(self._update_actions)
        self.model.rowsInserted.connect(self._update_actions)
        self.model.rowsRemoved.connect(self._update_actions)
        self.model.orderChanged.connect(self._reordered)
        self.model.filesDropped.connect(self.import_files)
        self.form.edited.connect(self._texts_edited)
        self.saver.saved.connect(self._texts_saved)
        self.saver.failed.connect(lambda text: self.message.emit(self.tr("Photo texts not saved: %1").replace("%1", text)))
        self._update_actions()

    def _action(self, text: str, slot, tip: str) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    # -- public API ------------------------------------------------------------------------------
    def set_store(self, store, cache_dir: Path, rendition_width: int | None = None) -> None:
        """Work on this store; thumbnails (and, with ``rendition_width``, web renditions) go under ``cache_dir``."""
        from dayuan_desktop.core.photos.thumbnails import ThumbnailCache

        self.store = store
        self.saver.store = store
        self.thumbnails = ThumbnailCache(cache_dir)
        self._cache_dir, self._rendition_width = cache_dir, rendition_width

    def set_rendition_width(self, rendition_width: int | None) -> None:
        """The long side of the web renditions made as photos come in (the site's setting changed)."""
        self._rendition_width = rendition_width

    def set_article(self, record) -> None:
        """Show the photos of this article (None: no article open)."""
        self.saver.save_now()
        self._article = record
        if record is None:
            self.model.set_photos([])
        else:
            self.model.set_photos([link.photo for link in record.photos],
                                  lead=record.lead_photo.photo.sha256 if record.photos else None)
            self._load_thumbnails(self.model.shas())
        self.form.set_photo(None)
        self.failures.hide()
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0))
        self._update_actions()

    def article_id(self) -> int | None:
        """The article whose photos are shown."""
        return self._article.id if self._article is not None else None

    def article_photos(self) -> tuple:
        """The photos as the article uses them now (ArticlePhotoRecord values, in order)."""
        from dayuan_desktop.core.records import ArticlePhotoRecord

        lead = self.model.lead()
        return tuple(ArticlePhotoRecord(photo, position, photo.sha256 == lead)
                     for position, photo in enumerate(self.model.photos()))

    def gps_photos(self) -> set[str]:
        """The shown photos (sha256) whose originals are known to carry a GPS position."""
        return {sha for sha in self.model.shas() if self._gps.get(sha)}

    def reload(self) -> None:
        """Read the article's photos again (e.g. after a paste into the body added one)."""
        if self.store is None or self._article is None:
            return
        store, article_id = self.store, self._article.id
        run_job(lambda _context: store.get_article(article_id), name="photos-reload", parent=self,
                on_success=self._reloaded)

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
        return self._import_job is not None

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

    def import_files(self, items: list) -> Job | None:
        """Import files (paths, or (bytes, name) pairs) into the article in the background."""
        if self.store is None or self._article is None or not items:
            return None
        if self._import_job is not None:
            self.message.emit(self.tr("Photos are still being imported; wait for them or cancel."))
            return None
        from dayuan_desktop.ui.photos.import_job import import_files

        store, article_id, thumbnails, items = self.store, self._article.id, self.thumbnails, list(items)
        renditions = (self._cache_dir, self._rendition_width) if self._rendition_width else None
        self.failures.hide()
        self.progress_row.start(len(items))
        self._import_job = run_job(
            lambda context: import_files(store, article_id, items, context, thumbnails, renditions),
            name="photo-import", parent=self, on_progress=self._import_progress,
            on_success=self._imported, on_failure=self._import_failed, on_cancelled=self._import_cancelled,
        )
        return self._import_job

    def cancel_import(self) -> None:
        """Stop the running import after the file being read (what is imported stays)."""
        if self._import_job is not None:
            self._import_job.cancel()
            self.cancel_button.setEnabled(False)

    def open_library(self) -> None:
        """Choose photos from the library to add to the article."""
        if self.store is None or self._article is None:
            return
        from dayuan_desktop.ui.photos.library_dialog import LibraryDialog

        dialog = LibraryDialog(self.store, self.thumbnails, self)
        dialog.setObjectName("photoLibrary")
        if dialog.exec() and dialog.chosen():
            self.add_existing(dialog.chosen())

    def add_existing(self, records: list) -> None:
        """Add photos already in the library to the article (after its photos)."""
        self.model.append_photos(records)
        self._load_thumbnails([r.sha256 for r in records])
        self._write_links()
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
        if sha is not None and sha != self.model.lead():
            self.model.set_lead(sha)
            self._write_links()

    def remove_selected(self) -> None:
        """Take the selected photo out of the article (it stays in the library)."""
        sha = self.selected_sha()
        if sha is None:
            return
        was_lead = sha == self.model.lead()
        from dayuan_desktop.ui.photos.removal_undo import RemovedPhoto

        row = self.model.row_of(sha)
        self.photoRemoved.emit(RemovedPhoto(self._article.id, self.model.photo(row), row, was_lead))
        self.model.remove_photo(sha)
        if was_lead:
            self.model.set_lead(self.model.shas()[0] if self.model.rowCount() else None)
        self.removed.emit(sha)  # the body first: the preview then renders both changes at once
        self._write_links()

    def put_back(self, photo, position: int, lead: bool) -> None:
        """Attach a photo again at ``position`` (undoing its removal), lead photo again if it was."""
        if self._article is None or self.model.row_of(photo.sha256) is not None:
            return
        self.model.append_photos([photo])
        if position < self.model.rowCount() - 1:
            self.model.move_photo(self.model.rowCount() - 1, position)
        if lead:
            self.model.set_lead(photo.sha256)
        self._load_thumbnails([photo.sha256])
        self._write_links()
        self.select(photo.sha256)

    # -- internals ---------------------------------------------------------------------------------
    def _write_links(self) -> None:
        """Write the photos' order and lead to the database, then tell the window."""
        if self.store is None or self._article is None:
            return
        self._article = replace(self._article, photos=self.article_photos())
        self._links_wanted = (self._article.id, self.model.shas(), self.model.lead())
        self.photosChanged.emit()
        self._write_next_links()

    def _write_next_links(self) -> None:
        # One write at a time, the newest state last: two writes racing on pool threads could
        # otherwise leave an older order in the database.
        if self._links_job is not None or self._links_wanted is None:
            return
        (article_id, shas, lead), self._links_wanted = self._links_wanted, None
        store = self.store
        self._links_job = run_job(lambda _context: store.photos.set_article_photos(article_id, shas, lead=lead),
                                  name="photo-links", parent=self, on_failure=self._write_failed)
        self._links_job.finished.connect(self._links_written)

    def _links_written(self) -> None:
        self._links_job = None
        self._write_next_links()

    def is_writing(self) -> bool:
        """Are the photos' order, lead or texts still being written?"""
        return self._links_job is not None or self._links_wanted is not None or self.saver.is_pending()

    def _write_failed(self, error: BaseException) -> None:
        self.message.emit(self.tr("Photos not saved: %1").replace("%1", str(error)))
        self.reload()

    def _reordered(self, _shas: list) -> None:
        self._write_links()

    def _reloaded(self, record) -> None:
        if self._article is None or record.id != self._article.id:
            return
        current = self.selected_sha()
        self._article = record
        self.model.set_photos([link.photo for link in record.photos],
                              lead=record.lead_photo.photo.sha256 if record.photos else None)
        self._load_thumbnails([s for s in self.model.shas() if not self.model.has_thumbnail(s)])
        if current is not None:
            self.select(current)
        self.photosChanged.emit()

    def _load_thumbnails(self, shas: list[str]) -> None:
        """Thumbnails (and whether the file has a GPS position) of these photos, in the background."""
        if self.store is None or not shas:
            return
        store, cache = self.store, self.thumbnails
        missing_gps = [s for s in shas if s not in self._gps]

        def work(_context) -> tuple[dict, dict]:
            from dayuan_desktop.core.photos.importing import read_photo

            images, gps = {}, {}
            for sha in shas:
                try:
                    images[sha] = cache.get(sha, lambda sha=sha: store.photos.photo_bytes(sha))
                except Exception:  # noqa: BLE001 - a missing or broken photo keeps the placeholder
                    images[sha] = None
            for sha in missing_gps:
                try:
                    gps[sha] = read_photo(store.photos.photo_bytes(sha)).metadata.gps
                except Exception:  # noqa: BLE001
                    gps[sha] = False
            return images, gps

        run_job(work, name="photo-thumbnails", parent=self, on_success=self._thumbnails_ready)

    def _thumbnails_ready(self, outcome: tuple[dict, dict]) -> None:
        images, gps = outcome
        for sha, data in images.items():
            self.model.set_thumbnail(sha, QImage.fromData(data) if data else None)
        self._gps.update(gps)
        current = self.form.sha256()
        if current in gps:
            self.form.set_gps(gps[current])
        for sha in gps:
            self._count_problems(sha)

    def _count_problems(self, sha: str) -> None:
        row = self.model.row_of(sha)
        if row is None:
            return
        from dayuan_desktop.core.photos.checks import photo_problems

        photo = self.model.photo(row)
        problems = photo_problems(photo.caption, photo.photographer, photo.width, gps=self._gps.get(sha, False))
        self.model.set_problem_count(sha, len(problems))

    def _import_progress(self, done: int, total: int, label: str) -> None:
        self.progress_row.update_progress(done, total, label)

    def _import_ended(self) -> None:
        self._import_job = None
        self.progress_row.hide()
        self.cancel_button.setEnabled(True)

    def _imported(self, outcome) -> None:
        self._import_ended()
        self._gps.update(outcome.gps)
        if outcome.article is not None and self._article is not None and outcome.article.id == self._article.id:
            self._reloaded(outcome.article)
            for item in outcome.imported:
                self._count_problems(item.photo.sha256)
            if outcome.imported:
                self.select(outcome.imported[-1].photo.sha256)
        if outcome.failed:
            self.failures.setText(failure_text(outcome.failed))
            self.failures.show()
        self.message.emit(summary_text(outcome))
        self.importFinished.emit(outcome)

    def _import_failed(self, error: BaseException) -> None:
        self._import_ended()
        self.message.emit(self.tr("Photos not imported: %1").replace("%1", str(error)))
        self.reload()

    def _import_cancelled(self) -> None:
        self._import_ended()
        self.message.emit(self.tr("Import cancelled"))
        self.reload()

    def _selected(self, current, _previous) -> None:
        self.saver.save_now()
        if current.isValid():
            photo = self.model.photo(current.row())
            self.form.set_photo(photo, self._gps.get(photo.sha256, False))
        else:
            self.form.set_photo(None)
        self._update_actions()

    def _texts_edited(self, sha: str, values: dict) -> None:
        row = self.model.row_of(sha)
        if row is not None:
            # Shown (list, preview) at once; written after the typing pause.
            self.model.update_photo(replace(self.model.photo(row), **values))
            self._count_problems(sha)
            if self._article is not None:
                self._article = replace(self._article, photos=self.article_photos())
        self.saver.edited(sha, values)
        self.photosChanged.emit()

    def _texts_saved(self, record) -> None:
        # Keep what is being typed: only take the stored record when the form shows no newer text.
        row = self.model.row_of(record.sha256)
        if row is not None and not self.saver.is_pending():
            self.model.update_photo(record)
        if row is not None:
            self.captionSaved.emit(record.sha256, record.caption)
        self._prepare_renditions([record.sha256])  # new texts, new rendition

    def _prepare_renditions(self, sha256s: list[str]) -> None:
        """Make the web renditions the next export needs now, in the background (see core.photos.ready_renditions)."""
        if not sha256s or self.store is None or not self._rendition_width:
            return
        from dayuan_desktop.core.photos.ready_renditions import prepare_renditions

        store, cache_dir, width = self.store, self._cache_dir, self._rendition_width
        # Nothing to report on success; a photo that cannot be rendered is reported by the export.
        run_job(lambda _context: prepare_renditions(store, cache_dir, sha256s, long_side=width),
                name="photo-renditions", parent=self)

    def _update_actions(self, *_args) -> None:
        has_article = self._article is not None
        selected = self.view.currentIndex().isValid()
        for action in (self.add_action, self.library_action, self.paste_action):
            action.setEnabled(has_article)
        for action in (self.insert_action, self.lead_action, self.remove_action):
            action.setEnabled(has_article and selected)
