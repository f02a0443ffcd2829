"""The user's name, asked once at first start (default: the login name) and kept in the settings.

Colleagues see it in revisions and beside the articles this user is editing, so a login
such as ``zhangs`` can become ``张三``. Tests and the command line never ask.
"""

from __future__ import annotations

import contextlib

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from dayuan_desktop.ui.app_settings import USER_NAME_MAX, AppSettings


class UserNameDialog(QDialog):
    """A one-field dialog: "Your name, as colleagues will see it"."""

    def __init__(self, default: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Your name"))
        self.field = QLineEdit(default, self)
        self.field.setMaxLength(USER_NAME_MAX)
        self.field.selectAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.field.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        explanation = QLabel(self.tr("Your name, as colleagues will see it in revisions and beside the "
                                     "articles you are editing:"), self)
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        layout.addWidget(self.field)
        layout.addWidget(buttons)

    def name(self) -> str:
        """The name typed, spaces tidied."""
        return " ".join(self.field.text().split())


def ask_user_name_once(settings: AppSettings, default: str, parent: QWidget | None = None) -> str:
    """The stored name; on the first start, ask for it (closing the dialog keeps ``default``) and store it."""
    stored = settings.user_name
    if stored:
        return stored
    dialog = UserNameDialog(default, parent)
    name = dialog.name() if dialog.exec() else ""
    settings.user_name = name or default
    with contextlib.suppress(OSError):  # not saved: asked again next time; used for this run anyway
        settings.save()
    return settings.user_name
