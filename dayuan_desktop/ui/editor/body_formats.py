"""How the body editor's QTextDocument says what a block or a run of text is.

The Markdown reader writes these formats and the Markdown writer reads them back, so
both sides share this one module:

- a subheading is a block with ``headingLevel()`` 2 or 3 (its text shown bold and larger);
- a quoted block carries ``QTextFormat.BlockQuoteLevel`` (1, 2…) and a left margin;
- a list item belongs to a ``QTextList``: disc/circle/square = bullets, decimal = numbered,
  nesting depth = the list format's ``indent()``;
- a line of an indented code block carries ``BlockCodeFence`` (the fence character is not
  used: we only write indented code);
- a rule is an empty block with ``BlockTrailingHorizontalRulerWidth``;
- bold = weight above normal, italic = ``fontItalic()``, inline code = ``fontFixedPitch()``,
  a link = ``isAnchor()`` with ``anchorHref()`` (its title in the tool tip);
- an image is a ``QTextImageFormat`` whose name is its URL (``photo:<sha256>`` for photos of
  the article) with the alt text in ``ImageAltText`` and the title in ``ImageTitle``.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QPainter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
    QTextLength,
    QTextList,
    QTextListFormat,
    QTextTable,
)

QUOTE_LEVEL = QTextFormat.Property.BlockQuoteLevel
CODE_BLOCK = QTextFormat.Property.BlockCodeFence
RULE = QTextFormat.Property.BlockTrailingHorizontalRulerWidth
IMAGE_ALT = QTextFormat.Property.ImageAltText
IMAGE_TITLE = QTextFormat.Property.ImageTitle
PHOTO_SCHEME = "photo:"
LINE_SEPARATOR = "\u2028"  # a hard line break inside a paragraph
OBJECT_CHAR = "\ufffc"  # the character an image occupies in the document's text

_HEADING_SIZE = {1: 3, 2: 2, 3: 1, 4: 0, 5: -1, 6: -2}  # QTextCharFormat size adjustment (as Qt's HTML)
_QUOTE_INDENT = 24.0  # pixels of left margin per quote level
_QUOTE_BACKGROUND = QColor(0xF2, 0xF3, 0xF5)
LINK_COLOUR = QColor(0x1A, 0x56, 0xDB)
_BULLETS = (QTextListFormat.Style.ListDisc, QTextListFormat.Style.ListCircle, QTextListFormat.Style.ListSquare)
NUMBERED_STYLES = {
    QTextListFormat.Style.ListDecimal, QTextListFormat.Style.ListLowerAlpha, QTextListFormat.Style.ListUpperAlpha,
    QTextListFormat.Style.ListLowerRoman, QTextListFormat.Style.ListUpperRoman,
}
PARAGRAPH_SPACING = 8.0  # pixels below each block in the editor (looks only; not written)
MAX_IMAGE_WIDTH = 480  # pixels an image takes in the editor at most (thumbnails are smaller)


def heading_char_format(level: int) -> QTextCharFormat:
    """The look of a heading's text (bold, larger), or of body text for level 0."""
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Bold if level else QFont.Weight.Normal)
    fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, _HEADING_SIZE.get(level, 0) if level else 0)
    return fmt


def block_format(*, heading: int = 0, quote: int = 0, code: bool = False, rule: bool = False) -> QTextBlockFormat:
    """A block format for a paragraph, heading, quoted, code or rule block."""
    fmt = QTextBlockFormat()
    fmt.setHeadingLevel(heading)
    # Space between paragraphs, as on the portal page (a block made by Enter copies it).
    fmt.setTopMargin(PARAGRAPH_SPACING * 1.5 if heading else 0)
    fmt.setBottomMargin(PARAGRAPH_SPACING)
    set_quote_level(fmt, quote)
    if code:
        fmt.setProperty(CODE_BLOCK, "`")
    if rule:
        fmt.setProperty(RULE, QTextLength(QTextLength.Type.PercentageLength, 100))
    return fmt


def set_quote_level(fmt: QTextBlockFormat, level: int) -> None:
    """Mark a block as quoted ``level`` deep (0 = not quoted), with a matching indentation."""
    if level > 0:
        fmt.setProperty(QUOTE_LEVEL, level)
        fmt.setLeftMargin(_QUOTE_INDENT * level)
        fmt.setBackground(QBrush(_QUOTE_BACKGROUND))
    else:
        fmt.clearProperty(QUOTE_LEVEL)
        fmt.setLeftMargin(0)
        fmt.clearBackground()


def quote_level(fmt: QTextBlockFormat) -> int:
    """How deep a block is quoted (0 = not a quote)."""
    return max(fmt.intProperty(QUOTE_LEVEL), 0) if fmt.hasProperty(QUOTE_LEVEL) else 0


def is_code_block(fmt: QTextBlockFormat) -> bool:
    """Is the block a line of a code block?"""
    return fmt.hasProperty(CODE_BLOCK)


def is_rule(fmt: QTextBlockFormat) -> bool:
    """Is the block a horizontal rule?"""
    return fmt.hasProperty(RULE)


def list_format(numbered: bool, depth: int, start: int = 1) -> QTextListFormat:
    """A list format: numbered or bullets (their shape changing with depth), ``depth`` ≥ 1."""
    fmt = QTextListFormat()
    fmt.setStyle(QTextListFormat.Style.ListDecimal if numbered else _BULLETS[(depth - 1) % len(_BULLETS)])
    fmt.setIndent(depth)
    if numbered and start != 1:
        fmt.setStart(start)
    return fmt


def is_numbered(fmt: QTextListFormat) -> bool:
    """Is this a numbered (ordered) list?"""
    return fmt.style() in NUMBERED_STYLES


def image_format(src: str, alt: str = "", title: str = "", width: int | None = None) -> QTextImageFormat:
    """An image run: the URL as its name, its alt text and title, and the width shown in the editor."""
    fmt = QTextImageFormat()
    fmt.setName(src)
    fmt.setProperty(IMAGE_ALT, alt)
    if title:
        fmt.setProperty(IMAGE_TITLE, title)
    if width:
        fmt.setWidth(min(width, MAX_IMAGE_WIDTH))
    return fmt


def image_alt(fmt: QTextCharFormat) -> str:
    """The alt text of an image run ("" when it has none)."""
    return fmt.stringProperty(IMAGE_ALT) if fmt.hasProperty(IMAGE_ALT) else ""


def image_title(fmt: QTextCharFormat) -> str:
    """The title of an image run ("" when it has none)."""
    return fmt.stringProperty(IMAGE_TITLE) if fmt.hasProperty(IMAGE_TITLE) else ""


def text_list_of(block: QTextBlock) -> QTextList | None:
    """The list a block is an item of, or None.

    Not ``block.textList()``: PySide6 6.12.0 drops a reference to ``None`` each time a Qt call
    returns a null object (``textList()`` of a plain paragraph, ``currentTable()`` outside a
    table, ``property()`` of an unset property); enough of them crash the process.
    """
    index = block.blockFormat().objectIndex()
    if index < 0:
        return None
    found = block.document().object(index)
    return found if isinstance(found, QTextList) else None


def table_spans(document: QTextDocument) -> list[tuple[int, int, QTextTable]]:
    """(first position, last position, table) of each top-level table (see :func:`text_list_of`)."""
    return [
        (frame.firstPosition(), frame.lastPosition(), frame)
        for frame in document.rootFrame().childFrames()
        if isinstance(frame, QTextTable)
    ]


def is_photo_block(block: QTextBlock) -> bool:
    """Does the block hold exactly one image and nothing else?"""
    if block.text() != OBJECT_CHAR:
        return False
    return block.begin().fragment().charFormat().isImageFormat()


def placeholder_image(width: int = 240, height: int = 160) -> QImage:
    """A neutral grey frame with a mountain sign, shown while a photo's pixels are unavailable."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(0xE6, 0xE7, 0xEA))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(0xA0, 0xA3, 0xA8), 2))
    painter.drawRect(1, 1, width - 3, height - 3)
    painter.setBrush(QColor(0xC4, 0xC7, 0xCC))
    painter.setPen(Qt.PenStyle.NoPen)
    base, mid = height * 3 // 4, width // 2
    painter.drawPolygon([QPointF(mid - 60, base), QPointF(mid - 15, base - 55), QPointF(mid + 30, base)])
    painter.drawPolygon([QPointF(mid, base), QPointF(mid + 35, base - 35), QPointF(mid + 70, base)])
    painter.drawEllipse(mid + 40, height // 5, 22, 22)
    painter.end()
    return image

