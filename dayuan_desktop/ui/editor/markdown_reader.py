"""Markdown body → QTextDocument, read the way the render pipeline reads it.

The Markdown goes through :func:`dayuan_desktop.core.render.convert_markdown` (the one
python-markdown setup of the render pipeline), photo lines taken out first exactly as the pipeline
does, so what the editor shows is the structure the portal page will have. The HTML is
then built into the document by :class:`DocumentBuilder` (formats in :mod:`body_formats`).
"""

from __future__ import annotations

import html
import re

from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument

from dayuan_desktop.core.interchange.html_tree import parse_html
from dayuan_desktop.ui.editor.markdown_builder import DocumentBuilder


def markdown_to_html(text: str) -> str:
    """python-markdown's HTML for a body, each photo line as ``<p><img src="photo:…" alt="…"></p>``."""

    def photo(match: re.Match) -> str:
        alt = html.escape(match.group("alt"), quote=True)
        return f'\n\n<p><img src="photo:{match.group("sha")}" alt="{alt}"></p>\n\n'

    # Imported here: python-markdown and core.render load on the first body shown, not before the window paints.
    from dayuan_desktop.core.render import PHOTO_LINE, convert_markdown

    return convert_markdown(PHOTO_LINE.sub(photo, text.replace("\r\n", "\n").replace("\r", "\n")))


def read_markdown(document: QTextDocument, text: str) -> None:
    """Replace the document's content with the body ``text`` (undo history cleared)."""
    document.setUndoRedoEnabled(False)  # loading is not an edit: nothing to undo
    try:
        document.clear()
        builder = DocumentBuilder(document)
        builder.add(parse_html(markdown_to_html(text)).root.children)
        builder.finish()
    finally:
        document.setUndoRedoEnabled(True)
    document.setModified(False)


def replace_with_markdown(document: QTextDocument, text: str) -> None:
    """Replace the document's content with the body ``text`` as one step the user can undo.

    For coming back from the Markdown source view after editing there: the history before
    stays, and Ctrl+Z takes the source edits back in one go. The text is read into a scratch
    document first, so Markdown that cannot be shown formatted (ValidationError) leaves the
    document untouched.
    """
    read_markdown(QTextDocument(), text)  # raises before anything is changed
    cursor = QTextCursor(document)
    cursor.beginEditBlock()  # every change below, by any cursor of this document, is one undo step
    try:
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.removeSelectedText()
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.setCharFormat(QTextCharFormat())
        builder = DocumentBuilder(document)
        builder.add(parse_html(markdown_to_html(text)).root.children)
        builder.finish()
    finally:
        cursor.endEditBlock()
