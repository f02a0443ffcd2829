"""Adding a publishing target: its address, an optional SSH key file, and a password.

The address is checked here (one line when it cannot be a target) and saved without any
password; a password typed is handed back to the publish dialog, which uses it for the next
run and keeps it in the keyring once the server accepted it (a wrong password is never kept).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from dayuan_desktop.core.publishing.targets import PublishError
from dayuan_desktop.core.secrets import mask_secrets
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.publishing.saved_targets import SavedTarget, add_target


class TargetDialog(QDialog):
    """Asks for a new target; after ``exec()`` returns Accepted, ``saved`` and ``password`` are set."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.saved: SavedTarget | None = None
        self.password = ""
        self.setWindowTitle(self.tr("Add a publishing target"))
        form = QFormLayout(self)
        self.address = QLineEdit()
        self.address.setPlaceholderText("sftp://user@host/var/www  ·  ftps://user@host/  ·  /mnt/portal")
        self.address.setMinimumWidth(420)
        form.addRow(self.tr("Address:"), self.address)
        self.identity = QLineEdit()
        self.identity.setPlaceholderText(self.tr("optional: an SSH private key file"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_identity)
        row = QHBoxLayout()
        row.addWidget(self.identity, 1)
        row.addWidget(browse)
        form.addRow(self.tr("SSH key:"), row)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Password:"), self.password_edit)
        note = QLabel(self.tr("The password is kept in the system keyring, never in a settings file. "
                              "Without a keyring it is asked for at each publish."))
        note.setWordWrap(True)
        form.addRow(note)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _choose_identity(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("SSH private key"))
        if name:
            self.identity.setText(name)

    def accept(self) -> None:
        """Save the target (without password) or say in one line why it cannot be one."""
        try:
            self.saved, in_address = add_target(self._settings, self.address.text(), self.identity.text())
        except (PublishError, OSError) as exc:
            self.error.setText(mask_secrets(exc))
            self.error.show()
            return
        self.password = self.password_edit.text() or in_address
        super().accept()
