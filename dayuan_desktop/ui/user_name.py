"""The user's name, asked once at first start (default: the login name) and kept in the settings.

Colleagues see it in revisions and beside the articles this user is editing, so a login
such as ``zhangs`` can become ``张三``. Tests and the command line never ask; the
window opens its database while the question is on screen, and the name applies from the answer on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

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


def ask_user_name_once(
    settings: AppSettings, default: str, parent: QWidget | None = None, on_name: Callable[[str], None] | None = None
) -> UserNameDialog | None:
    """On the first start, ask for the name over the window, without blocking it (the database
    opens meanwhile); the answer (closing keeps ``default``) is stored and handed to ``on_name``.

    Returns the dialog shown, or None when a name is already stored (nothing is asked).
    """
    if settings.user_name:
        return None
    dialog = UserNameDialog(default, parent)

    def answered(result: int) -> None:
        name = dialog.name() if result == QDialog.DialogCode.Accepted else ""
        settings.user_name = name or default
        with contextlib.suppress(OSError):  # not saved: asked again next time; used for this run anyway
            settings.save()
        if on_name is not None:
            on_name(settings.user_name)

    dialog.finished.connect(answered)
    dialog.open()  # window-modal, and returns at once
    return dialog
