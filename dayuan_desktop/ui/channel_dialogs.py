"""Small dialogs for the channel tree: a channel's name and URL path segment, and where to move it.

The fields only pre-check what the core checks again (core.channel_rules); the core's one-line
error is what the user sees when something is still wrong.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from dayuan_desktop.core.records import ChannelRecord

SEGMENT_PATTERN = "[a-z0-9-]{1,60}"  # as core.channel_rules.check_segment
MAX_NAME = 60


class ChannelFormDialog(QDialog):
    """Asks for a channel's Chinese name, its URL path segment, or both (a new channel)."""

    def __init__(
        self, title: str, parent: QWidget | None = None, *, name: str | None = None, segment: str | None = None,
        parent_path: str | None = None, note: str = "", heading: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(360)
        form = QFormLayout()
        self.name_field = self.segment_field = None
        if name is not None:
            self.name_field = QLineEdit(name, self)
            self.name_field.setMaxLength(MAX_NAME)
            self.name_field.setPlaceholderText(self.tr("e.g. 文旅体育"))
            form.addRow(self.tr("&Name:"), self.name_field)
        if segment is not None:
            self.segment_field = QLineEdit(segment, self)
            self.segment_field.setValidator(QRegularExpressionValidator(QRegularExpression(SEGMENT_PATTERN), self))
            self.segment_field.setPlaceholderText(self.tr("e.g. wlty"))
            self.segment_field.setToolTip(self.tr("Lowercase letters, digits and '-'"))
            form.addRow(self.tr("&URL path:"), self.segment_field)
            self.address_label = QLabel(self)
            form.addRow("", self.address_label)
            prefix = f"/{parent_path}/" if parent_path else "/"
            self.segment_field.textChanged.connect(lambda text: self.address_label.setText(
                self.tr("Lowercase letters, digits and '-'; the address becomes %1…").replace("%1", f"{prefix}{text}/")))
            self.segment_field.textChanged.emit(segment)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if heading:  # which channel: a window manager may not show the title
            layout.addWidget(QLabel(f"<b>{html.escape(heading)}</b>", self))
        layout.addLayout(form)
        if note:
            label = QLabel(note, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(buttons)
        for field in (self.name_field, self.segment_field):
            if field is not None:
                field.textChanged.connect(lambda _text, b=buttons: b.button(QDialogButtonBox.StandardButton.Ok)
                                          .setEnabled(self._complete()))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self._complete())
        (self.name_field or self.segment_field).selectAll()

    def _complete(self) -> bool:
        name_ok = self.name_field is None or bool(self.name_field.text().strip())
        segment_ok = self.segment_field is None or self.segment_field.hasAcceptableInput()
        return name_ok and segment_ok

    def name(self) -> str:
        """The name typed (stripped)."""
        return self.name_field.text().strip() if self.name_field else ""

    def segment(self) -> str:
        """The URL path segment typed."""
        return self.segment_field.text() if self.segment_field else ""


class MoveChannelDialog(QDialog):
    """Chooses a new parent for a channel: the top, or any channel not below it."""

    def __init__(self, channel: ChannelRecord, channels: Sequence[ChannelRecord], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Move channel “%1”").replace("%1", channel.name))
        self.setMinimumWidth(360)
        self.parent_box = QComboBox(self)
        self.parent_box.addItem(self.tr("(top level)"), None)
        below = channel.path + "/"
        for other in sorted(channels, key=lambda c: c.path):
            if other.id != channel.id and not other.path.startswith(below):
                self.parent_box.addItem(f"{other.name} — {other.path}", other.id)
        self.parent_box.setCurrentIndex(max(0, self.parent_box.findData(channel.parent_id)))
        form = QFormLayout()
        form.addRow(self.tr("Channel:"), QLabel(f"{channel.name} — {channel.path}", self))
        form.addRow(self.tr("&Under:"), self.parent_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def parent_id(self) -> int | None:
        """The chosen parent's id (None: the top level)."""
        return self.parent_box.currentData()
