"""First run: the welcome (where the data is, how to export), in the user's language, once;
the log folder from the Help menu; errors in the window reach the support log."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from dayuan_desktop.core import logs
from dayuan_desktop.core.config import load_settings
from dayuan_desktop.ui import i18n
from dayuan_desktop.ui.app import create_application, create_main_window, dispose_window, ui_settings
from tests.ui.conftest import url_catcher


def start_window(qtbot, settings, database: str):
    """The real window as ``dayuan-desktop`` starts it, once its first article is open."""
    create_application()
    window = create_main_window(settings, database)
    with qtbot.waitSignal(window.articleOpened, timeout=20_000):
        pass
    return window


def close_window(window) -> None:
    store = window.store
    window.close()
    dispose_window(window)
    if store is not None:
        store.db.dispose()


def test_first_run_welcome_says_where_the_data_is_and_how_to_export(open_window, tmp_path):
    window = open_window
    assert window.welcome.isVisible()
    text = window.welcome.text()
    assert str(tmp_path / "window.sqlite3") in text  # the database file the articles are in
    assert "File → Export site… (Ctrl+E)" in text
    assert "sample article 4709 is open" in text
    assert "Help → About" in text  # where the data and log folders are named
    assert len(text.splitlines()) == 2  # each line of the banner is taken from the editor's height
    assert QApplication.activeModalWidget() is None  # a banner in the window, nothing to click away first


def test_dismissed_welcome_stays_away_and_a_second_start_has_none(qtbot, tmp_path):
    settings = load_settings(tmp_path / "home")
    database = str(tmp_path / "news.sqlite3")
    first = start_window(qtbot, settings, database)
    try:
        assert first.welcome.isVisible()
        qtbot.mouseClick(first.welcome.dismiss_button, Qt.MouseButton.LeftButton)
        assert not first.welcome.isVisible()
    finally:
        close_window(first)
    second = start_window(qtbot, settings, database)
    try:
        assert second.editor.form.title.text()  # the last article is open again
        assert not second.welcome.isVisible()
    finally:
        close_window(second)


def test_not_dismissed_it_still_shows_only_once(qtbot, tmp_path):
    settings = load_settings(tmp_path / "home")
    database = str(tmp_path / "news.sqlite3")
    first = start_window(qtbot, settings, database)
    assert first.welcome.isVisible()
    close_window(first)
    second = start_window(qtbot, settings, database)
    try:
        assert not second.welcome.isVisible()
    finally:
        close_window(second)


def test_the_welcome_speaks_chinese_in_the_chinese_window(qtbot, tmp_path):
    settings = load_settings(tmp_path / "home")
    settings.data_dir.mkdir(parents=True)
    ui_settings(settings).setValue("ui/language", "zh_CN")
    try:
        window = start_window(qtbot, settings, str(tmp_path / "news.sqlite3"))
        try:
            text = window.welcome.text()
            assert text.startswith("欢迎使用大院编辑台。示例文章 4709 已打开")
            assert "文件 → 导出网站…" in text and "Ctrl+E" in text and "帮助 → 关于大院编辑台" in text
            assert str(tmp_path / "news.sqlite3") in text
            assert window.welcome.dismiss_button.text() == "知道了"
            assert window.windowTitle() == "大院编辑台"
        finally:
            close_window(window)
    finally:
        i18n.install_translator(QApplication.instance(), "en")


def test_help_opens_the_log_folder_and_about_names_it(open_window):
    window = open_window
    assert window.log_folder_action in window.help_menu.actions()
    catcher = url_catcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        window.log_folder_action.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert catcher.urls == [QUrl.fromLocalFile(str(window.settings.log_dir))]
    assert window.settings.log_dir.is_dir()
    about = window.about_text()
    assert f"Log folder: {window.settings.log_dir}" in about
    assert f"Data folder: {window.settings.data_dir}" in about


@pytest.mark.qt_no_exception_capture  # the exception must reach sys.excepthook as in the real app
def test_an_error_in_the_window_reaches_the_log(qtbot, qapp, tmp_path):
    path = logs.configure_logging(tmp_path / "logs")
    try:
        def broken_slot():
            raise RuntimeError("a slot failed")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: "a slot failed" in path.read_text(encoding="utf-8"), timeout=5_000)
        text = path.read_text(encoding="utf-8")
        assert "uncaught exception" in text and "in broken_slot" in text
    finally:
        logs.stop_logging()


def _smoke(tmp_path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    environment.pop("DAYUAN_DATA_DIR", None)
    result = subprocess.run([sys.executable, "-m", "dayuan_desktop", "--data-dir", str(tmp_path / "home"), *args,
                             "--smoke-test"], capture_output=True, text=True, timeout=300, env=environment)
    return result, json.loads(result.stdout.strip().splitlines()[-1])


def test_smoke_test_option_reports_the_open_sample_and_exits(tmp_path):
    result, report = _smoke(tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert report["ok"] and not report["frozen"]
    assert report["article"]["number"] == 4709
    assert report["preview_title"].startswith("党旗飘扬筑起疫情防控“钢铁长城”")
    assert report["preview_stylesheets"] == [True]
    assert report["welcome"]["visible"]


def test_smoke_test_option_fails_fast_when_the_database_cannot_open(tmp_path):
    (tmp_path / "folder.sqlite3").mkdir()  # a folder where the database file should be
    result, report = _smoke(tmp_path, "--db", str(tmp_path / "folder.sqlite3"))
    assert result.returncode == 1
    assert report == {"ok": False, "reason": report["reason"]}
    assert report["reason"].startswith("the database could not be opened")
