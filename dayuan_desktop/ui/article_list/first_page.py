"""The list's first page on screen before the database is open (issue 20, item 4).

On a big archive the usual open (SQLAlchemy and the models loading, the schema check, the
search index, the sample, channels and tags) takes most of a second after the window's first
paint, and the list's first page waited for all of it. When the file is current none of that
changes the page: ``core.quick_list`` reads it with the sqlite3 module alone, on a worker,
from the first paint on, and the list shows it while the usual open goes on.

Once the store is open the list fetches its first page the usual way, and the model keeps the
early rows when they are the same (no reset: selection and scroll stay), or replaces them as
any refresh does. Whenever ``quick_page`` declines (a server, an older or newer schema, a
stale search index, a missing file) or the file holds no article yet (the sample may come),
nothing is shown early and the window opens as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

from dayuan_desktop.ui.article_list.model import PAGE_SIZE, ListFilter
from dayuan_desktop.ui.jobs import run_job

if TYPE_CHECKING:
    from dayuan_desktop.core.records import ArticleSummary
    from dayuan_desktop.ui.main_window import MainWindow

# What a new list model shows (ArticleTableModel's defaults); the page is dropped if that changed meanwhile.
DEFAULT_ORDER = (ListFilter(), "updated", True)


@dataclass(frozen=True)
class EarlyPage:
    """A first page as the store would list it, and the channels' names (path → name)."""

    items: tuple[ArticleSummary, ...]
    total: int
    channel_names: dict[str, str]


def read_first_page(target: str, list_filter: ListFilter, sort: str, descending: bool) -> EarlyPage | None:
    """The list's first page straight from a current SQLite file, or None (runs on a worker thread)."""
    from dayuan_desktop.core.quick_list import quick_page

    if list_filter.search_text.strip() or list_filter.channel_path is not None:
        return None
    page = quick_page(target, status=list_filter.status, sort=sort, descending=descending,
                      trashed=list_filter.trashed, conflicts=list_filter.conflicts, offset=0, limit=PAGE_SIZE,
                      with_channels=True)
    if page is None or not page.items:
        return None  # an empty archive may get the sample: no empty list that fills a moment later
    return EarlyPage(tuple(page.items), page.total, dict(page.channels))


class FirstPage(QObject):
    """Reads the first page from the window's first paint on and shows it in the list once built."""

    def __init__(self, window: MainWindow, target: str) -> None:
        super().__init__(window)
        self._window = window
        self._target = target
        self._started = False
        self.shown = False  # the list showed the early page (tests and the benchmark look)
        window.installEventFilter(self)
        window.built.connect(self.start)  # a start without a paint (hidden) reads after the build
        # Rows of a database that then fails to open would sit under the error as if usable.
        window.workspaceFailed.connect(self._drop)
        self._failed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint and not self._started:
            self.start()
        return False

    def start(self) -> None:
        """Read the page on a worker (once)."""
        if self._started:
            return
        self._started = True
        self._window.removeEventFilter(self)
        target = self._target
        run_job(lambda _context: read_first_page(target, *DEFAULT_ORDER), name="first-list-page", parent=self,
                on_success=self._received, on_failure=lambda _error: None)  # the usual open reports problems

    def _received(self, page: EarlyPage | None) -> None:
        if page is None:
            return
        if not self._window.is_built:  # read faster than the panels were built
            self._window.built.connect(lambda: self._show(page))
            return
        self._show(page)

    def _drop(self, _message: str) -> None:
        self._failed = True
        self._window.article_list.model.drop_early_page()

    def _show(self, page: EarlyPage) -> None:
        if self._failed:
            return
        model = self._window.article_list.model
        names, model.channel_names = model.channel_names, page.channel_names
        self.shown = model.show_early_page(list(page.items), page.total, *DEFAULT_ORDER)
        if not self.shown:
            model.channel_names = names  # too late: the store's page (and channels) are shown already
