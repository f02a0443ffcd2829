"""The list panel around the model."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dayuan_desktop.ui.article_list.panel import ArticleListPanel


def test_a_new_panel_lists_the_most_recently_updated_first(qtbot, sample_store):
    panel = ArticleListPanel(sample_store, ZoneInfo("Asia/Shanghai"))
    qtbot.addWidget(panel)
    assert panel.model.COLUMNS[panel.model.sort_column] == "updated"
    header = panel.table.horizontalHeader()
    assert panel.model.COLUMNS[header.sortIndicatorSection()] == "updated"
