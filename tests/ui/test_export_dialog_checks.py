"""Exporting a selection from the window shows each chosen article's pre-publish findings, by number."""

from __future__ import annotations

from dayuan_desktop.core.sample import load_sample
from tests.ui.test_export_dialog import app_settings, make_dialog, run_export, sqlite_store  # noqa: F401 - fixtures


def test_the_dialog_lists_the_findings_of_the_chosen_articles(qtbot, sqlite_store, app_settings, tmp_path):  # noqa: F811
    load_sample(sqlite_store)
    article = sqlite_store.find_article("4709")
    sqlite_store.update_article(article.id, {"summary": ""}, expected_version=article.version)
    dialog = make_dialog(qtbot, sqlite_store, app_settings, selected=[4709])
    qtbot.waitUntil(lambda: dialog._published is not None)  # it has found out which are published
    dialog.folder_edit.setText(str(tmp_path / "site"))
    run_export(qtbot, dialog)
    assert dialog.report.checks == ["#4709: 提醒：没有摘要：列表页和搜索结果将不显示内容提要"]
    assert dialog.details.isVisibleTo(dialog)
    assert "#4709: 提醒：没有摘要：列表页和搜索结果将不显示内容提要" in dialog.details.toPlainText().splitlines()
