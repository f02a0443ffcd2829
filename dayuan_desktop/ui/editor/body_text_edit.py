"""The WYSIWYG half of the body editor: a QTextEdit with our document, paste and copy."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit, QWidget

from dayuan_desktop.ui.editor.body_actions import change_list_depth
from dayuan_desktop.ui.editor.body_document import BodyDocument
from dayuan_desktop.ui.editor.body_formats import (
    block_format,
    heading_char_format,
    quote_level,
    set_quote_level,
    text_list_of,
)
from dayuan_desktop.ui.editor.markdown_writer import document_to_markdown
from dayuan_desktop.ui.editor.paste import MARKDOWN_MIME, Paster
from dayuan_desktop.ui.editor.paste_photos import PendingPhotos


class BodyTextEdit(QTextEdit):
    """Rich text editing of the body.

    Pasting goes through :class:`Paster` (``notice`` receives what it left out; pasted images
    are imported in the background by :attr:`pending_photos`); copying
    adds the selection as Markdown so a paste inside the app loses nothing; Enter at the
    end of a subheading continues with a body paragraph, as in a word processor.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(BodyDocument(self))
        self.reset_block_format()
        self.setAcceptRichText(True)
        self.setTabChangesFocus(True)  # a tab character means nothing in a news body
        self.pending_photos = PendingPhotos(self.document, self)  # pasted images being imported
        self.paster = Paster(pending=self.pending_photos)
        self.notice: Callable[[str], None] = lambda text: None
        self.pending_photos.notice.connect(lambda text: self.notice(text))

    def reset_block_format(self) -> None:
        """Give an empty document's only block the body paragraph format (and its spacing)."""
        if self.document().isEmpty():
            undo = self.document().isUndoRedoEnabled()
            self.document().setUndoRedoEnabled(False)  # not an edit to undo
            QTextCursor(self.document()).setBlockFormat(block_format())
            self.document().setUndoRedoEnabled(undo)

    def body_document(self) -> BodyDocument:
        """The document, with its image provider."""
        return self.document()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt's name)
        """Whether a paste or drop of ``source`` can put anything into the body."""
        return Paster.can_paste(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt's name)
        """Paste or drop: cleaned content at the cursor, and a notice of what was left out."""
        cursor = self.textCursor()
        message = self.paster.paste(source, cursor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        if message:
            self.notice(message)

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 (Qt's name)
        """Qt's HTML and text of the selection, plus our Markdown of it."""
        data = super().createMimeDataFromSelection()
        scratch = QTextDocument()
        QTextCursor(scratch).insertFragment(self.textCursor().selection())
        data.setData(MARKDOWN_MIME, document_to_markdown(scratch).encode("utf-8"))
        return data

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Enter at the end of a subheading starts a body paragraph (same quote), not another heading;
        Tab / Shift+Tab in a list item nest it deeper / bring it out (elsewhere Tab moves the focus)."""
        cursor = self.textCursor()
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and text_list_of(cursor.block()) is not None:
            backward = event.key() == Qt.Key.Key_Backtab or event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            change_list_depth(self, -1 if backward else 1)
            return
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        quoted = quote_level(cursor.blockFormat())
        if enter and event.modifiers() == Qt.KeyboardModifier.NoModifier and quoted and cursor.block().length() == 1 \
                and text_list_of(cursor.block()) is None:
            # Enter on an empty quoted line ends the quote, as in a word processor.
            fmt = cursor.blockFormat()
            set_quote_level(fmt, 0)
            cursor.setBlockFormat(fmt)
            return
        if enter and event.modifiers() == Qt.KeyboardModifier.NoModifier and cursor.blockFormat().headingLevel() \
                and cursor.atBlockEnd() and not cursor.hasSelection():
            cursor.insertBlock(block_format(quote=quote_level(cursor.blockFormat())), heading_char_format(0))
            self.setTextCursor(cursor)
            self.setCurrentCharFormat(heading_char_format(0))
            self.ensureCursorVisible()
            return
        super().keyPressEvent(event)
