"""Issue 15 item 8: the PostgreSQL password lives in the keyring, never in window.ini.

Preferences saves the URL without its password; an old window.ini holding one is migrated
when it is read; a machine without a keyring keeps the password nowhere and says so.
"""

from __future__ import annotations

import stat

import pytest

from dayuan_desktop.core.config import load_settings
from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.secrets import KEYRING_SERVICE
from dayuan_desktop.ui.app import chosen_database, ui_settings
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.database_password import load_database_target, with_kept_password
from dayuan_desktop.ui.preferences import PreferencesDialog
from tests.keyrings import MemoryKeyring, no_keyring, using_keyring

BARE = "postgresql://editor@newsroom-server/dayuan"
PASSWORD = "se/cr et@2"
TYPED = "postgresql://editor:se/cr et@2@newsroom-server/dayuan"


@pytest.fixture
def memory_keyring():
    with using_keyring(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture
def sqlite_database(tmp_path):
    database = open_database(tmp_path / "newsroom.sqlite3", backup_dir=tmp_path / "backups")
    yield database
    database.dispose()


@pytest.fixture
def window_ini():
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings, settings.data_dir / "window.ini"


def _save_in_preferences(qtbot, database, ini_path, url: str) -> PreferencesDialog:
    dialog = PreferencesDialog(AppSettings.from_file(ini_path), database)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server_radio.click()
    dialog.server_url_edit.setText(url)
    dialog.accept()
    return dialog


def _file_holds_password(path) -> bool:
    text = path.read_bytes().decode("utf-8", "replace")
    return any(form in text for form in ("se/cr", "cr et", "se%2Fcr", "hunter22"))


def test_preferences_keeps_the_password_in_the_keyring_and_the_file_without_it(
        qtbot, sqlite_database, window_ini, memory_keyring):
    settings, ini = window_ini
    dialog = _save_in_preferences(qtbot, sqlite_database, ini, TYPED)
    assert dialog.restart_required
    assert not _file_holds_password(ini)
    assert stat.S_IMODE(ini.stat().st_mode) == 0o600
    assert memory_keyring.kept == {(KEYRING_SERVICE, BARE): PASSWORD}
    assert chosen_database(settings) == "postgresql://editor:se%2Fcr%20et%402@newsroom-server/dayuan"

    reopened = PreferencesDialog(AppSettings.from_file(ini), sqlite_database)
    qtbot.addWidget(reopened)
    assert reopened.server_url_edit.text() == BARE  # shown without its password…
    assert with_kept_password(reopened._settings, BARE).endswith(":se%2Fcr%20et%402@newsroom-server/dayuan")
    reopened.accept()  # …and saving it unchanged keeps the password
    assert memory_keyring.kept == {(KEYRING_SERVICE, BARE): PASSWORD}
    assert load_database_target(AppSettings.from_file(ini)).password_missing is False


def test_without_a_keyring_the_dialog_says_so_and_no_password_is_saved(qtbot, sqlite_database, window_ini):
    settings, ini = window_ini
    with no_keyring():
        dialog = PreferencesDialog(AppSettings.from_file(ini), sqlite_database)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.tabs.setCurrentIndex(2)  # the database tab
        dialog.server_radio.click()
        dialog.server_url_edit.setText(BARE)
        assert not dialog.password_note.isVisible()
        dialog.server_url_edit.setText(TYPED)
        assert dialog.password_note.isVisible() and "keyring" in dialog.password_note.text()
        dialog.accept()
        assert not _file_holds_password(ini)
        stored = load_database_target(AppSettings.from_file(ini))
        assert stored.target == BARE and stored.password_missing  # the window asks at start


@pytest.mark.parametrize("keyring_here", [True, False])
def test_an_old_window_ini_holding_a_password_is_migrated_when_read(window_ini, keyring_here):
    settings, ini = window_ini
    old = AppSettings.from_file(ini)
    old.database = "postgresql://editor:hunter22@newsroom-server/dayuan?sslmode=require"
    old.save()
    ini.chmod(0o644)
    assert _file_holds_password(ini)
    backend = MemoryKeyring()
    with using_keyring(backend) if keyring_here else no_keyring():
        target = chosen_database(settings)
        assert target == "postgresql://editor:hunter22@newsroom-server/dayuan?sslmode=require"  # this start connects
        assert not _file_holds_password(ini)
        assert stat.S_IMODE(ini.stat().st_mode) == 0o600
        again = load_database_target(AppSettings(ui_settings(settings)))
        assert again.password_missing is not keyring_here
    if keyring_here:
        assert backend.kept == {(KEYRING_SERVICE, "postgresql://editor@newsroom-server/dayuan?sslmode=require"):
                                "hunter22"}
