"""The bar over an article someone else is editing: who, since when, and a Take over button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from dayuan_desktop.ui.lock_icon import lock_icon


class LeaseBar(QFrame):
    """"张三 正在编辑（2 分钟前）" [接管]; after a takeover, who took it and where my text went."""

    takeOverRequested = Signal()  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leaseBar")
        self.setStyleSheet("#leaseBar { background: #fff4d6; border-bottom: 1px solid #e0c27a; }"
                           "#leaseBar QLabel { color: #5c4300; }")
        self.icon = QLabel(self)
        self.icon.setPixmap(lock_icon(16).pixmap(16, 16))
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.take_over_button = QPushButton(self.tr("&Take over"), self)
        self.take_over_button.setToolTip(self.tr("Edit this article yourself: the other editor's window turns "
                                                 "read-only and their latest text is kept as a revision."))
        self.take_over_button.clicked.connect(self._take_over)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.icon)
        row.addWidget(self.label, 1)
        row.addWidget(self.take_over_button)
        self.hide()

    def show_holder(self, user_name: str, held_seconds: float) -> None:
        """Someone else holds the article: read-only, with Take over."""
        self.label.setText(self.tr("%1 is editing (%2)").replace("%1", user_name)
                           .replace("%2", self.since_text(held_seconds)))
        self.take_over_button.setEnabled(True)
        self.show()

    def show_taken(self, user_name: str) -> None:
        """My lease was taken over: name who took it and say my text is safe."""
        self.label.setText(self.tr("%1 took over this article. Your latest text was kept as a revision "
                                   "(Article → Revision history).").replace("%1", user_name))
        self.take_over_button.setEnabled(True)
        self.show()

    def since_text(self, seconds: float) -> str:
        """"just now" under a minute, else "%n minute(s) ago" (hours past an hour)."""
        if seconds < 60:
            return self.tr("just now")
        if seconds < 3600:
            return self.tr("%n minute(s) ago", "", int(seconds // 60))
        return self.tr("%n hour(s) ago", "", int(seconds // 3600))

    def _take_over(self) -> None:
        self.take_over_button.setEnabled(False)  # once; the bar goes when the lease is mine
        self.takeOverRequested.emit()
