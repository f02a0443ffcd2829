"""A foldable panel: a header button that shows or hides the panel's fields.

The article's secondary fields (subtitle, byline, time, channel, status, number, tags,
summary) live in one, so the body editor below gets the height when the editor wants to
write. Folded, the header still says in one line what the fields hold.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget


class FoldablePanel(QWidget):
    """A header toggle over ``content``; ``foldedChanged`` says when the user folds or opens it."""

    foldedChanged = Signal(bool)  # noqa: N815 (Qt naming) — True when folded

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("detailsToggle")
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable with Tab from the title
        self.summary = QLabel(self)
        self.summary.setObjectName("detailsSummary")
        self.summary.setStyleSheet("color: palette(mid);")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.content = QWidget(self)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        header.addWidget(self.summary, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(header)
        column.addWidget(self.content)
        self.toggle.toggled.connect(self._toggled)
        self._show_state()

    @property
    def folded(self) -> bool:
        """True when only the header shows."""
        return not self.toggle.isChecked()

    def set_folded(self, folded: bool) -> None:
        """Fold or open the panel (as the user would; ``foldedChanged`` follows a change)."""
        self.toggle.setChecked(not folded)

    def set_summary(self, text: str) -> None:
        """The one line the header shows while folded."""
        self.summary.setText(text)
        self.summary.setToolTip(text)

    def _toggled(self, _opened: bool) -> None:
        self._show_state()
        self.foldedChanged.emit(self.folded)

    def _show_state(self) -> None:
        opened = self.toggle.isChecked()
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if opened else Qt.ArrowType.RightArrow)
        self.content.setVisible(opened)
        self.summary.setVisible(not opened)
