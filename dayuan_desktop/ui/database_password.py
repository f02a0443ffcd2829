"""The server database's password: in the OS keyring, never in ``window.ini``.

Preferences keeps the PostgreSQL URL without its password in the settings file and hands the
password to the keyring (:mod:`dayuan_desktop.core.secrets`). A settings file written by an
older version, still holding a password, is migrated when it is read: the password moves to
the keyring and the file is rewritten without it, readable by its owner only. A machine
without a keyring keeps no password at all: the file says only that the URL needs one, and
the window asks for it at start (``--db``/``DAYUAN_DB`` may carry it instead).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from dayuan_desktop.core.logs import log
from dayuan_desktop.core.secrets import (
    KeyringUnavailable,
    keyring_available,
    load_password,
    remember_secret,
    save_password,
    split_password,
    with_password,
)
from dayuan_desktop.ui.app_settings import AppSettings

_PASSWORD_EXPECTED = "database/password_in_keyring"  # "true": the URL has a password, kept apart


@dataclass(frozen=True)
class StoredDatabase:
    """The database Preferences chose, ready to connect: ``target`` carries the keyring's
    password; ``password_missing`` says a password belongs to it that no keyring could give."""

    target: str
    password_missing: bool = False
    note: str = ""  # what the migration did, for the log and the window ("" when nothing)


def save_database_target(settings: AppSettings, target: str) -> bool:
    """Store ``target`` in ``settings`` without its password, the password in the keyring.

    Returns False when a password was given but no keyring could keep it (it is then kept
    nowhere, and the window will ask for it at start). The settings are not synced here.
    """
    bare, password = split_password(target.strip())
    if not password and bare == settings.database:  # shown without its password, not retyped: keep it
        return True
    settings.database = bare
    settings.qsettings.setValue(_PASSWORD_EXPECTED, "true" if password else "false")
    return keep_in_keyring(bare, password, "database")


def keep_in_keyring(bare: str, password: str, what: str) -> bool:
    """Keep ``password`` for the URL ``bare`` in the OS keyring (nothing to keep: True).

    False when no keyring could keep it: it is then kept nowhere (never in a file).
    """
    if not password:
        return True
    remember_secret(password)
    try:
        save_password(bare, password)
    except KeyringUnavailable as exc:
        log.warning("%s password not saved: %s", what, exc)
        return False
    return True


def with_kept_password(settings: AppSettings, target: str) -> str:
    """``target`` as typed, or, when it is the stored server URL typed without its password,
    with the password the keyring keeps (for "Test connection")."""
    if split_password(target)[1] or target.strip() != settings.database:
        return target
    return load_database_target(settings).target


def password_can_be_kept() -> bool:
    """Whether this machine has a keyring for the database password."""
    try:
        return keyring_available()
    except Exception:  # a broken keyring package: treat as none  # noqa: BLE001
        return False


def load_database_target(settings: AppSettings) -> StoredDatabase:
    """The database from the settings, with its password from the keyring; migrates an old file first."""
    note, migrated = migrate_password_out_of_file(settings)
    bare = settings.database
    if not bare or "://" not in bare:
        return StoredDatabase(bare, note=note)
    expected = settings.qsettings.value(_PASSWORD_EXPECTED, "false") in ("true", True)
    password = (load_password(bare) if expected else "") or migrated  # no keyring: this start still connects
    return StoredDatabase(with_password(bare, password), password_missing=expected and not password, note=note)


def migrate_password_out_of_file(settings: AppSettings) -> tuple[str, str]:
    """Move a password found in the settings file to the keyring and rewrite the file without
    it (owner-only). Returns what was done, one line ("" when the file held no password), and
    the password (for this start only)."""
    stored = settings.database
    _bare, password = split_password(stored)
    if not password:
        return "", ""
    kept = save_database_target(settings, stored)
    settings.save()
    restrict_to_owner(Path(settings.file_name()))
    note = ("the database password was moved from the settings file to the keyring" if kept else
            "the database password was removed from the settings file (no keyring on this computer); "
            "it will be asked for at start")
    log.info("%s", note)
    return note, password


def ask_for_missing_password(settings: AppSettings, target: str, parent=None) -> str:
    """``target`` with the password typed in a dialog, when Preferences' server needs one that no
    keyring keeps; otherwise ``target`` as it is (also when the dialog is cancelled)."""
    stored = load_database_target(settings)
    if not stored.password_missing or split_password(target)[0] != settings.database:
        return target
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    title = QCoreApplication.translate("DatabasePassword", "Database password")
    prompt = QCoreApplication.translate(
        "DatabasePassword", "This computer has no keyring to keep the password in.\nPassword for {url}:")
    password, ok = QInputDialog.getText(parent, title, prompt.format(url=settings.database),
                                        QLineEdit.EchoMode.Password)
    if not ok or not password:
        return target
    remember_secret(password)
    return with_password(settings.database, password)


def restrict_to_owner(path: Path) -> None:
    """Make the settings file readable and writable by its owner only (no effect on Windows)."""
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
