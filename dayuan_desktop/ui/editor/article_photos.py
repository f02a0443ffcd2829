"""The editor's link to the photo library: thumbnails to show inline, pasted images to store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage

from dayuan_desktop.ui.editor.paste_photos import PastedImage
from dayuan_desktop.ui.jobs import JobContext, run_job


class ArticlePhotoBridge:
    """Serves thumbnails by hash and turns pasted images into photos of the open article."""

    def __init__(
        self,
        store,
        cache_dir: Path,
        current_article: Callable[[], int | None],
        rendition_width: Callable[[], int | None] = lambda: None,
    ) -> None:
        from dayuan_desktop.core.photos.thumbnails import ThumbnailCache

        self.store = store
        self.cache_dir = cache_dir
        self.thumbnails = ThumbnailCache(cache_dir)
        self.current_article = current_article
        self.rendition_width = rendition_width  # the site's; None: no web renditions made ahead
        self.last_error = ""
        self._thumbnail_ready: Callable[[], None] = lambda: None  # the editor asks for its images again
        self._owner: QObject | None = None  # thumbnail jobs end with it (their editor)
        self._making: set[str] = set()  # thumbnails being made in the background
        self._unmakeable: set[str] = set()  # photos missing or damaged: their placeholder stays
        # Imported now, in the background: a first paste would otherwise import the photo pipeline
        # on its pool thread while holding the GIL, stalling the window for ~100 ms.
        run_job(lambda _context: _load_photo_pipeline(), name="photo-pipeline-import")

    def image(self, sha256: str) -> QImage | None:
        """The photo's thumbnail from the cache; None (the editor's placeholder) when it cannot be shown
        or is not made yet. One not made yet is made in the background (reading a camera original from
        the database and decoding it held the window ~0.3 s per photo), then the callback of :meth:`when_thumbnail_ready`."""
        try:
            data = self.thumbnails.cached(sha256)
        except Exception:  # noqa: BLE001 - not a photo hash: the editor's placeholder
            return None
        if data is None:
            self._make_thumbnail(sha256)
            return None
        image = QImage.fromData(data)
        return None if image.isNull() else image

    def when_thumbnail_ready(self, callback: Callable[[], None], owner: QObject) -> None:
        """Call ``callback`` on the UI thread each time a thumbnail was made in the background; the
        jobs belong to ``owner`` (the editor), so none calls back into a closed window."""
        self._thumbnail_ready, self._owner = callback, owner

    def _make_thumbnail(self, sha256: str) -> None:
        if sha256 in self._making or sha256 in self._unmakeable:
            return  # asked again on every refresh of the body: one job per photo, no retry of a broken one
        self._making.add(sha256)
        store, thumbnails = self.store, self.thumbnails

        def made(_data) -> None:
            self._making.discard(sha256)
            self._thumbnail_ready()

        def failed(_error) -> None:  # a missing or damaged photo keeps the placeholder
            self._making.discard(sha256)
            self._unmakeable.add(sha256)

        run_job(lambda _context: thumbnails.get(sha256, lambda: store.photos.photo_bytes(sha256)),
                name="editor thumbnail", parent=self._owner, on_success=made, on_failure=failed)

    def paste_work(self, images: Sequence[PastedImage]) -> Callable[[JobContext], list[str | None]] | None:
        """The work storing pasted images as photos of the article open now (on a pool thread).

        Called on the UI thread at paste time, so the article is the one pasted into even if
        another is opened before the work ends; None when no article is open.
        """
        article_id = self.current_article()
        if article_id is None:
            self.last_error = "no article is open"
            return None
        width = self.rendition_width()

        def work(context: JobContext) -> list[str | None]:
            shas: list[str | None] = []
            for done, image in enumerate(images):
                context.progress(done, len(images), image.name)  # the status bar says which one
                shas.append(None if context.cancelled else self.import_pasted(article_id, image.read(), image.name,
                                                                               width))
            return shas

        return work

    def import_pasted(self, article_id: int, data: bytes | None, name: str, rendition_width: int | None = None) -> str | None:
        """Store pasted image bytes as a photo attached to the article; its sha256, or None.

        Goes through the photo panel's import (``core.photos.import_batch``): the photo gets its
        thumbnail and, given ``rendition_width``, its web rendition now. On failure ``last_error``
        says why (a corrupt image, an unsupported format…). Slow: run it off the UI thread.
        """
        from dayuan_desktop.core.photos.import_batch import NoProgress, import_files

        if not data:
            self.last_error = f"{name}: the image could not be read"
            return None
        renditions = (self.cache_dir, rendition_width) if rendition_width else None
        try:
            # The editor places the photo where it was pasted: attached only, no line at the body's end.
            outcome = import_files(self.store, article_id, [(data, name or "pasted image")], NoProgress(),
                                   self.thumbnails, renditions)
        except Exception as exc:  # noqa: BLE001 - reported by the editor; the paste goes on without it
            self.last_error = str(exc)
            return None
        if outcome.failed:
            self.last_error = outcome.failed[0][1]
            return None
        self.last_error = ""
        return outcome.imported[0].photo.sha256


def _load_photo_pipeline() -> None:
    """Import what storing a pasted photo needs (see ``ArticlePhotoBridge.import_pasted``)."""
    import dayuan_desktop.core.photos.import_batch
    import dayuan_desktop.core.photos.incoming
    import dayuan_desktop.core.photos.ready_renditions  # noqa: F401
