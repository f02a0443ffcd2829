"""The newsroom's database to sync with, kept in Preferences: its URL in ``window.ini``, its password
in the OS keyring (as the database's own password, :mod:`dayuan_desktop.ui.database_password`).

A machine without a keyring keeps no password: the window asks for it at each sync.
"""

from __future__ import annotations

from dayuan_desktop.core.secrets import (
    load_password,
    remember_secret,
    split_password,
    with_password,
)
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.database_password import StoredDatabase, keep_in_keyring

_TARGET = "sync/target"
_PASSWORD_EXPECTED = "sync/password_in_keyring"  # "true": the URL has a password, kept apart


def sync_target_shown(settings: AppSettings) -> str:
    """The sync target as Preferences shows it: the URL without password, or a file path ("" when none)."""
    value = settings.qsettings.value(_TARGET, "")
    return value if isinstance(value, str) else ""


def save_sync_target(settings: AppSettings, target: str) -> bool:
    """Store ``target`` without its password, the password in the keyring (settings not synced here).

    Returns False when a password was given but no keyring could keep it (then kept nowhere).
    """
    bare, password = split_password(target.strip())
    if not password and bare == sync_target_shown(settings):  # shown without its password, not retyped
        return True
    settings.qsettings.setValue(_TARGET, bare)
    settings.qsettings.setValue(_PASSWORD_EXPECTED, "true" if password else "false")
    return keep_in_keyring(bare, password, "sync")


def load_sync_target(settings: AppSettings) -> StoredDatabase:
    """The sync target with its password from the keyring; ``password_missing`` when none could be had."""
    bare = sync_target_shown(settings)
    if "://" not in bare:
        return StoredDatabase(bare)
    expected = settings.qsettings.value(_PASSWORD_EXPECTED, "false") in ("true", True)
    password = load_password(bare) if expected else ""
    return StoredDatabase(with_password(bare, password), password_missing=expected and not password)


def ask_sync_password(bare: str, parent=None) -> str | None:
    """The URL with a password typed now (no keyring keeps it), or None when the dialog is cancelled."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    title = QCoreApplication.translate("SyncTarget", "Newsroom database password")
    prompt = QCoreApplication.translate(
        "SyncTarget", "This computer has no keyring to keep the password in.\nPassword for {url}:")
    password, ok = QInputDialog.getText(parent, title, prompt.format(url=bare), QLineEdit.EchoMode.Password)
    if not ok or not password:
        return None
    remember_secret(password)
    return with_password(bare, password)
