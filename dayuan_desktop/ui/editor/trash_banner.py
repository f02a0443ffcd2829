"""The banner over an article opened from the trash: it is read-only until restored."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class TrashBanner(QFrame):
    """"This article is in the trash" with a Restore button; ``restoreRequested`` when pressed."""

    restoreRequested = Signal()  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trashBanner")
        self.setStyleSheet("#trashBanner { background: #fdecea; border-bottom: 1px solid #e6a9a2; }"
                           "#trashBanner QLabel { color: #5f1d17; }")
        self.label = QLabel(self.tr("This article is in the trash: it cannot be edited until it is restored."), self)
        self.label.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("&Restore"), self)
        self.restore_button.clicked.connect(self.restoreRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.restore_button)
        self.hide()
