"""What the toolbar's formatting actions do to the selected blocks and text of a QTextEdit.

Every change is one edit block, so one Ctrl+Z takes it back. The formats written are
those of :mod:`body_formats`, which the Markdown writer reads.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextBlock, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from dayuan_desktop.ui.editor.body_formats import (
    LINK_COLOUR,
    heading_char_format,
    is_numbered,
    list_format,
    quote_level,
    set_quote_level,
    text_list_of,
)


def selected_blocks(cursor: QTextCursor) -> list[QTextBlock]:
    """The blocks the selection touches (the cursor's block when nothing is selected)."""
    document = cursor.document()
    first = document.findBlock(cursor.selectionStart())
    last = document.findBlock(cursor.selectionEnd())
    blocks = [first]
    while blocks[-1] != last and blocks[-1].next().isValid():
        blocks.append(blocks[-1].next())
    return blocks


def _remove_from_list(block: QTextBlock) -> None:
    text_list = text_list_of(block)
    if text_list is not None:
        text_list.remove(block)
        cursor = QTextCursor(block)
        fmt = block.blockFormat()
        fmt.setIndent(0)
        cursor.setBlockFormat(fmt)


def set_heading(edit: QTextEdit, level: int) -> None:
    """Make the selected blocks subheadings of ``level`` (0 = body paragraphs), out of any list."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    changed = False
    for block in selected_blocks(cursor):
        _remove_from_list(block)
        fmt = block.blockFormat()
        if fmt.headingLevel() == level:
            continue  # e.g. Ctrl+0 on a paragraph: its bold words stay bold
        changed = True
        block_cursor = QTextCursor(block)
        fmt.setHeadingLevel(level)
        block_cursor.setBlockFormat(fmt)
        # The look of the whole block's text (and of what is typed next in it) follows the level;
        # a heading's weight is only its look, so leaving a heading makes the text regular again.
        block_cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        block_cursor.mergeCharFormat(heading_char_format(level))
        block_cursor.mergeBlockCharFormat(heading_char_format(level))
    cursor.endEditBlock()
    if changed:
        edit.mergeCurrentCharFormat(heading_char_format(level))


def heading_level(edit: QTextEdit) -> int:
    """The heading level of the block at the cursor (0 for a paragraph)."""
    return edit.textCursor().blockFormat().headingLevel()


def toggle_bold(edit: QTextEdit) -> None:
    """Bold on for the selection (or for what is typed next), or off when it is all bold already."""
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Normal if is_bold(edit) else QFont.Weight.Bold)
    edit.mergeCurrentCharFormat(fmt)


def is_bold(edit: QTextEdit) -> bool:
    """Is the text at the cursor bold (a heading's own weight does not count)?"""
    if edit.textCursor().blockFormat().headingLevel():
        return False
    return edit.currentCharFormat().fontWeight() > QFont.Weight.Medium


def toggle_italic(edit: QTextEdit) -> None:
    """Italic on or off, like :func:`toggle_bold`."""
    fmt = QTextCharFormat()
    fmt.setFontItalic(not edit.currentCharFormat().fontItalic())
    edit.mergeCurrentCharFormat(fmt)


def list_kind(edit: QTextEdit) -> str | None:
    """"bullet", "numbered" or None for the block at the cursor."""
    text_list = text_list_of(edit.textCursor().block())
    if text_list is None:
        return None
    return "numbered" if is_numbered(text_list.format()) else "bullet"


def toggle_list(edit: QTextEdit, numbered: bool) -> None:
    """Make the selected blocks a bullet or numbered list, or plain paragraphs if they are one already."""
    cursor = edit.textCursor()
    blocks = selected_blocks(cursor)
    wanted = "numbered" if numbered else "bullet"
    cursor.beginEditBlock()
    if list_kind(edit) == wanted:
        for block in blocks:
            _remove_from_list(block)
    else:
        for block in blocks:
            _remove_from_list(block)
            if block.blockFormat().headingLevel():
                QTextCursor(block).setBlockFormat(_without_heading(block.blockFormat()))
        start = QTextCursor(blocks[0])
        new_list = start.createList(list_format(numbered, 1))
        for block in blocks[1:]:
            new_list.add(block)
    cursor.endEditBlock()


def _without_heading(fmt: QTextBlockFormat) -> QTextBlockFormat:
    fmt.setHeadingLevel(0)
    return fmt


def is_quote(edit: QTextEdit) -> bool:
    """Is the block at the cursor quoted?"""
    return quote_level(edit.textCursor().blockFormat()) > 0


def toggle_quote(edit: QTextEdit) -> None:
    """Quote the selected blocks, or unquote them when the cursor's block is quoted already."""
    cursor = edit.textCursor()
    level = 0 if is_quote(edit) else 1
    cursor.beginEditBlock()
    for block in selected_blocks(cursor):
        fmt = block.blockFormat()
        set_quote_level(fmt, level)
        QTextCursor(block).setBlockFormat(fmt)
    cursor.endEditBlock()


def current_link(edit: QTextEdit) -> str:
    """The link target at the cursor ("" when there is none)."""
    fmt = edit.currentCharFormat()
    return fmt.anchorHref() if fmt.isAnchor() else ""


def set_link(edit: QTextEdit, url: str, text: str = "") -> None:
    """Link the selection (or the link under the cursor) to ``url``; "" removes the link.

    With nothing selected and no link under the cursor, ``text`` (or the URL itself) is
    inserted as the link's text.
    """
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    if not cursor.hasSelection() and current_link(edit):
        _select_link_at(cursor)
    fmt = QTextCharFormat()
    if url:
        fmt.setAnchor(True)
        fmt.setAnchorHref(url)
        fmt.setFontUnderline(True)
        fmt.setForeground(LINK_COLOUR)
    else:
        fmt.setAnchor(False)
        fmt.setAnchorHref("")
        fmt.setFontUnderline(False)
        fmt.setForeground(edit.palette().text())
    if cursor.hasSelection():
        cursor.mergeCharFormat(fmt)
    elif url:
        inserted = QTextCharFormat(cursor.charFormat())
        inserted.merge(fmt)
        cursor.insertText(text or url, inserted)
        # What is typed after the link is not part of it.
        plain = QTextCharFormat(cursor.charFormat())
        plain.setAnchor(False)
        plain.setAnchorHref("")
        plain.setFontUnderline(False)
        plain.setForeground(edit.palette().text())
        cursor.setCharFormat(plain)
    cursor.endEditBlock()
    edit.setTextCursor(cursor)


def _select_link_at(cursor: QTextCursor) -> None:
    """Extend the cursor over the whole link run it stands in."""
    block = cursor.block()
    href = cursor.charFormat().anchorHref()
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        it += 1
        inside = fragment.position() <= cursor.position() <= fragment.position() + fragment.length()
        if inside and fragment.charFormat().anchorHref() == href:
            cursor.setPosition(fragment.position())
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
            return


def change_list_depth(edit: QTextEdit, delta: int) -> bool:
    """Nest the selected list items one level deeper (+1) or shallower (-1); False outside a list.

    An item nested under a sibling list of the same kind and depth joins it; brought out of
    the first level, an item becomes a paragraph.
    """
    cursor = edit.textCursor()
    blocks = [b for b in selected_blocks(cursor) if text_list_of(b) is not None]
    if not blocks:
        return False
    cursor.beginEditBlock()
    for block in blocks:
        fmt = text_list_of(block).format()
        depth = max(fmt.indent(), 1) + delta
        numbered = is_numbered(fmt)
        _remove_from_list(block)
        if depth < 1:
            continue
        depth = min(depth, 6)
        previous = block.previous()
        while previous.isValid():
            sibling = text_list_of(previous)
            if sibling is None or sibling.format().indent() < depth:
                previous = None
                break
            if sibling.format().indent() == depth:
                break
            previous = previous.previous()
        sibling = text_list_of(previous) if previous is not None and previous.isValid() else None
        if sibling is not None and is_numbered(sibling.format()) == numbered:
            sibling.add(block)
        else:
            QTextCursor(block).createList(list_format(numbered, depth))
    cursor.endEditBlock()
    return True
