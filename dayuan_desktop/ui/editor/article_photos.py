"""The editor's link to the photo library: thumbnails to show inline, pasted images to store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QImage


class ArticlePhotoBridge:
    """Serves thumbnails by hash and turns pasted image bytes into photos of the open article."""

    def __init__(self, store, cache_dir: Path, current_article: Callable[[], int | None]) -> None:
        from dayuan_desktop.core.photos.thumbnails import ThumbnailCache

        self.store = store
        self.thumbnails = ThumbnailCache(cache_dir)
        self.current_article = current_article
        self.last_error = ""

    def image(self, sha256: str) -> QImage | None:
        """The photo's thumbnail (made once, then read from the cache); None when it cannot be shown."""
        store = self.store
        try:
            data = self.thumbnails.get(sha256, lambda: store.photos.photo_bytes(sha256))
        except Exception:  # noqa: BLE001 - a missing or broken photo shows the editor's placeholder
            return None
        image = QImage.fromData(data)
        return None if image.isNull() else image

    def import_pasted(self, data: bytes, name: str) -> str | None:
        """Store a pasted image as a photo and attach it to the open article; its sha256, or None.

        On failure ``last_error`` says why (a corrupt image, an unsupported format…).
        """
        from dayuan_desktop.core.photos.import_batch import NoProgress, import_files

        article_id = self.current_article()
        if article_id is None:
            self.last_error = "no article is open"
            return None
        try:
            # The editor places the photo at the cursor: attached only, no line at the body's end.
            outcome = import_files(self.store, article_id, [(data, name or "pasted image")], NoProgress())
        except Exception as exc:  # noqa: BLE001 - reported by the editor; the paste goes on without it
            self.last_error = str(exc)
            return None
        if outcome.failed:
            self.last_error = outcome.failed[0][1]
            return None
        self.last_error = ""
        return outcome.imported[0].photo.sha256
