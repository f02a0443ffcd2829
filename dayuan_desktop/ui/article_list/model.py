"""The article list's table model: lazy pages fetched from the store off the UI thread.

The model never holds more than the pages the user has scrolled through. Every fetch runs as
a job; a result that arrives after the filter changed is dropped (``_generation``), so a slow
search can never overwrite the list the user is looking at now.

An article created here is *pinned*: it stays on top of the list, whatever the search or
filter, until the user changes them (a new draft with no title matches no search, and the
editor must still see where it went).

Before the store is open the list may show an *early* first page read straight from the file
(``first_page``). The store's own first fetch then confirms it: the same rows stay as they are
(no reset: the selection and the scroll position stay, ``pageConfirmed``), other rows replace
them as any refresh does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

from dayuan_desktop.ui.jobs import run_job
from dayuan_desktop.ui.labels import status_label

if TYPE_CHECKING:  # the store (and SQLAlchemy) load on a worker thread after the first paint
    from dayuan_desktop.core.records import ArticleSummary
    from dayuan_desktop.core.store import Store

PAGE_SIZE = 200


@dataclass(frozen=True)
class ListFilter:
    """What the list shows: a channel (with subchannels), a status, the trash, a search text."""

    channel_path: str | None = None
    channel_id: int | None = None
    status: str | None = None
    trashed: bool = False
    search_text: str = ""
    conflicts: bool = False  # only the conflict copies sync left


class ArticleTableModel(QAbstractTableModel):
    """Rows of :class:`ArticleSummary`, loaded page by page as the view scrolls."""

    COLUMNS = ("number", "title", "channel", "status", "author", "updated", "published")
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    loadingChanged = Signal(bool)
    loadFailed = Signal(str)
    totalChanged = Signal(int)  # -1 while unknown (a search has no cheap total)
    pageConfirmed = Signal()  # the store's first page is the early page shown: nothing was reset

    def __init__(self, store: Store | None, zone: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._zone = zone
        self._rows: list[ArticleSummary] = []
        self._total = 0
        self._exhausted = True
        self._filter = ListFilter()
        self._sort = "updated"
        self._descending = True
        self._generation = 0
        self._loading = False
        self._pinned: list[int] = []  # articles created here, newest first, shown whatever the filter
        self._fetched = 0  # rows the store gave for the filter (pinned rows on top are not counted)
        self.channel_names: dict[str, str] = {}  # channel path → Chinese name (the panel keeps it current)
        self._holders: dict[int, str] = {}  # article id → who else is editing it (from the leases)
        self._early = False  # the rows are an early page, read before the store was open

    # -- what to show ---------------------------------------------------------------------------
    @property
    def list_filter(self) -> ListFilter:
        """The filter in force."""
        return self._filter

    def set_filter(self, list_filter: ListFilter) -> None:
        """Show other articles; the first page is fetched in the background (pinned articles let go)."""
        self._filter = list_filter
        self._pinned = []
        self.refresh()

    def pin(self, summary: ArticleSummary) -> None:
        """Keep a newly created article on top of the list, whatever the filter, and show it now."""
        if summary.id in self._pinned:
            return
        self._pinned.insert(0, summary.id)
        if self.row_of(summary.id) is None:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._rows.insert(0, summary)
            self.endInsertRows()

    def show_early_page(self, items: list[ArticleSummary], total: int, list_filter: ListFilter, sort: str,
                        descending: bool) -> bool:
        """Show a first page read before the store is open; False when it no longer fits (too late)."""
        if self._store is not None or self._rows or (list_filter, sort, descending) != (
                self._filter, self._sort, self._descending):
            return False
        self.beginResetModel()
        self._rows = list(items)
        self._fetched = len(items)
        self._early = True  # no fetchMore yet (``_exhausted``): the store continues once open
        self.endResetModel()
        self._total = total
        self.totalChanged.emit(total)
        return True

    @property
    def showing_early_page(self) -> bool:
        """True while the rows are an early page the store has not fetched again yet."""
        return self._early

    def drop_early_page(self) -> None:
        """Take an early page off the list (the database it came from failed to open)."""
        if not self._early:
            return
        self.beginResetModel()
        self._rows, self._fetched, self._early = [], 0, False
        self.endResetModel()
        self._total = 0
        self.totalChanged.emit(0)

    def set_store(self, store: Store) -> None:
        """Show articles from this store (the window opens the database after its first paint)."""
        self._store = store

    def refresh(self) -> None:
        """Fetch the first page again (after edits elsewhere, or a new filter)."""
        self._generation += 1
        if self._store is None:
            if self._early:  # another filter or order before the store is open: not these rows
                self.beginResetModel()
                self._rows, self._fetched, self._early = [], 0, False
                self.endResetModel()
                self._set_loading(True)
            return
        self._fetch(offset=0, generation=self._generation, reset=True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by any column; the store sorts, so paging stays correct (search results stay newest first)."""
        if not 0 <= column < len(self.COLUMNS):
            return
        name = self.COLUMNS[column]
        descending = order == Qt.SortOrder.DescendingOrder
        if (name, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = name, descending
        self.refresh()

    @property
    def sort_column(self) -> int:
        """The column the rows are sorted by."""
        return self.COLUMNS.index(self._sort)

    @property
    def is_loading(self) -> bool:
        """True while a page is being fetched."""
        return self._loading

    # -- rows -------------------------------------------------------------------------------------
    def article_id(self, row: int) -> int | None:
        """The article shown in ``row``."""
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def summary(self, row: int) -> ArticleSummary | None:
        """The summary shown in ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, article_id: int) -> int | None:
        """The row showing an article, if loaded."""
        for row, item in enumerate(self._rows):
            if item.id == article_id:
                return row
        return None

    def update_summary(self, summary: ArticleSummary) -> None:
        """Show a saved article's new values in place (no refetch, the selection stays)."""
        row = self.row_of(summary.id)
        if row is None:
            return
        self._rows[row] = summary
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def update_fields(self, article_id: int, **values) -> None:
        """Show unsaved edits (e.g. a title being typed) in the list at once."""
        row = self.row_of(article_id)
        if row is not None:
            self.update_summary(replace(self._rows[row], **values))

    def set_holders(self, holders: dict[int, str]) -> None:
        """Who else is editing which article: shown as a padlock and the name beside the title."""
        if holders == self._holders:
            return
        self._holders = dict(holders)
        if self._rows:
            title = self.COLUMNS.index("title")
            self.dataChanged.emit(self.index(0, title), self.index(len(self._rows) - 1, title))

    def holder(self, article_id: int) -> str | None:
        """Who else is editing an article, if anyone."""
        return self._holders.get(article_id)

    # -- QAbstractTableModel ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(self.COLUMNS):
            return None
        return self._header_texts()[section]

    def _header_texts(self) -> tuple[str, ...]:
        return (
            self.tr("No."), self.tr("Title"), self.tr("Channel"), self.tr("Status"),
            self.tr("Author"), self.tr("Updated"), self.tr("Published"),
        )

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = self.COLUMNS[index.column()] if 0 <= index.column() < len(self.COLUMNS) else None
        if role == self.ID_ROLE:
            return item.id
        holder = self._holders.get(item.id) if column == "title" else None
        if role == Qt.ItemDataRole.DisplayRole:
            shown = self._display(item, column)
            # The name first: a narrow title column cuts the end of the text, never who is editing.
            return shown if holder is None else self.tr("%1 · %2").replace("%1", holder).replace("%2", shown)
        if role == Qt.ItemDataRole.DecorationRole and holder is not None:
            from dayuan_desktop.ui.lock_icon import lock_icon

            return lock_icon()
        if role == Qt.ItemDataRole.ToolTipRole and column == "title":
            return item.title if holder is None else self.tr("%1 is editing").replace("%1", holder)
        if role == Qt.ItemDataRole.ToolTipRole and column == "channel":
            return item.channel_path
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "number":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: ArticleSummary, column: str | None) -> str | None:
        if column == "number":
            return "" if item.number is None else str(item.number)
        if column == "title":
            return item.title or self.tr("(untitled)")
        if column == "channel":
            return self.channel_names.get(item.channel_path or "", item.channel_path or "")
        if column == "status":
            return status_label(item.status)
        if column == "author":
            return item.author
        if column == "updated":
            return self._time(item.updated_at)
        if column == "published":
            return self._time(item.published_at)
        return None

    def _time(self, value: datetime | None) -> str:
        return "" if value is None else value.astimezone(self._zone).strftime("%Y-%m-%d %H:%M")

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch(offset=self._fetched, generation=self._generation, reset=False)

    # -- fetching ---------------------------------------------------------------------------------------
    def _fetch(self, *, offset: int, generation: int, reset: bool) -> None:
        store, list_filter, sort, descending = self._store, self._filter, self._sort, self._descending
        pinned = list(self._pinned) if reset and not list_filter.trashed else []

        def work(context) -> tuple[list[ArticleSummary], int, bool, list[ArticleSummary]]:
            return (*_load_page(store, list_filter, sort, descending, offset), pinned, _load_pinned(store, pinned))

        self._set_loading(True)
        run_job(
            work,
            name="article-list",
            parent=self,
            on_success=lambda result: self._received(result, offset, generation, reset),
            on_failure=lambda error: self._failed(error, generation),
        )

    def _received(self, result: tuple, offset: int, generation: int, reset: bool) -> None:
        if generation != self._generation:
            return  # the filter changed meanwhile; a newer fetch is on its way
        items, total, more, asked, pinned = result
        confirmed = False
        if reset:
            found = {item.id for item in items}
            rows = self._pinned_rows(asked, pinned, found) + list(items)
            confirmed = self._early and rows == self._rows
            self._fetched = len(items)
            if not confirmed:
                self.beginResetModel()
                self._rows = rows
                self.endResetModel()
            self._early = False
        elif offset == self._fetched:
            self._fetched += len(items)
            shown = {item.id for item in self._rows}
            items = [item for item in items if item.id not in shown]  # a pinned article's own place
            if items:
                self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(items) - 1)
                self._rows.extend(items)
                self.endInsertRows()
        self._exhausted = not more
        self._total = total
        if confirmed:
            self.pageConfirmed.emit()
        self._set_loading(False)
        self.totalChanged.emit(total)

    def _pinned_rows(self, asked: list[int], loaded: list[ArticleSummary], found: set[int]) -> list[ArticleSummary]:
        """Pinned articles to show above a fresh first page, in pinning order.

        What the fetch loaded is current; one pinned after the fetch started keeps the row shown now.
        """
        if self._filter.trashed:
            return []
        rows = {item.id: item for item in self._rows if item.id in self._pinned and item.id not in asked}
        rows.update({item.id: item for item in loaded})
        return [rows[i] for i in self._pinned if i in rows and i not in found]

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation != self._generation:
            return
        self._exhausted = True
        self._set_loading(False)
        self.loadFailed.emit(str(error))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loadingChanged.emit(loading)


def _load_page(
    store: Store, list_filter: ListFilter, sort: str, descending: bool, offset: int
) -> tuple[list[ArticleSummary], int, bool]:
    """One page for the filter (runs on a worker thread): items, total (-1 for a search), more to come."""
    from dayuan_desktop.core.search import SearchFilter
    from dayuan_desktop.core.store import ArticleQuery

    text = list_filter.search_text.strip()
    if text:
        filters = SearchFilter(
            channel_id=list_filter.channel_id, status=list_filter.status, include_trashed=list_filter.trashed,
            conflicts_only=list_filter.conflicts,
        )
        found = store.search(text, offset=offset, limit=PAGE_SIZE, filters=filters)
        more = len(found) == PAGE_SIZE
        if list_filter.trashed:  # the search filter can include the trash, not show it alone
            found = [item for item in found if item.deleted_at is not None]
        return found, -1, more
    query = ArticleQuery(
        channel_path=list_filter.channel_path, status=list_filter.status, trashed=list_filter.trashed,
        conflicts=list_filter.conflicts, sort=sort, descending=descending, offset=offset, limit=PAGE_SIZE,
    )
    page = store.list_articles(query)
    return list(page.items), page.total, offset + len(page.items) < page.total


def _load_pinned(store: Store, ids: list[int]) -> list[ArticleSummary]:
    """The pinned articles as they are now (runs on a worker thread); trashed or purged ones drop out."""
    if not ids:
        return []
    return [summary_of(record) for record in store.get_articles(ids) if record.deleted_at is None]


def summary_of(record) -> ArticleSummary:
    """The list row of a full article record."""
    from dayuan_desktop.core.records import ArticleSummary

    return ArticleSummary(
        id=record.id, uuid=record.uuid, number=record.number, title=record.title,
        channel_path=record.channel_path, status=record.status, author=record.author,
        updated_at=record.updated_at, published_at=record.published_at, deleted_at=record.deleted_at,
    )
