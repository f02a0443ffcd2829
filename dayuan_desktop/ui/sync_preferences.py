"""Preferences' "Sync" tab: the newsroom's database (编辑部数据库) this workstation syncs with."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from dayuan_desktop.core.secrets import split_password
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.database_password import password_can_be_kept
from dayuan_desktop.ui.sync_target import save_sync_target, sync_target_shown

_ERROR_STYLE = "color: #b00020;"


class SyncTargetTab(QWidget):
    """One field: a PostgreSQL URL or a SQLite file; its password goes to the keyring on save."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.url_edit = QLineEdit(sync_target_shown(settings), self)
        self.url_edit.setObjectName("syncTargetEdit")
        self.url_edit.setPlaceholderText("postgresql://editor:password@server/dayuan")
        form.addRow(self.tr("Newsroom database:"), self.url_edit)
        form.addRow("", QLabel(self.tr("File → Sync with the newsroom exchanges articles and photos with this "
                                       "database (a server URL or a SQLite file). The password is kept in "
                                       "the system keyring, never in the settings file."), self, wordWrap=True))
        self._keyring_here: bool | None = None
        self.password_note = QLabel(self.tr("This computer has no keyring: the password will not be saved, "
                                            "and Dayuan Desktop will ask for it at each sync."), self)
        self.password_note.setWordWrap(True)
        self.password_note.setStyleSheet(_ERROR_STYLE)
        form.addRow("", self.password_note)
        self.url_edit.textChanged.connect(self._update_password_note)
        self._update_password_note()

    def save(self, settings: AppSettings) -> bool:
        """Keep the URL without its password in ``settings``, the password in the keyring."""
        return save_sync_target(settings, self.url_edit.text())

    def _update_password_note(self) -> None:
        typed_password = bool(split_password(self.url_edit.text().strip())[1])
        if typed_password and self._keyring_here is None:  # asked once: keyring loads its backends
            self._keyring_here = password_can_be_kept()
        self.password_note.setVisible(typed_password and not self._keyring_here)
