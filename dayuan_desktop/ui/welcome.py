"""The first-run welcome: a banner above the panes (never a modal dialog) that says where the
articles are stored and how to export, shown the first time a data folder opens the window.

Whether it was shown is remembered in the window's settings (``welcome/shown``), so a
second start, or one after *Dismiss*, goes straight to work.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

SHOWN_KEY = "welcome/shown"


def welcome_due(qsettings: QSettings) -> bool:
    """True until the welcome has been shown once for this data folder."""
    return not qsettings.value(SHOWN_KEY, False, type=bool)


def remember_shown(qsettings: QSettings) -> None:
    """Do not show the welcome again for this data folder."""
    qsettings.setValue(SHOWN_KEY, True)
    qsettings.sync()


class WelcomeBanner(QFrame):
    """A dismissible strip with the welcome text; hidden until :meth:`show_for` fills it."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # A pale yellow note, as used for hints, readable in light and dark themes alike.
        self.setStyleSheet("#welcomeBanner { background: #fff8d6; border: 1px solid #e6d48a; }"
                           "#welcomeBanner QLabel { color: #3a3000; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        # The path can be selected and copied (to open it in a file manager or tell support).
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = QPushButton(self.tr("Dismiss"), self)
        self.dismiss_button.setObjectName("welcomeDismiss")
        self.dismiss_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_for(self, database: str, *, sample_open: bool) -> None:
        """Show the welcome naming where the articles are (``database``: a file, or a server's
        URL without its password); ``sample_open``: the sample article was just loaded and is open.

        Two lines: every line of height the banner takes is taken from the editor's body.
        """
        first = (self.tr("Welcome to Dayuan Desktop. The sample article 4709 is open; your articles and photos "
                         "are saved as you type, in %1.") if sample_open
                 else self.tr("Welcome to Dayuan Desktop. Your articles and photos are saved as you type, in %1."))
        second = self.tr("To publish the portal's pages, choose File → Export site… (Ctrl+E). "
                         "The data and log folders are listed in Help → About.")
        self.label.setText(first.replace("%1", database) + "\n" + second)
        self.show()

    def text(self) -> str:
        """The welcome as shown."""
        return self.label.text()

    def dismiss(self) -> None:
        """Hide the banner (for good: the window remembers it was shown)."""
        self.hide()
        self.dismissed.emit()
