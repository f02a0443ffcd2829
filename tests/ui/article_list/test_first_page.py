"""The list's early first page (issue 20 item 4): the store's first page, read before the store is open."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtTest import QAbstractItemModelTester

from dayuan_desktop.ui.article_list.first_page import DEFAULT_ORDER, read_first_page
from dayuan_desktop.ui.article_list.model import PAGE_SIZE, ArticleTableModel, ListFilter, _load_page
from dayuan_desktop.ui.article_list.panel import ArticleListPanel
from tests.core.export.sitekit import raw_sql
from tests.ui.conftest import add_articles

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def archive(ui_store):
    """More than a page: two channels, every status, trashed rows, ties in the update time."""
    ui_store.ensure_search_index()  # as the window's open leaves the file
    add_articles(ui_store, PAGE_SIZE + 40, channel="news/local")
    add_articles(ui_store, 30, channel="sport", status="published", title="体育")
    ids = add_articles(ui_store, 12, channel="sport", status="review", title="审稿")
    for article_id in ids[::3]:
        ui_store.trash_article(article_id)
    raw_sql(ui_store, "UPDATE articles SET updated_at = '2024-03-02 09:00:00.000000' WHERE id % 7 = 0")
    raw_sql(ui_store, "UPDATE articles SET author = '' WHERE id % 5 = 0")
    return ui_store


def _path(store) -> str:
    return str(store.db.sqlite_path)


def _cells(model) -> list[list]:
    return [[model.data(model.index(row, column)) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def _early_model(store, qtbot=None) -> ArticleTableModel:
    page = read_first_page(_path(store), *DEFAULT_ORDER)
    assert page is not None
    model = ArticleTableModel(None, ZONE)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.channel_names = page.channel_names
    assert model.show_early_page(list(page.items), page.total, *DEFAULT_ORDER)
    return model


def test_the_early_page_is_the_first_page_the_store_lists(archive):
    page = read_first_page(_path(archive), *DEFAULT_ORDER)
    items, total, _more = _load_page(archive, ListFilter(), "updated", True, 0)
    assert list(page.items) == items and len(items) == PAGE_SIZE  # every field, in the same order
    assert page.total == total == PAGE_SIZE + 40 + 30 + 8
    assert page.channel_names == {channel.path: channel.name for channel in archive.list_channels()}


def test_the_early_page_shows_what_the_stores_page_shows(qtbot, archive):
    early = _early_model(archive)
    usual = ArticleTableModel(archive, ZONE)
    usual.channel_names = {channel.path: channel.name for channel in archive.list_channels()}
    usual.refresh()
    qtbot.waitUntil(lambda: not usual.is_loading, timeout=10_000)
    assert _cells(early) == _cells(usual)
    assert not early.canFetchMore()  # the rest comes once the store is open


def test_the_store_keeps_the_same_page_without_a_reset(qtbot, archive):
    panel = ArticleListPanel(None, ZONE)
    qtbot.addWidget(panel)
    QAbstractItemModelTester(panel.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    page = read_first_page(_path(archive), *DEFAULT_ORDER)
    panel.model.channel_names = page.channel_names
    assert panel.model.show_early_page(list(page.items), page.total, *DEFAULT_ORDER)
    count = panel.count_label.text()
    assert str(page.total) in count
    shown = _cells(panel.model)
    chosen = panel.model.article_id(3)
    panel.table.selectionModel().setCurrentIndex(
        panel.model.index(3, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    resets, labels, activated = [], [], []
    panel.model.modelReset.connect(lambda: resets.append(panel.model.rowCount()))
    panel.model.loadingChanged.connect(lambda _loading: labels.append(panel.count_label.text()))
    panel.articleActivated.connect(activated.append)

    panel.model.set_store(archive)
    with qtbot.waitSignal(panel.model.pageConfirmed, timeout=10_000):
        panel.refresh(select_id=chosen)
    qtbot.waitUntil(lambda: not panel.model.is_loading, timeout=10_000)
    assert resets == []  # no reset: no flicker, the view keeps its rows
    assert _cells(panel.model) == shown
    assert panel.current_id() == chosen and panel.selected_ids() == [chosen]
    assert activated == [chosen]  # asked to open once, now that the store can open it
    assert labels == [count, count] and panel.count_label.text() == count  # never "Loading…" over the rows
    assert panel.model.canFetchMore() and not panel.model.showing_early_page
    panel.model.fetchMore()  # and continues page by page as usual
    qtbot.waitUntil(lambda: panel.model.rowCount() == page.total, timeout=10_000)


def test_a_change_made_meanwhile_replaces_the_early_page_as_a_refresh_does(qtbot, archive):
    model = _early_model(archive)
    first = model.article_id(0)
    archive.update_article(first, {"title": "改过的标题"}, expected_version=archive.get_articles([first])[0].version)
    resets = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.set_store(archive)
    model.refresh()
    qtbot.waitUntil(lambda: not model.is_loading, timeout=10_000)
    assert resets == [PAGE_SIZE]
    assert model.summary(0).title == "改过的标题"


def test_another_filter_before_the_store_is_open_drops_the_early_page(qtbot, archive):
    model = _early_model(archive)
    model.set_filter(ListFilter(status="published"))
    assert model.rowCount() == 0 and model.is_loading  # no rows of another filter under this one
    page = read_first_page(_path(archive), *DEFAULT_ORDER)
    assert not model.show_early_page(list(page.items), page.total, *DEFAULT_ORDER)  # read for the old filter
    model.set_store(archive)
    model.refresh()
    qtbot.waitUntil(lambda: not model.is_loading, timeout=10_000)
    assert model.rowCount() == 30 and {model.summary(row).status for row in range(30)} == {"published"}


def test_a_page_read_after_the_store_opened_is_not_shown(qtbot, archive):
    model = ArticleTableModel(archive, ZONE)
    page = read_first_page(_path(archive), *DEFAULT_ORDER)
    assert not model.show_early_page(list(page.items), page.total, *DEFAULT_ORDER)
    assert model.rowCount() == 0


@pytest.mark.parametrize("statement", [
    "UPDATE alembic_version SET version_num = '0008'",  # older schema: the usual open upgrades it
    "UPDATE app_meta SET value = 'old' WHERE key = 'search_format'",  # stale index: the usual open rebuilds it
    "DELETE FROM articles",  # empty: the usual open may load the sample
])
def test_nothing_is_shown_early_when_the_usual_open_may_change_the_list(archive, statement):
    raw_sql(archive, statement)
    assert read_first_page(_path(archive), *DEFAULT_ORDER) is None


def test_nothing_is_read_early_for_a_server_a_search_or_a_channel(archive):
    assert read_first_page("postgresql://editor@localhost/newsroom", *DEFAULT_ORDER) is None
    assert read_first_page(_path(archive), ListFilter(search_text="太原"), "updated", True) is None
    assert read_first_page(_path(archive), ListFilter(channel_path="sport", channel_id=2), "updated", True) is None
