"""Preferences → 发布: the saved publishing targets, added and removed at once.

Addresses go to ``window.ini`` without any password. A password typed here goes to the OS
keyring in a background job (loading ``keyring`` and its backends takes up to a second);
on a machine without a keyring the page says so, and the publish dialog asks each time.
Removing a target forgets its keyring password too.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.jobs import BackgroundJob, run_job
from dayuan_desktop.ui.publishing.saved_targets import SavedTarget, load_targets, remove_target
from dayuan_desktop.ui.publishing.target_dialog import TargetDialog


def _keep(saved: SavedTarget, password: str) -> bool:
    """Keep ``password`` in the keyring; False when this machine has none (runs on a pool thread)."""
    from dayuan_desktop.core.publishing.credentials import keep_password
    from dayuan_desktop.core.secrets import KeyringUnavailable

    try:
        keep_password(saved.target, password)
    except KeyringUnavailable:
        return False
    return True


def _forget(saved: SavedTarget) -> None:
    from dayuan_desktop.core.secrets import PUBLISH_KEYRING_SERVICE, delete_password

    delete_password(saved.target.key, PUBLISH_KEYRING_SERVICE)


class TargetsPage(QWidget):
    """The list of saved targets with Add… and Remove. ``job`` is the keyring job running, if any."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.job: BackgroundJob | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Servers the site is published to (File → Publish to the web server):")))
        self.list = QListWidget()
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add…"))
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        self._saved = load_targets(self._settings)
        self.list.addItems([saved.address for saved in self._saved])
        self.remove_button.setEnabled(bool(self._saved))

    def add(self) -> None:
        """Ask for a target, save it, and send its password (if any) to the keyring."""
        dialog = TargetDialog(self._settings, self)
        if dialog.exec() and dialog.saved is not None:
            self.target_added(dialog.saved, dialog.password)

    def target_added(self, saved: SavedTarget, password: str) -> None:
        """Show the new target; keep its password in the keyring off the UI thread."""
        self._fill()
        if password:
            self.note.setText(self.tr("Saving the password in the keyring…"))
            self.job = run_job(lambda _context: _keep(saved, password), name="keep publishing password",
                               parent=self, on_success=self._kept, on_failure=self._keyring_failed)

    def remove(self) -> None:
        """Forget the selected target and its keyring password."""
        row = self.list.currentRow()
        if not 0 <= row < len(self._saved):
            return
        saved = self._saved[row]
        remove_target(self._settings, saved.address)
        self._fill()
        self.job = run_job(lambda _context: _forget(saved), name="forget publishing password", parent=self,
                           on_success=lambda _result: self._done(), on_failure=self._keyring_failed)

    def _kept(self, kept: bool) -> None:
        self._done()
        self.note.setText(self.tr("The password is kept in the system keyring.") if kept else self.tr(
            "This computer has no keyring (such as Secret Service or Windows Credential Locker): the password "
            "was not saved and is asked for at each publish."))

    def _keyring_failed(self, error: BaseException) -> None:
        from dayuan_desktop.core.secrets import mask_secrets

        self._done()
        self.note.setText(mask_secrets(error))

    def _done(self) -> None:
        self.job = None
