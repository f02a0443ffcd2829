"""What the photo panel does: import, add from the library, reorder, lead, remove, caption saving.

:class:`PhotoPanelController` keeps the panel's state (the store, the article shown, which
photos carry a GPS position, the running jobs) and talks to core through background jobs
(see :mod:`dayuan_desktop.ui.jobs`); :class:`~dayuan_desktop.ui.photos.panel.PhotoPanel`
is the view it drives (widgets, actions, layout) and the signals the window listens to.
Its messages keep the ``PhotoPanel`` translation context they had before the split.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QImage

from dayuan_desktop.ui.jobs import BackgroundJob, run_job
from dayuan_desktop.ui.photos.import_report import failure_text, summary_text

if TYPE_CHECKING:
    from dayuan_desktop.ui.photos.panel import PhotoPanel


class PhotoPanelController(QObject):
    """The photo panel's work: keeps the shown article's photos and writes every change by a job."""

    def __init__(self, panel: PhotoPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.model = panel.model
        self.store = None
        self.thumbnails = None
        self.cache_dir: Path | None = None
        self.rendition_width: int | None = None  # None: no renditions made ahead of the export
        self.article = None  # the ArticleRecord whose photos are shown
        self.gps: dict[str, bool] = {}
        self.import_job: BackgroundJob | None = None
        self._links_job: BackgroundJob | None = None
        self._links_wanted: tuple | None = None
        # The list as the store last had it from here: a write changes that list, so photos
        # attached meanwhile elsewhere stay (see core.photos.attaching.arrange_photos).
        self._stored_shas: list[str] = []

    def set_store(self, store, cache_dir: Path, rendition_width: int | None = None) -> None:
        """Work on this store; thumbnails (and, with ``rendition_width``, web renditions) go under ``cache_dir``."""
        from dayuan_desktop.core.photos.thumbnails import ThumbnailCache

        self.store = store
        self.panel.saver.store = store
        self.thumbnails = ThumbnailCache(cache_dir)
        self.cache_dir, self.rendition_width = cache_dir, rendition_width

    def set_article(self, record) -> None:
        """Show the photos of this article (None: no article open)."""
        self.panel.saver.save_now()
        self.article = record
        if record is None:
            self.model.set_photos([])
        else:
            self.model.set_photos([link.photo for link in record.photos],
                                  lead=record.lead_photo.photo.sha256 if record.photos else None)
            self.load_thumbnails(self.model.shas())
        self._stored_shas = self.model.shas()

    def article_photos(self) -> tuple:
        """The photos as the article uses them now (ArticlePhotoRecord values, in order)."""
        from dayuan_desktop.core.records import ArticlePhotoRecord

        lead = self.model.lead()
        return tuple(ArticlePhotoRecord(photo, position, photo.sha256 == lead)
                     for position, photo in enumerate(self.model.photos()))

    def reload(self) -> None:
        """Read the article's photos again (e.g. after a paste into the body added one)."""
        if self.store is None or self.article is None:
            return
        store, article_id = self.store, self.article.id
        run_job(lambda _context: store.get_article(article_id), name="photos-reload", parent=self,
                on_success=self.reloaded)

    def reloaded(self, record) -> None:
        """Show the article's photos as read from the store (keeping the selection)."""
        if self.article is None or record.id != self.article.id:
            return
        current = self.panel.selected_sha()
        self.article = record
        self.model.set_photos([link.photo for link in record.photos],
                              lead=record.lead_photo.photo.sha256 if record.photos else None)
        self._stored_shas = self.model.shas()
        self.load_thumbnails([s for s in self.model.shas() if not self.model.has_thumbnail(s)])
        if current is not None:
            self.panel.select(current)
        self.panel.photosChanged.emit()

    # -- importing ----------------------------------------------------------------------------------
    def import_files(self, items: list) -> BackgroundJob | None:
        """Import files (paths, or (bytes, name) pairs) into the article in the background."""
        if self.store is None or self.article is None or not items:
            return None
        if self.import_job is not None:
            self.panel.message.emit(QCoreApplication.translate(
                "PhotoPanel", "Photos are still being imported; wait for them or cancel."))
            return None
        from dayuan_desktop.core.photos.import_batch import import_files

        store, article_id, thumbnails, items = self.store, self.article.id, self.thumbnails, list(items)
        renditions = (self.cache_dir, self.rendition_width) if self.rendition_width else None
        self.panel.show_import_started(len(items))
        self.import_job = run_job(
            lambda context: import_files(store, article_id, items, context, thumbnails, renditions),
            name="photo-import", parent=self, on_progress=self.panel.progress_row.update_progress,
            on_success=self._imported, on_failure=self._import_failed, on_cancelled=self._import_cancelled,
        )
        return self.import_job

    def cancel_import(self) -> bool:
        """Stop the running import after the file being read (what is imported stays); was one running?"""
        if self.import_job is None:
            return False
        self.import_job.cancel()
        return True

    def _import_ended(self) -> None:
        self.import_job = None
        self.panel.show_import_ended()

    def _imported(self, outcome) -> None:
        self._import_ended()
        self.gps.update(outcome.gps)
        if outcome.article is not None and self.article is not None and outcome.article.id == self.article.id:
            self.reloaded(outcome.article)
            for item in outcome.imported:
                self.count_problems(item.photo.sha256)
            if outcome.imported:
                self.panel.select(outcome.imported[-1].photo.sha256)
        if outcome.failed:
            self.panel.show_failures(failure_text(outcome.failed))
        self.panel.message.emit(summary_text(outcome))
        self.panel.importFinished.emit(outcome)

    def _import_failed(self, error: BaseException) -> None:
        self._import_ended()
        self.panel.message.emit(QCoreApplication.translate("PhotoPanel", "Photos not imported: %1")
                                .replace("%1", str(error)))
        self.reload()

    def _import_cancelled(self) -> None:
        self._import_ended()
        self.panel.message.emit(QCoreApplication.translate("PhotoPanel", "Import cancelled"))
        self.reload()

    # -- membership, order, lead ---------------------------------------------------------------------
    def add_existing(self, records: list) -> None:
        """Add photos already in the library to the article (after its photos)."""
        self.model.append_photos(records)
        self.load_thumbnails([r.sha256 for r in records])
        self.write_links()

    def make_lead(self, sha: str) -> None:
        """Make this photo the lead photo."""
        if sha != self.model.lead():
            self.model.set_lead(sha)
            self.write_links()

    def remove(self, sha: str) -> None:
        """Take a photo out of the article (it stays in the library); undo and body hear of it first."""
        from dayuan_desktop.ui.photos.removal_undo import RemovedPhoto

        was_lead = sha == self.model.lead()
        row = self.model.row_of(sha)
        self.panel.photoRemoved.emit(RemovedPhoto(self.article.id, self.model.photo(row), row, was_lead))
        self.model.remove_photo(sha)
        if was_lead:
            self.model.set_lead(self.model.shas()[0] if self.model.rowCount() else None)
        self.panel.removed.emit(sha)  # the body first: the preview then renders both changes at once
        self.write_links()

    def put_back(self, photo, position: int, lead: bool) -> bool:
        """Attach a photo again at ``position`` (undoing its removal); False when there is nothing to do."""
        if self.article is None or self.model.row_of(photo.sha256) is not None:
            return False
        self.model.append_photos([photo])
        if position < self.model.rowCount() - 1:
            self.model.move_photo(self.model.rowCount() - 1, position)
        if lead:
            self.model.set_lead(photo.sha256)
        self.load_thumbnails([photo.sha256])
        self.write_links()
        return True

    def write_links(self, *_args) -> None:
        """Write the photos' order and lead to the database, then tell the window."""
        if self.store is None or self.article is None:
            return
        self.article = replace(self.article, photos=self.article_photos())
        # Writes waiting to go are replaced by this one: it changes the list the first of them started from.
        shown = self._links_wanted[1] if self._links_wanted is not None else self._stored_shas
        self._links_wanted = (self.article.id, shown, self.model.shas(), self.model.lead())
        self._stored_shas = self.model.shas()
        self.panel.photosChanged.emit()
        self._write_next_links()

    def _write_next_links(self) -> None:
        # One write at a time, the newest state last: two writes racing on pool threads could
        # otherwise leave an older order in the database.
        if self._links_job is not None or self._links_wanted is None:
            return
        from dayuan_desktop.core.photos.attaching import arrange_photos

        (article_id, shown, shas, lead), self._links_wanted = self._links_wanted, None
        store = self.store
        self._links_job = run_job(lambda _context: arrange_photos(store, article_id, shown, shas, lead=lead),
                                  name="photo-links", parent=self, on_failure=self._write_failed)
        self._links_job.finished.connect(self._links_written)

    def _links_written(self) -> None:
        self._links_job = None
        self._write_next_links()

    def is_writing(self) -> bool:
        """Are the photos' order, lead or texts still being written?"""
        return self._links_job is not None or self._links_wanted is not None or self.panel.saver.is_pending()

    def _write_failed(self, error: BaseException) -> None:
        self.panel.message.emit(QCoreApplication.translate("PhotoPanel", "Photos not saved: %1")
                                .replace("%1", str(error)))
        self.reload()

    # -- thumbnails and checks -----------------------------------------------------------------------
    def load_thumbnails(self, shas: list[str]) -> None:
        """Thumbnails (and whether the file has a GPS position) of these photos, in the background."""
        if self.store is None or not shas:
            return
        store, cache = self.store, self.thumbnails
        missing_gps = [s for s in shas if s not in self.gps]

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
        self.gps.update(gps)
        current = self.panel.form.sha256()
        if current in gps:
            self.panel.form.set_gps(gps[current])
        for sha in gps:
            self.count_problems(sha)

    def count_problems(self, sha: str) -> None:
        """Show on the photo's thumbnail how many problems its texts and file have."""
        row = self.model.row_of(sha)
        if row is None:
            return
        from dayuan_desktop.core.photos.checks import photo_problems

        photo = self.model.photo(row)
        problems = photo_problems(photo.caption, photo.photographer, photo.width, gps=self.gps.get(sha, False))
        self.model.set_problem_count(sha, len(problems))

    # -- captions ------------------------------------------------------------------------------------
    def texts_edited(self, sha: str, values: dict) -> None:
        """The caption form changed a photo's texts: show them at once, store them after the typing pause."""
        row = self.model.row_of(sha)
        if row is not None:
            self.model.update_photo(replace(self.model.photo(row), **values))
            self.count_problems(sha)
            if self.article is not None:
                self.article = replace(self.article, photos=self.article_photos())
        self.panel.saver.edited(sha, values)
        self.panel.photosChanged.emit()

    def texts_saved(self, record) -> None:
        """A photo's texts were stored."""
        # Keep what is being typed: only take the stored record when the form shows no newer text.
        row = self.model.row_of(record.sha256)
        if row is not None and not self.panel.saver.is_pending():
            self.model.update_photo(record)
        if row is not None:
            self.panel.captionSaved.emit(record.sha256, record.caption)
        self.prepare_renditions([record.sha256])  # new texts, new rendition

    def prepare_renditions(self, sha256s: list[str]) -> None:
        """Make the web renditions the next export needs now, in the background (see core.photos.ready_renditions)."""
        if not sha256s or self.store is None or not self.rendition_width:
            return
        from dayuan_desktop.core.photos.ready_renditions import prepare_renditions

        store, cache_dir, width = self.store, self.cache_dir, self.rendition_width
        # Nothing to report on success; a photo that cannot be rendered is reported by the export.
        run_job(lambda _context: prepare_renditions(store, cache_dir, sha256s, long_side=width),
                name="photo-renditions", parent=self)
