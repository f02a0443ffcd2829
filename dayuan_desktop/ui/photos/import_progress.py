"""The import's progress row: a line saying which photo is being read, the bar, and Cancel.

The text used to be drawn inside the progress bar, which is a few hundred pixels wide beside
the photo list: "正在导入第 2 张，共 6 张… IMG_20221213_144612.jpg" was cut off. The line
now sits above the bar with the whole width of the row, and a long file name is shortened in
the middle (its beginning and extension stay) with the full name in the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

from dayuan_desktop.ui.photos.import_report import progress_text


class ElidedLabel(QLabel):
    """A one-line label that shortens the end part of its text in the middle to the width it has."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._keep = 0
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str, keep: int = 0) -> None:
        """Show ``text``, its part after the first ``keep`` characters shortened if the label is
        too narrow (the count stays whole, the file name gives way); the tooltip keeps all."""
        self._full, self._keep = text, keep
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        """The text before shortening."""
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        kept, rest = self._full[: self._keep], self._full[self._keep:]
        room = max(self.width() - metrics.horizontalAdvance(kept), 1)
        self.setText(kept + metrics.elidedText(rest, Qt.TextElideMode.ElideMiddle, room))


class ImportProgress(QWidget):
    """Progress of one import job: ``start`` it, feed it ``update``, hide it when done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = ElidedLabel(self)
        self.label.setObjectName("importProgressText")
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(True)
        self.bar.setFormat("%p%")
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(1)
        grid.addWidget(self.label, 0, 0, 1, 2)
        grid.addWidget(self.bar, 1, 0)
        grid.addWidget(self.cancel_button, 1, 1)
        grid.setColumnStretch(0, 1)

    def start(self, total: int) -> None:
        """Show the row for an import of ``total`` files."""
        self.cancel_button.setEnabled(True)
        self.update_progress(0, total, "")
        self.show()

    def update_progress(self, done: int, total: int, name: str) -> None:
        """``done`` of ``total`` files read; ``name`` is the one being read now ("" at the end)."""
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        text = progress_text(done, total, name)
        self.label.set_full_text(text, keep=len(text) - len(name) if name else len(text))
