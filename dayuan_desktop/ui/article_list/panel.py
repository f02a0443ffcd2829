"""The article list panel: channel tree, status filter, debounced search, the lazy table."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.ui.article_list.channel_actions import ChannelActions
from dayuan_desktop.ui.article_list.channels import ID_ROLE, KIND_ROLE, PATH_ROLE, ChannelTreeModel
from dayuan_desktop.ui.article_list.model import ArticleTableModel, ListFilter
from dayuan_desktop.ui.labels import STATUS_ORDER, status_label

if TYPE_CHECKING:
    from dayuan_desktop.core.records import ChannelRecord
    from dayuan_desktop.core.store import Store

SEARCH_DELAY_MS = 300  # typing pause before a search starts


class ArticleListPanel(QWidget):
    """Finds articles; says which one the user opened and what they asked to do with a selection."""

    articleActivated = Signal(int)
    newRequested = Signal()
    duplicateRequested = Signal(list)
    trashRequested = Signal(list)
    restoreRequested = Signal(list)
    exportRequested = Signal(list)
    emptyTrashRequested = Signal()
    resolveRequested = Signal(int)  # a conflict copy's id

    def __init__(self, store: Store | None, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ArticleTableModel(store, zone, self)
        self.channel_model = ChannelTreeModel(self)

        self.search_field = QLineEdit(self)
        self.search_field.setPlaceholderText(self.tr("Search titles, text, tags, captions…"))
        self.search_field.setClearButtonEnabled(True)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem(self.tr("All statuses"), None)
        for status in STATUS_ORDER:
            self.status_filter.addItem(status_label(status), status)
        self.count_label = QLabel(self)

        self.channel_view = QTreeView(self)
        self.channel_view.setModel(self.channel_model)
        self.channel_view.setHeaderHidden(True)
        self.channel_view.setCurrentIndex(self.channel_model.index(0, 0))
        self.channel_actions = ChannelActions(self.channel_view, self.channel_model, self)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # The indicator first: enabling sorting sorts at once by whatever the indicator shows.
        self.table.horizontalHeader().setSortIndicator(self.model.sort_column, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setDefaultSectionSize(84)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the title takes what is left
        header.resizeSection(0, 52)
        for column in (5, 6):  # "2024-01-01 12:00"
            header.resizeSection(column, 118)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filter)
        self._make_actions()
        self._lay_out()

        self._connect_signals()
        self._wanted_id: int | None = None
        self._scroll_back: int | None = None  # a live refresh puts the list back where it was
        self._quiet = False  # set while a live refresh restores the current row

    def _connect_signals(self) -> None:
        self.search_field.textChanged.connect(self._search_timer.start)
        self.search_field.returnPressed.connect(self._apply_filter)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.channel_view.selectionModel().currentChanged.connect(self._apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        # A click on the row that is already current opens it too: a live refresh may have put that row
        # back without opening it (the editor was cleared, say); opening what is shown is a no-op.
        self.table.clicked.connect(self._row_clicked)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.model.totalChanged.connect(self._show_count)
        self.model.loadingChanged.connect(self._show_loading)
        self.model.loadFailed.connect(lambda message: self.count_label.setText(self.tr("Failed: %1").replace("%1", message)))
        self.model.modelReset.connect(self._reselect)
        self.model.pageConfirmed.connect(self._reselect)  # the early page stayed: select as a reset would

    def _make_actions(self) -> None:
        self.new_action = QAction(self.tr("New article"), self)
        self.new_action.triggered.connect(self.newRequested)
        self.duplicate_action = QAction(self.tr("Duplicate"), self)
        self.duplicate_action.triggered.connect(lambda: self.duplicateRequested.emit(self.selected_ids()))
        self.trash_action = QAction(self.tr("Move to trash"), self)
        self.trash_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.trash_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.trash_action.triggered.connect(lambda: self.trashRequested.emit(self.selected_ids()))
        self.restore_action = QAction(self.tr("Restore from trash"), self)
        self.restore_action.triggered.connect(lambda: self.restoreRequested.emit(self.selected_ids()))
        self.export_action = QAction(self.tr("Export selected…"), self)
        self.export_action.triggered.connect(lambda: self.exportRequested.emit(self.selected_ids()))
        self.resolve_action = QAction(self.tr("Resolve conflict…"), self)
        self.resolve_action.triggered.connect(lambda: self.current_id() is not None
                                              and self.resolveRequested.emit(self.current_id()))
        self.empty_trash_action = QAction(self.tr("Empty trash…"), self)
        self.empty_trash_action.triggered.connect(self.emptyTrashRequested)
        self.table.addAction(self.trash_action)
        self.channel_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.channel_view.customContextMenuRequested.connect(self._show_channel_menu)

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.search_field, 1)
        filters.addWidget(self.status_filter)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        column.addWidget(self.count_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("articleListSplitter")
        self.splitter.addWidget(self.channel_view)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([140, 460])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.splitter)

    # -- public -----------------------------------------------------------------------------------
    def set_channels(self, channels: list[ChannelRecord]) -> None:
        """Show the store's channels in the tree (keeps the chosen one when it still exists)."""
        current = self.channel_view.currentIndex()
        kind, path = current.data(KIND_ROLE), current.data(PATH_ROLE)
        self.channel_view.selectionModel().blockSignals(True)
        self.channel_model.set_channels(channels)
        self.channel_actions.channels = list(channels)
        self.model.channel_names = {channel.path: channel.name for channel in channels}
        self.channel_view.expandAll()
        index = self.channel_model.index_of_kind(kind) if kind in ("trash", "conflicts") \
            else self.channel_model.index_of_path(path)
        self.channel_view.setCurrentIndex(index)
        self.channel_view.selectionModel().blockSignals(False)

    def refresh(self, select_id: int | None = None) -> None:
        """Fetch the list again, keeping (or moving) the selection to ``select_id``."""
        self._scroll_back = None  # a live refresh still out is superseded: this one selects as asked
        self._wanted_id = select_id if select_id is not None else self.current_id()
        self.model.refresh()

    def refresh_live(self) -> None:
        """Fetch again because another client changed something: the selection and scroll position stay."""
        position = self.table.verticalScrollBar().value()
        self.refresh()
        self._scroll_back = position

    def current_id(self) -> int | None:
        """The article in the current row."""
        return self.model.article_id(self.table.currentIndex().row())

    def selected_ids(self) -> list[int]:
        """The selected articles, top to bottom."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [i for i in (self.model.article_id(row) for row in rows) if i is not None]

    def select_article(self, article_id: int, *, scroll: bool = True) -> bool:
        """Make an already loaded article the current row (``scroll``: into view)."""
        row = self.model.row_of(article_id)
        if row is None:
            return False
        already_current = self.table.currentIndex().row() == row
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        if scroll:
            self.table.scrollTo(self.model.index(row, 0))
        if already_current and not self._quiet:  # no row change to announce it: ask for it to be opened
            self.articleActivated.emit(article_id)
        return True

    def show_new_article(self, summary) -> None:
        """Show a just-created article on top of the list and select it, whatever the search or filter."""
        self._wanted_id = summary.id
        self.model.pin(summary)
        self.select_article(summary.id)

    def leave_trash(self) -> None:
        """Show all articles instead of the trash (a new article is never in the trash)."""
        if self.showing_trash:
            self.channel_view.setCurrentIndex(self.channel_model.index(0, 0))

    def focus_search(self) -> None:
        """Put the cursor in the search field (Ctrl+F on the list)."""
        self.search_field.setFocus()
        self.search_field.selectAll()

    @property
    def showing_trash(self) -> bool:
        """True when the trash is shown."""
        return self.model.list_filter.trashed

    # -- internals --------------------------------------------------------------------------------
    def _apply_filter(self, *_args) -> None:
        self._search_timer.stop()
        current = self.channel_view.currentIndex()
        kind = current.data(KIND_ROLE) if current.isValid() else "all"
        list_filter = ListFilter(
            channel_path=current.data(PATH_ROLE) if kind == "channel" else None,
            channel_id=current.data(ID_ROLE) if kind == "channel" else None,
            status=self.status_filter.currentData(),
            trashed=kind == "trash",
            search_text=self.search_field.text(),
            conflicts=kind == "conflicts",
        )
        if list_filter != self.model.list_filter:
            # A live refresh still out is dropped with its filter; its quiet reselect must not carry over
            # to the new list, where it would make a row current without opening it.
            self._scroll_back = None
            self._wanted_id = self.current_id()
            self.model.set_filter(list_filter)

    def _reselect(self) -> None:
        position, self._scroll_back = self._scroll_back, None
        if self._wanted_id is not None:
            # A live refresh puts the row back; that is no request to open it (the editor may show another).
            self._quiet = position is not None
            try:
                self.select_article(self._wanted_id, scroll=position is None)
            finally:
                self._quiet = False
        if position is not None:  # after the view has laid the new rows out
            QTimer.singleShot(0, self, lambda: self.table.verticalScrollBar().setValue(position))

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        article_id = self.model.article_id(current.row())
        if article_id is not None and not self._quiet:
            self.articleActivated.emit(article_id)

    def _row_clicked(self, index: QModelIndex) -> None:
        article_id = self.model.article_id(index.row())
        if article_id is not None and index.row() == self.table.currentIndex().row():
            self.articleActivated.emit(article_id)

    def _show_count(self, total: int) -> None:
        shown = self.model.rowCount()
        if total < 0:
            text = self.tr("%n found", "", shown) + ("+" if self.model.canFetchMore() else "")
        else:
            text = self.tr("%n article(s)", "", total)
        self.count_label.setText(text)

    def _show_loading(self, loading: bool) -> None:
        if loading and not self.model.showing_early_page:  # the early page's count stays until confirmed
            self.count_label.setText(self.tr("Loading…"))

    def _show_context_menu(self, position) -> None:
        has_selection = bool(self.selected_ids())
        trash = self.showing_trash
        self.duplicate_action.setEnabled(has_selection and not trash)
        self.trash_action.setEnabled(has_selection and not trash)
        self.restore_action.setEnabled(has_selection and trash)
        self.export_action.setEnabled(has_selection and not trash)
        menu = QMenu(self)
        menu.addAction(self.new_action)
        menu.addAction(self.duplicate_action)
        menu.addSeparator()
        menu.addAction(self.trash_action)
        menu.addAction(self.restore_action)
        menu.addSeparator()
        menu.addAction(self.export_action)
        if self.model.list_filter.conflicts:
            self.resolve_action.setEnabled(has_selection)
            menu.addSeparator()
            menu.addAction(self.resolve_action)
        if trash:
            menu.addAction(self.empty_trash_action)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def _show_channel_menu(self, position) -> None:
        """The trash's own menu (Empty trash); elsewhere the channel edits."""
        index = self.channel_view.indexAt(position)
        menu = QMenu(self)
        if index.isValid() and index.data(KIND_ROLE) == "trash":
            menu.addAction(self.empty_trash_action)
        else:
            self.channel_actions.add_to_menu(menu, index)
        menu.exec(self.channel_view.viewport().mapToGlobal(position))
