"""A caption field that grows with its text: one line when short, several when long.

A caption of 171 characters in a one-line field showed its last twenty characters only. This
plain-text edit wraps (anywhere, as Chinese has no spaces) and takes the height of its lines,
from one up to :data:`MAX_LINES`, then scrolls. (The caption form scrolls when the panel is
shorter than its fields, so a tall caption never makes the window taller.) A caption is one paragraph: Enter moves on to the
next field instead of starting a line, and pasted line breaks become spaces.

It speaks the part of ``QLineEdit``'s interface the caption form and its tests use (``text``,
``setText``, ``textEdited``, ``setCursorPosition``), so it can stand in for one.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

MAX_LINES = 10  # a 171-character caption in the ~340 px wide form takes 9


_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+[ \t]*")


def one_line(text: str) -> str:
    """``text`` with each run of line breaks (any kind) turned into one space."""
    return _LINE_BREAKS.sub(" ", text).strip() if _LINE_BREAKS.search(text) else text


class CaptionEdit(QPlainTextEdit):
    """A one-paragraph plain-text field whose height follows its wrapped text."""

    textEdited = Signal(str)  # noqa: N815 — as QLineEdit: only for changes the user made

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setting = False
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(2)
        self.textChanged.connect(self._text_changed)

    # -- QLineEdit's interface -------------------------------------------------------------------
    def text(self) -> str:
        """The caption as typed."""
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 — QLineEdit's name
        """Show ``text`` (line breaks become spaces) without emitting :attr:`textEdited`."""
        self._setting = True
        try:
            self.setPlainText(one_line(text))
        finally:
            self._setting = False
        self._fit_height()

    def setCursorPosition(self, position: int) -> None:  # noqa: N802 — QLineEdit's name
        """Put the cursor at character ``position``."""
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(position, len(self.text()))))
        self.setTextCursor(cursor)

    # -- one paragraph -----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 — Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.focusNextChild()  # as Tab: a caption has no second paragraph
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 — Qt's name
        if source.hasText():
            self.textCursor().insertText(one_line(source.text()))
            self.ensureCursorVisible()

    # -- height ------------------------------------------------------------------------------------
    def line_count(self) -> int:
        """How many lines the wrapped text takes at the current width."""
        layout = self.document().documentLayout()
        lines = 0
        block = self.document().firstBlock()
        while block.isValid():
            layout.blockBoundingRect(block)  # lays the block out at the current width
            lines += max(block.layout().lineCount(), 1)
            block = block.next()
        return lines

    def _height_for(self, lines: int) -> int:
        margins = self.contentsMargins()
        text_height = lines * self.fontMetrics().lineSpacing() + 2 * self.document().documentMargin()
        return int(text_height) + margins.top() + margins.bottom() + 2

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt's name
        return QSize(super().sizeHint().width(), self._height_for(min(self.line_count(), MAX_LINES)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 — Qt's name
        return QSize(super().minimumSizeHint().width(), self._height_for(1))

    def resizeEvent(self, event) -> None:  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    def _fit_height(self) -> None:
        # The preferred height follows the text; the layout may still squeeze the field down to
        # one line (then it scrolls) rather than make the whole window taller.
        self.updateGeometry()

    def _text_changed(self) -> None:
        self._fit_height()
        if not self._setting:
            self.textEdited.emit(self.text())
