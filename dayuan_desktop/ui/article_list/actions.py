"""List actions on articles (new, duplicate, trash, restore), each run as a job."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from dayuan_desktop.ui.jobs import run_job

# Fields a duplicate takes over; number, status and counters start fresh.
_COPIED = ("title", "subtitle", "author", "source", "summary", "body", "channel_path", "tags")


class ArticleActions(QObject):
    """Runs list actions off the UI thread and reports what changed."""

    changed = Signal(object)  # the id to select afterwards, or None
    created = Signal(object)  # the ArticleRecord of a new article
    failed = Signal(str)

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store

    def new_article(self, channel_path: str | None) -> None:
        """Create an empty draft (in the channel shown, if any)."""
        store = self.store
        run_job(lambda context: store.create_article(title="", channel_path=channel_path, status="draft"),
                name="article-action", parent=self,
                on_success=self.created.emit, on_failure=lambda error: self.failed.emit(str(error)))

    def duplicate(self, article_ids: Sequence[int], copy_suffix: str) -> None:
        """Copy articles as new drafts (without number), titled with ``copy_suffix``, with their photos."""
        from dayuan_desktop.core.enums import RevisionKind
        from dayuan_desktop.core.photos.incoming import NewArticle, bring_in_photos

        store, ids = self.store, list(article_ids)

        def copy(source) -> int:
            values = {name: getattr(source, name) for name in _COPIED}
            values["title"] = f"{source.title}{copy_suffix}"
            lead = next((link.photo.sha256 for link in source.photos if link.is_lead), None)
            # One transaction: a copy never exists without its photos (the original's lead stays the lead).
            new = NewArticle({**values, "status": "draft"}, kind=RevisionKind.CREATE)
            return bring_in_photos(store, new, [link.photo for link in source.photos], lead=lead).article.id

        def work() -> int | None:
            last = None
            for article_id in ids:
                last = copy(store.get_article(article_id))
            return last

        self._run(work)

    def trash(self, article_ids: Sequence[int]) -> None:
        """Move articles to the trash (restorable)."""
        store, ids = self.store, list(article_ids)

        def work() -> None:
            for article_id in ids:
                store.trash_article(article_id)

        self._run(work)

    def restore(self, article_ids: Sequence[int]) -> None:
        """Bring articles back from the trash."""
        store, ids = self.store, list(article_ids)

        def work() -> int | None:
            for article_id in ids:
                store.restore_article(article_id)
            return ids[-1] if ids else None

        self._run(work)

    def _run(self, work: Callable[[], object]) -> None:
        run_job(lambda context: work(), name="article-action", parent=self,
                on_success=self.changed.emit, on_failure=lambda error: self.failed.emit(str(error)))
