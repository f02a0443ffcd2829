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
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_for(self, database: str, data_dir: str, *, sample_open: bool) -> None:
        """Show the welcome naming where the articles are (``database``: a file or a server) and
        the data folder; ``sample_open``: the sample article was just loaded and is open."""
        lines = [self.tr("Welcome to Dayuan Desktop. The sample article 4709 is open: edit it, or start your "
                         "own with File → New article (Ctrl+N).") if sample_open
                 else self.tr("Welcome to Dayuan Desktop.")]
        lines.append(self.tr("Your articles and photos are stored in %1 (data folder: %2); "
                             "they are saved as you type.").replace("%1", database).replace("%2", data_dir))
        lines.append(self.tr("To publish, choose File → Export site… (Ctrl+E): it writes the portal's "
                             "pages into a folder."))
        self.label.setText("\n".join(lines))
        self.show()

    def text(self) -> str:
        """The welcome as shown."""
        return self.label.text()

    def dismiss(self) -> None:
        """Hide the banner (for good: the window remembers it was shown)."""
        self.hide()
        self.dismissed.emit()
