"""Interim body editor: Markdown source only (the WYSIWYG editor replaces this module)."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

_COUNTED = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+")


class BodyEditor(QWidget):
    """Edits the Markdown body."""

    contentChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edit = QPlainTextEdit(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._edit)
        self._loading = False
        self._edit.textChanged.connect(self._changed)

    def set_markdown(self, text: str) -> None:
        """Show a body (not a user edit; clears undo)."""
        self._loading = True
        try:
            self._edit.setPlainText(text)
        finally:
            self._loading = False

    def markdown(self) -> str:
        """The body as stored."""
        return self._edit.toPlainText()

    def character_count(self) -> int:
        """字数: CJK characters one each, Latin and digit words one each."""
        return len(_COUNTED.findall(self._edit.toPlainText()))

    def text_edit(self) -> QPlainTextEdit:
        """The editing widget (for find and replace)."""
        return self._edit

    def actions(self) -> list:
        """Formatting actions for the window's menus."""
        return []

    def _changed(self) -> None:
        if not self._loading:
            self.contentChanged.emit()
