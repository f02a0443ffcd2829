"""The lazy article table model over a real store."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from sqlalchemy import text

from dayuan_desktop.ui.article_list.model import PAGE_SIZE, ArticleTableModel, ListFilter
from tests.ui.conftest import add_articles

ZONE = ZoneInfo("Asia/Shanghai")


def loaded(qtbot, model):
    qtbot.waitUntil(lambda: not model.is_loading, timeout=10_000)
    return model


@pytest.fixture
def big_store(ui_store):
    add_articles(ui_store, PAGE_SIZE * 2 + 50, channel="news/local")
    add_articles(ui_store, 30, channel="sport", status="published", title="体育")
    return ui_store


def test_model_passes_the_item_model_tester_while_loading_pages(qtbot, big_store):
    model = ArticleTableModel(big_store, ZONE)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.refresh()
    loaded(qtbot, model)
    assert model.rowCount() == PAGE_SIZE  # only the first page is loaded at first
    while model.canFetchMore():
        model.fetchMore()
        loaded(qtbot, model)
    assert model.rowCount() == PAGE_SIZE * 2 + 80
    ids = [model.article_id(row) for row in range(model.rowCount())]
    assert len(set(ids)) == len(ids)  # pages do not overlap


def test_columns_show_what_an_editor_reads(qtbot, sample_store):
    model = loaded(qtbot, ArticleTableModel(sample_store, ZONE))
    model.refresh()
    loaded(qtbot, model)
    row = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    assert row[0] == "4709"
    assert row[1] == "党旗飘扬筑起疫情防控“钢铁长城”"
    assert row[2] == "gsyl/lzgs"
    assert row[4] == "网络编辑"
    assert row[6] == "2022-12-13 14:46"  # shown in the site's time zone
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Title"


def test_filters_by_channel_status_and_search(qtbot, big_store):
    model = ArticleTableModel(big_store, ZONE)
    model.set_filter(ListFilter(channel_path="sport"))
    loaded(qtbot, model)
    assert model.rowCount() == 30
    model.set_filter(ListFilter(status="published"))
    loaded(qtbot, model)
    assert model.rowCount() == 30
    model.set_filter(ListFilter(search_text="体育0007"))
    loaded(qtbot, model)
    assert [model.summary(r).title for r in range(model.rowCount())] == ["体育0007"]
    model.set_filter(ListFilter(search_text="没有这样的词"))
    loaded(qtbot, model)
    assert model.rowCount() == 0


def test_sorting_by_published_time_both_ways(qtbot, big_store):
    model = ArticleTableModel(big_store, ZONE)
    model.set_filter(ListFilter(channel_path="sport"))
    loaded(qtbot, model)
    model.sort(ArticleTableModel.COLUMNS.index("published"), Qt.SortOrder.AscendingOrder)
    loaded(qtbot, model)
    titles = [model.summary(r).title for r in range(model.rowCount())]
    assert titles[0] == "体育0000" and titles[-1] == "体育0029"
    model.sort(ArticleTableModel.COLUMNS.index("published"), Qt.SortOrder.DescendingOrder)
    loaded(qtbot, model)
    assert model.summary(0).title == "体育0029"


def test_trash_shows_only_trashed_articles(qtbot, big_store):
    first = add_articles(big_store, 2, channel="misc", title="待删")
    big_store.trash_article(first[0])
    model = ArticleTableModel(big_store, ZONE)
    model.set_filter(ListFilter(trashed=True))
    loaded(qtbot, model)
    assert [model.summary(r).id for r in range(model.rowCount())] == [first[0]]
    model.set_filter(ListFilter(trashed=True, search_text="待删"))
    loaded(qtbot, model)
    assert [model.summary(r).id for r in range(model.rowCount())] == [first[0]]


def test_conflict_copies_with_a_search_show_only_the_copies(qtbot, ui_store):
    original, copy = add_articles(ui_store, 2, channel="misc", title="同名稿件")
    with ui_store.db.session(write=True) as session:  # what sync leaves: a copy naming the original
        session.execute(text("UPDATE articles SET conflict_of = (SELECT uuid FROM articles WHERE id = :o) "
                             "WHERE id = :c"), {"o": original, "c": copy})
    model = ArticleTableModel(ui_store, ZONE)
    model.set_filter(ListFilter(conflicts=True))
    loaded(qtbot, model)
    assert [model.summary(r).id for r in range(model.rowCount())] == [copy]
    model.set_filter(ListFilter(conflicts=True, search_text="同名稿件"))
    loaded(qtbot, model)
    assert [model.summary(r).id for r in range(model.rowCount())] == [copy]


def test_a_stale_result_never_replaces_the_newer_filter(qtbot, big_store):
    model = ArticleTableModel(big_store, ZONE)
    model.set_filter(ListFilter(channel_path="news/local"))
    model.set_filter(ListFilter(channel_path="sport"))  # before the first fetch came back
    qtbot.wait(300)
    loaded(qtbot, model)
    assert {model.summary(r).channel_path for r in range(model.rowCount())} == {"sport"}


def test_unsaved_title_shows_in_the_list(qtbot, sample_store):
    model = ArticleTableModel(sample_store, ZONE)
    model.refresh()
    loaded(qtbot, model)
    article_id = model.article_id(0)
    with qtbot.waitSignal(model.dataChanged):
        model.update_fields(article_id, title="新标题")
    assert model.data(model.index(0, 1)) == "新标题"


def test_a_failing_store_reports_instead_of_crashing(qtbot, ui_store):
    model = ArticleTableModel(ui_store, ZONE)
    ui_store.db.dispose()
    with qtbot.waitSignal(model.loadFailed, timeout=10_000) as blocker:
        model.set_filter(ListFilter(channel_path="no/such/channel"))
    assert "no/such/channel" in blocker.args[0]
    assert model.rowCount() == 0


def test_sorting_by_title_pages_in_the_stores_order(qtbot, big_store):
    model = ArticleTableModel(big_store, ZONE)
    model.refresh()
    loaded(qtbot, model)
    model.sort(ArticleTableModel.COLUMNS.index("title"), Qt.SortOrder.AscendingOrder)
    loaded(qtbot, model)
    while model.canFetchMore():
        model.fetchMore()
        loaded(qtbot, model)
    titles = [model.summary(r).title for r in range(model.rowCount())]
    assert len(titles) == PAGE_SIZE * 2 + 80
    assert titles == sorted(titles)
