"""One compact row under the tag field: up to eight suggested tags as buttons, or a quiet status.

A click on a chip asks for that tag (``chosen``) and the chip goes. Chips that do not fit the
row's width are hidden rather than widening the editor column (the body keeps its room).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget


class TagChips(QWidget):
    """Suggested tags as small flat buttons; ``chosen(tag)`` on a click."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagSuggestions")
        self.caption = QLabel(self.tr("Suggested:"), self)
        self.status = QLabel(self)
        for label in (self.caption, self.status):
            label.setStyleSheet("color: palette(mid);")
        self.chips: list[QToolButton] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(4)
        self._row.addWidget(self.caption)
        self._row.addWidget(self.status)
        self._row.addStretch(1)
        # As wide as the column gives, never wider; always one line high (no jump of the body below).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(max(self.fontMetrics().height() + 8, 22))
        self.show_status("")

    def tags(self) -> list[str]:
        """The suggestions shown (hidden for want of room included), best first."""
        return [chip.text() for chip in self.chips]

    def show_status(self, text: str) -> None:
        """A quiet line instead of chips (loading, nothing to suggest, unavailable)."""
        self._clear_chips()
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def show_tags(self, tags: list[str]) -> None:
        """Replace the chips with these tags (best first)."""
        self._clear_chips()
        self.status.setVisible(not tags)
        self.status.setText("" if tags else self.tr("no suggestions"))
        for index, tag in enumerate(tags):
            chip = QToolButton(self)
            chip.setObjectName("tagChip")
            chip.setText(tag)
            chip.setAutoRaise(True)
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the tags to the summary, as before
            chip.setToolTip(self.tr("Add the tag “%1”").replace("%1", tag))
            chip.setStyleSheet("QToolButton#tagChip { border: 1px solid palette(mid); border-radius: 8px;"
                               " padding: 0px 6px; }")
            chip.clicked.connect(lambda _checked=False, chip=chip: self._clicked(chip))
            self._row.insertWidget(2 + index, chip)
            self.chips.append(chip)
        self._fit()

    def _clicked(self, chip: QToolButton) -> None:
        tag = chip.text()
        self.chips.remove(chip)
        chip.hide()
        chip.deleteLater()
        if not self.chips:
            self.status.setText(self.tr("no suggestions"))
            self.status.show()
        self._fit()
        self.chosen.emit(tag)

    def _clear_chips(self) -> None:
        for chip in self.chips:
            chip.hide()
            chip.deleteLater()
        self.chips = []

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Show the chips that fit the width, best first; the rest wait for a wider window."""
        room = self.width() - self.caption.sizeHint().width() - 8
        fits = True
        for chip in self.chips:
            width = chip.sizeHint().width() + self._row.spacing()
            fits = fits and width <= room  # after one chip is left out, the rest are too (order is rank)
            chip.setVisible(fits)
            if fits:
                room -= width
