"""Preferences: site texts reach the database and the pages, bad input is refused beside its field,
workstation settings persist, and "Test connection" talks to a real PostgreSQL server."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtWidgets import QDialog

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.render import PortalRenderer
from dayuan_desktop.core.sample import load_sample
from dayuan_desktop.core.site import (
    SiteSettings,
    base_url_problem,
    load_site_settings,
    rendition_size_problem,
)
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.preferences import PreferencesDialog, server_url_problem


@pytest.fixture
def ini(tmp_path):
    return tmp_path / "settings.ini"


@pytest.fixture
def sqlite_database(tmp_path):
    database = open_database(tmp_path / "newsroom.sqlite3", backup_dir=tmp_path / "backups")
    yield database
    database.dispose()


def make_dialog(qtbot, database, ini) -> PreferencesDialog:
    dialog = PreferencesDialog(AppSettings.from_file(ini), database)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_new_site_name_is_stored_and_shows_on_the_rendered_page(qtbot, store, ini):
    load_sample(store)
    dialog = make_dialog(qtbot, store.db, ini)
    assert dialog.site_name_edit.text() == SiteSettings().site_name
    dialog.site_name_edit.setText("  晋城新闻网  ")
    dialog.copyright_lines_edit.setPlainText("第一行。\n\n第二行。\n")
    with qtbot.waitSignal(dialog.site_settings_saved) as saved:
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = load_site_settings(store.db)
    assert saved.args[0] == stored
    assert stored.site_name == "晋城新闻网" and stored.copyright_lines == ("第一行。", "第二行。")
    assert stored.base_url == SiteSettings().base_url  # untouched fields keep their values
    page = PortalRenderer(stored).article_page(store.find_article("4709"))
    assert "<title>党旗飘扬筑起疫情防控“钢铁长城” - 晋城新闻网</title>" in page
    assert "第一行。<br>第二行。<br>" in page
    assert not dialog.restart_required


def test_an_empty_site_name_is_refused_beside_the_field_and_nothing_is_saved(qtbot, sqlite_database, ini):
    dialog = make_dialog(qtbot, sqlite_database, ini)
    dialog.tabs.setCurrentIndex(3)
    dialog.site_name_edit.setText("   ")
    assert dialog.error_text("site_name") == "The site name cannot be empty."  # shown while typing
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.tabs.currentIndex() == 0  # taken to the field
    assert dialog.message_label.text() == "Please correct the marked fields."
    assert load_site_settings(sqlite_database) == SiteSettings()
    assert not ini.exists()
    dialog.site_name_edit.setText("大院网")
    assert dialog.error_text("site_name") == ""


@pytest.mark.parametrize("url", ["www.shanxidayuan.com", "ftp://example.com", "http://exa mple.com",
                                 "http://", "https://example.com/?a=1"])
def test_a_bad_base_url_is_refused(qtbot, sqlite_database, ini, url):
    dialog = make_dialog(qtbot, sqlite_database, ini)
    dialog.base_url_edit.setText(url)
    assert dialog.error_text("base_url").startswith("Enter the site's address starting with http://")
    dialog.accept()
    assert dialog.isVisible() and load_site_settings(sqlite_database).base_url == SiteSettings().base_url


@pytest.mark.parametrize("size", ["100", "5000", "abc", "12.5", ""])
def test_a_rendition_size_out_of_range_or_not_a_number_is_refused(qtbot, sqlite_database, ini, size):
    dialog = make_dialog(qtbot, sqlite_database, ini)
    dialog.rendition_size_edit.setText(size)
    assert dialog.error_text("rendition_size") == "Enter a whole number from 320 to 4000."
    dialog.accept()
    assert dialog.isVisible() and load_site_settings(sqlite_database).rendition_width == 1200


def test_a_new_rendition_size_changes_the_photo_the_page_refers_to(qtbot, store, ini):
    load_sample(store)
    dialog = make_dialog(qtbot, store.db, ini)
    dialog.rendition_size_edit.setText("640")
    dialog.accept()
    assert load_site_settings(store.db).rendition_width == 640
    page = PortalRenderer(load_site_settings(store.db)).article_page(store.find_article("4709"))
    assert "-640.jpg" in page


def test_workstation_settings_persist_in_the_ini_file(qtbot, sqlite_database, ini, tmp_path):
    dialog = make_dialog(qtbot, sqlite_database, ini)
    dialog.export_folder_edit.setText(str(tmp_path / "site"))
    dialog.server_radio.click()
    dialog.server_url_edit.setText("postgresql://editor@newsroom-server/dayuan")
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.restart_required
    again = AppSettings.from_file(ini)
    assert again.export_folder == tmp_path / "site"
    assert again.database == "postgresql://editor@newsroom-server/dayuan" and again.language == "zh_CN"

    reopened = make_dialog(qtbot, sqlite_database, ini)
    assert reopened.server_radio.isChecked() and reopened.server_url_edit.text().endswith("/dayuan")
    assert reopened.language_combo.currentText() == "简体中文"
    reopened.sqlite_radio.click()
    reopened.sqlite_path_edit.setText(str(tmp_path / "local.sqlite3"))
    reopened.accept()
    assert AppSettings.from_file(ini).database == str(tmp_path / "local.sqlite3")


def test_a_folder_given_as_database_file_and_a_file_as_export_folder_are_refused(qtbot, sqlite_database, ini, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    dialog = make_dialog(qtbot, sqlite_database, ini)
    dialog.sqlite_path_edit.setText(str(tmp_path))
    dialog.export_folder_edit.setText(str(a_file))
    assert dialog.validate().keys() == {"sqlite_path", "export_folder"}
    assert dialog.error_text("sqlite_path") == "This is a folder; enter the database file's name."
    assert dialog.error_text("export_folder") == "This is a file, not a folder."


def test_settings_that_cannot_be_written_keep_the_dialog_open(qtbot, sqlite_database, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    dialog = make_dialog(qtbot, sqlite_database, blocker / "settings.ini")
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.message_label.text().startswith("Your settings could not be saved: cannot write the settings file")


def test_a_database_that_refuses_the_site_settings_keeps_the_dialog_open(qtbot, tmp_path, ini):
    empty = open_database(tmp_path / "not-set-up.sqlite3", upgrade=False)  # no tables: every write fails
    try:
        dialog = PreferencesDialog(AppSettings.from_file(ini), empty, site_settings=SiteSettings())
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.site_name_edit.setText("新站名")
        dialog.accept()
        assert dialog.isVisible()
        assert dialog.message_label.text().startswith("The site settings could not be saved:")
        assert "app_meta" in dialog.message_label.text() and "\n" not in dialog.message_label.text()
        assert dialog.site_name_edit.text() == "新站名"  # what was typed is still there
    finally:
        empty.dispose()


# -- test connection ---------------------------------------------------------------------------
def connection_result(qtbot, dialog: PreferencesDialog) -> str:
    dialog.test_connection_button.click()
    qtbot.waitUntil(lambda: dialog.test_connection_button.isEnabled(), timeout=30_000)
    return dialog.connection_label.text()


@pytest.mark.postgres
def test_test_connection_reaches_the_real_server(qtbot, sqlite_database, ini, postgres_url):
    dialog = make_dialog(qtbot, sqlite_database, ini)
    dialog.server_radio.click()
    dialog.server_url_edit.setText(postgres_url)
    text = connection_result(qtbot, dialog)
    assert text.startswith("Connected to PostgreSQL 1"), text
    assert "The database is empty" in text and dialog.connection_label.property("ok") is True
    assert not AppSettings.from_file(ini).database  # testing is not switching


def test_test_connection_to_a_server_that_is_not_there_says_why_in_one_line(qtbot, sqlite_database, ini):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dialog = make_dialog(qtbot, sqlite_database, ini)
    dialog.server_radio.click()
    dialog.server_url_edit.setText(f"postgresql://editor@127.0.0.1:{port}/dayuan")
    text = connection_result(qtbot, dialog)
    assert text.startswith("Connection failed: Cannot open") and "\n" not in text, text
    assert dialog.connection_label.property("ok") is False


def test_a_malformed_server_url_is_marked_and_not_tried(qtbot, sqlite_database, ini):
    dialog = make_dialog(qtbot, sqlite_database, ini)
    dialog.server_radio.click()
    dialog.server_url_edit.setText("postgresql://")
    dialog.test_connection_button.click()
    assert dialog.connection_label.text() == "Correct the URL first."
    assert dialog.error_text("server_url").startswith("Enter a PostgreSQL URL")
    dialog.sqlite_radio.click()  # the URL no longer matters
    assert dialog.error_text("server_url") == ""


def test_the_plain_checks():
    assert base_url_problem("https://www.shanxidayuan.com/") == ""
    assert base_url_problem("http://localhost:8000/site") == ""
    assert server_url_problem("postgresql+psycopg://u:p@h:5432/d") == ""
    assert server_url_problem("mysql://u@h/d") == "not postgresql"
    assert server_url_problem("postgresql://h") == "incomplete"
    assert rendition_size_problem(" 1200 ") == ""
    assert rendition_size_problem("320") == "" and rendition_size_problem("4000") == ""
    assert rendition_size_problem("319") == "out of range"
