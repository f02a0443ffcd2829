"""Placing photos in the body editor: insert a photo at the cursor, take it out, follow its caption.

The WYSIWYG view shows a photo as an image run named ``photo:<sha256>`` (see
:mod:`dayuan_desktop.ui.editor.body_formats`); inserted as a paragraph of its own, the
Markdown writer turns it into the body's photo line ``![图为……。](photo:<sha256>)``.
In the Markdown source view the line itself is inserted. Each change is one undo step.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtGui import QTextBlock, QTextCharFormat, QTextCursor, QTextDocument, QTextFragment

from dayuan_desktop.ui.editor.body_formats import (
    IMAGE_ALT,
    OBJECT_CHAR,
    PHOTO_SCHEME,
    block_format,
    image_alt,
    image_format,
    text_list_of,
)


def _photo_fragments(document: QTextDocument, name: str) -> Iterator[tuple[QTextBlock, QTextFragment, QTextCharFormat]]:
    """Every image run of the photo ``name`` in the document, in order."""
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat() and fmt.toImageFormat().name() == name:
                yield block, fragment, fmt
            it += 1
        block = block.next()


def _replace_source(edit, new: str) -> None:
    """Put ``new`` in the Markdown source view as one undo step."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(new)
    cursor.endEditBlock()


def insert_photo(body, sha256: str, caption: str) -> None:
    """Insert the photo at the cursor of ``body`` (a BodyEditor) as a paragraph of its own."""
    from dayuan_desktop.core.photos.attaching import photo_alt, photo_line

    line = photo_line(sha256, caption)
    if body.is_source_mode():
        edit = body.source_edit()
        cursor = edit.textCursor()
        cursor.beginEditBlock()
        cursor.clearSelection()
        block_text = cursor.block().text()
        before = "" if not block_text[: cursor.positionInBlock()].strip() else "\n\n"
        after = "" if not block_text[cursor.positionInBlock():].strip() else "\n\n"
        if not before and cursor.block().previous().isValid() and cursor.block().previous().text().strip():
            before = "\n"
        cursor.insertText(f"{before}{line}\n{after}" if not after else f"{before}{line}{after}")
        cursor.endEditBlock()
        edit.setTextCursor(cursor)
        return
    edit = body.text_edit()
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    cursor.clearSelection()
    text = cursor.block().text()
    at = cursor.positionInBlock()
    if text[:at].strip():
        cursor.insertBlock()  # the text before the cursor stays in its paragraph
    elif text[at:].strip():
        cursor.insertBlock()  # an empty line for the photo before the text after the cursor
        cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
    # The photo's own paragraph: a plain body paragraph, whatever the block was (heading, list…).
    listed = text_list_of(cursor.block())
    if listed is not None:
        listed.remove(cursor.block())
    cursor.setBlockFormat(block_format())
    alt = photo_alt(caption)
    cursor.insertImage(image_format(PHOTO_SCHEME + sha256, alt))
    if cursor.block().text() != OBJECT_CHAR:
        cursor.insertBlock()  # text was after the cursor: it continues in the next paragraph
        cursor.setBlockFormat(block_format())
    cursor.endEditBlock()
    edit.setTextCursor(cursor)


def remove_photo(body, sha256: str) -> int:
    """Take every image of the photo out of the body; how many were removed."""
    name = PHOTO_SCHEME + sha256
    if body.is_source_mode():
        edit = body.source_edit()
        pattern = re.compile(r"^[ \t]*!\[[^\]\n]*\]\(" + re.escape(name) + r"\)[ \t]*\n?(?:[ \t]*\n)?", re.MULTILINE)
        new, count = pattern.subn("", edit.toPlainText())
        if count:
            _replace_source(edit, new)
        return count
    document = body.text_edit().document()
    spans = [
        (block.position(), block.length(), block.text() == OBJECT_CHAR * fragment.length(),
         fragment.position(), fragment.length())
        for block, fragment, _fmt in _photo_fragments(document, name)
    ]
    if not spans:
        return 0
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    count = 0
    for block_start, block_length, whole, start, length in reversed(spans):
        if whole and document.blockCount() > 1:
            # The photo's paragraph goes entirely (with the paragraph break after or before it).
            end = block_start + block_length
            if end >= document.characterCount():
                cursor.setPosition(block_start - 1)
                cursor.setPosition(block_start + block_length - 1, QTextCursor.MoveMode.KeepAnchor)
            else:
                cursor.setPosition(block_start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.setPosition(start)
            cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        count += length
    cursor.endEditBlock()
    return count


def update_photo_alt(body, sha256: str, caption: str) -> int:
    """Give every image of the photo in the body the caption's alt text (``图为……。``); how many changed.

    The page prints the stored caption either way; this keeps the body's Markdown telling the same.
    """
    from dayuan_desktop.core.photos.attaching import photo_alt

    alt = photo_alt(caption)
    name = PHOTO_SCHEME + sha256
    if body.is_source_mode():
        edit = body.source_edit()
        pattern = re.compile(r"!\[[^\]\n]*\]\(" + re.escape(name) + r"\)")
        text = edit.toPlainText()
        wanted = f"![{alt}]({name})"
        if all(match.group(0) == wanted for match in pattern.finditer(text)):
            return 0
        new, count = pattern.subn(lambda _m: wanted, text)
        position = edit.textCursor().position()
        _replace_source(edit, new)
        cursor = edit.textCursor()
        cursor.setPosition(min(position, len(new)))
        edit.setTextCursor(cursor)
        return count
    document = body.text_edit().document()
    spans = [
        (fragment.position(), fragment.length(), fmt.toImageFormat())
        for _block, fragment, fmt in _photo_fragments(document, name) if image_alt(fmt) != alt
    ]
    if not spans:
        return 0
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    for start, length, fmt in spans:
        fmt.setProperty(IMAGE_ALT, alt)
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(fmt)
    cursor.endEditBlock()
    return len(spans)


def photo_block_numbers(body, sha256: str) -> tuple[int, ...]:
    """The paragraphs (block numbers of the view shown) that hold the photo, in order."""
    name = PHOTO_SCHEME + sha256
    if body.is_source_mode():
        pattern = re.compile(r"^[ \t]*!\[[^\]\n]*\]\(" + re.escape(name) + r"\)[ \t]*$")
        lines = body.source_edit().toPlainText().split("\n")
        return tuple(number for number, line in enumerate(lines) if pattern.match(line))
    document = body.text_edit().document()
    return tuple(dict.fromkeys(block.blockNumber() for block, _fragment, _fmt in _photo_fragments(document, name)))


def restore_photo_lines(body, sha256: str, caption: str, block_numbers: tuple[int, ...]) -> None:
    """Put the photo back into the paragraphs it was taken from (``block_numbers`` as
    :func:`photo_block_numbers` gave them before :func:`remove_photo`); past the end, at the end."""
    edit = body.source_edit() if body.is_source_mode() else body.text_edit()
    for number in block_numbers:  # ascending: each earlier photo paragraph is back before the next is placed
        document = edit.document()
        block = document.findBlockByNumber(number)
        cursor = QTextCursor(document)
        if block.isValid():
            cursor.setPosition(block.position())
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
        edit.setTextCursor(cursor)
        insert_photo(body, sha256, caption)
