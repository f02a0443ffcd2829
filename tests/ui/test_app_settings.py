"""Workstation settings: typed values that persist in the INI file and survive damaged entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from dayuan_desktop.ui.app_settings import AppSettings, SettingsNotSaved


def test_values_persist_in_the_ini_file(tmp_path):
    path = tmp_path / "settings.ini"
    settings = AppSettings.from_file(path)
    settings.export_folder = tmp_path / "站点"
    settings.database = "postgresql://editor@newsroom/dayuan"
    settings.language = "zh_CN"
    settings.preview_phone_width = True
    settings.save()

    text = path.read_text(encoding="utf-8")
    assert "newsroom" in text and "zh_CN" in text
    again = AppSettings.from_file(path)
    assert again.export_folder == tmp_path / "站点"
    assert again.database == "postgresql://editor@newsroom/dayuan" and again.database_is_server
    assert again.language == "zh_CN"
    assert again.preview_phone_width is True


def test_defaults_when_nothing_is_stored(tmp_path):
    settings = AppSettings.from_file(tmp_path / "none.ini")
    assert settings.export_folder is None
    assert settings.database == "" and not settings.database_is_server
    assert settings.language == "auto"
    assert settings.preview_phone_width is False


def test_hand_damaged_values_fall_back_to_the_defaults(tmp_path):
    path = tmp_path / "damaged.ini"
    path.write_text(
        "[ui]\nlanguage=klingon\n[preview]\nphone=perhaps\n[export]\nfolder=a, b\n", encoding="utf-8"
    )
    settings = AppSettings.from_file(path)
    assert settings.language == "auto"
    assert settings.preview_phone_width is False
    assert settings.export_folder is None  # INI reads "a, b" as a list, not a folder


def test_an_unknown_language_is_refused_and_nothing_changes(tmp_path):
    settings = AppSettings.from_file(tmp_path / "s.ini")
    settings.language = "en"
    with pytest.raises(ValueError, match="language"):
        settings.language = "fr"
    assert settings.language == "en"


def test_clearing_the_export_folder_and_database(tmp_path):
    settings = AppSettings.from_file(tmp_path / "s.ini")
    settings.export_folder = tmp_path
    settings.database = "  /data/news.sqlite3  "
    assert settings.database == "/data/news.sqlite3"
    settings.export_folder = None
    settings.database = ""
    assert settings.export_folder is None and settings.database == ""


def test_a_settings_file_that_cannot_be_written_is_reported(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the settings folder should be")
    settings = AppSettings.from_file(blocker / "settings.ini")
    settings.language = "en"
    with pytest.raises(SettingsNotSaved, match="cannot write"):
        settings.save()
    assert settings.language == "en"  # still known to this run


def test_organisation_and_application_names_are_injectable():
    settings = AppSettings(organization="DayuanTest", application="PreferencesTest")
    assert "DayuanTest" in settings.file_name() and Path(settings.file_name()).name.startswith("PreferencesTest")
