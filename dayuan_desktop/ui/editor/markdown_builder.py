"""HTML (python-markdown's output, or a cleaned clipboard) → blocks and runs of a QTextDocument.

Only the elements the body can hold become formats (see :mod:`body_formats`): paragraphs,
headings, lists, quotes, code blocks, rules, tables, bold, italic, inline code, links,
line breaks and images. Any other element gives just its text; scripts, styles, frames
and the like give nothing. The document is built with a cursor, never with ``setHtml``,
so nothing in the HTML can make Qt load a file or a URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor, QTextDocument, QTextList

from dayuan_desktop.core.interchange.html_tree import Element
from dayuan_desktop.core.paragraph_indent import UNICODE_SPACES
from dayuan_desktop.ui.editor.body_formats import (
    LINE_SEPARATOR,
    LINK_COLOUR,
    block_format,
    heading_char_format,
    image_format,
    list_format,
)

# (src, alt) of an <img> → the URL the document keeps, or None to leave the image out
ImageSource = Callable[[str, str], str | None]
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
CONTAINERS = {
    "div", "section", "article", "main", "center", "header", "footer", "figure", "figcaption", "aside",
    "body", "html", "address", "details", "summary", "dl", "dd", "dt", "caption", "nav",
}
DROPPED = {
    "head", "title", "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "applet", "svg", "math", "canvas", "video", "audio", "source", "track", "map", "form", "input",
    "button", "select", "option", "textarea", "meta", "link", "base", "xml", "o:p", "colgroup", "col",
}
_SPACE = re.compile(r"[ \t\r\n\f]+")
# Trimmed from the ends of a pasted paragraph and its lines (not the line break itself).
_PASTED_INDENT = " \t" + UNICODE_SPACES.replace(LINE_SEPARATOR, "")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# As the render pipeline: a source line break between two CJK characters vanishes, any other
# becomes a space (what a browser shows).
_CJK_SOFT_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")


@dataclass
class _Style:
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    title: str = ""

    def char_format(self, heading: int) -> QTextCharFormat:
        fmt = heading_char_format(heading)
        if self.bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        if self.italic:
            fmt.setFontItalic(True)
        if self.code:
            fmt.setFontFixedPitch(True)
            fmt.setFontFamilies(["monospace"])
        if self.href is not None:
            fmt.setAnchor(True)
            fmt.setAnchorHref(self.href)
            fmt.setFontUnderline(True)
            fmt.setForeground(LINK_COLOUR)
            if self.title:
                fmt.setToolTip(self.title)
        return fmt


@dataclass
class _ListLevel:
    numbered: bool
    depth: int
    start: int
    qt_list: QTextList | None = None


@dataclass
class _Block:
    heading: int = 0
    quote: int = 0
    code: bool = False
    rule: bool = False
    in_list: _ListLevel | None = None
    runs: list = field(default_factory=list)  # (text, QTextCharFormat) or QTextImageFormat


class DocumentBuilder:
    """Appends HTML content to the end of a document.

    ``collapse_whitespace``: HTML from elsewhere (the clipboard), where runs of white space
    show as one space; python-markdown's HTML keeps the text exactly, except its soft line
    breaks. ``image_source`` decides what becomes of each image (default: kept as it is).
    ``heading_map`` maps a heading level to the one the document uses (0 = paragraph).
    """

    def __init__(
        self,
        document: QTextDocument,
        *,
        collapse_whitespace: bool = False,
        image_source: ImageSource | None = None,
        heading_map: Callable[[int], int] = lambda level: level,
    ) -> None:
        self.document = document
        self.cursor = QTextCursor(document)
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        self.fresh = document.isEmpty()  # the empty block at the cursor is ours to use
        self.collapse = collapse_whitespace
        self.image_source = image_source or (lambda src, alt: src)
        self.heading_map = heading_map
        self.quote = 0
        self.lists: list[_ListLevel] = []
        self.items: list[_ListLevel] = []  # the list of each open <li>, innermost last
        self.styles = [_Style()]
        self.block: _Block | None = None
        self.strip_next = False  # white space after a line break is layout, not text

    # -- walking -----------------------------------------------------------------------------
    def add(self, nodes: list[Element | str]) -> None:
        """Append a list of HTML nodes (elements and text) to the document."""
        for node in nodes:
            if isinstance(node, str):
                self.text(node)
            else:
                self.element(node)

    def finish(self) -> None:
        """Write out the last open block."""
        self.flush()

    def element(self, node: Element) -> None:
        tag = node.tag
        if tag in DROPPED:
            return
        if tag == "p" or tag in CONTAINERS:
            self.flush()
            self.add(node.children)
            self.flush()
        elif tag in HEADINGS:
            self.flush()
            self.open(heading=self.heading_map(HEADINGS[tag]))
            self.add(node.children)
            self.flush()
        elif tag in ("ul", "ol"):
            self.list(node)
        elif tag == "li":
            self.list_item(node)
        elif tag == "blockquote":
            self.flush()
            self.quote += 1
            self.add(node.children)
            self.flush()
            self.quote -= 1
        elif tag == "pre":
            self.code_block(node.text())
        elif tag == "hr":
            self.flush()
            self.open(rule=True)
            self.flush()
        elif tag == "table":
            self.table(node)
        elif tag == "br":
            self.run(LINE_SEPARATOR)
            self.strip_next = True
        elif tag == "img":
            self.image(node)
        else:
            self.inline(node)

    def inline(self, node: Element) -> None:
        style = _Style(**vars(self.styles[-1]))
        tag = node.tag
        if tag in ("strong", "b"):
            style.bold = True
        elif tag in ("em", "i", "cite", "dfn"):
            style.italic = True
        elif tag in ("code", "kbd", "samp", "tt"):
            style.code = True
        elif tag == "a" and node.get("href").strip():
            style.href = node.get("href").strip()
            style.title = node.get("title")
        self.styles.append(style)
        self.add(node.children)
        self.styles.pop()

    # -- blocks ------------------------------------------------------------------------------
    def open(self, *, heading: int = 0, code: bool = False, rule: bool = False) -> _Block:
        self.flush()
        self.block = _Block(heading=heading, quote=self.quote, code=code, rule=rule)
        if self.items:  # every block inside a list item is an item of that list
            self.block.in_list = self.items[-1]
        self.strip_next = True
        return self.block

    def flush(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        # Pasted text: full-width, no-break and other Unicode spaces at a paragraph's start are
        # indentation, which the portal's style sheet does (core.paragraph_indent: one rule).
        runs = _trimmed(block.runs, _PASTED_INDENT if self.collapse else " \t")
        if not runs and not block.rule:
            return
        fmt = block_format(heading=block.heading, quote=block.quote, code=block.code, rule=block.rule)
        if self.fresh:
            self.cursor.setBlockFormat(fmt)
            self.cursor.setBlockCharFormat(heading_char_format(block.heading))
            self.fresh = False
        else:
            self.cursor.insertBlock(fmt, heading_char_format(block.heading))
        level = block.in_list
        if level is not None:
            if level.qt_list is None:
                level.qt_list = self.cursor.createList(list_format(level.numbered, level.depth, level.start))
            else:
                level.qt_list.add(self.cursor.block())
        for run in runs:
            if isinstance(run, tuple):
                self.cursor.insertText(*run)
            else:
                self.cursor.insertImage(run)

    def list(self, node: Element) -> None:
        self.flush()
        try:
            start = int(node.get("start") or 1)
        except ValueError:
            start = 1
        self.lists.append(_ListLevel(node.tag == "ol", len(self.lists) + 1, start))
        self.add(node.children)
        self.flush()
        self.lists.pop()

    def list_item(self, node: Element) -> None:
        if not self.lists:  # a stray <li>: a bullet list of its own
            self.lists.append(_ListLevel(False, 1, 1))
            self.list_item(node)
            self.lists.pop()
            return
        self.items.append(self.lists[-1])
        self.open()
        for child in node.children:
            # A paragraph inside an item (a "loose" list) is the item's text, not a new item.
            if isinstance(child, Element) and child.tag == "p" and self.block is not None and not self.block.runs:
                self.add(child.children)
            else:
                self.add([child])
        self.flush()
        self.items.pop()

    def code_block(self, text: str) -> None:
        self.flush()
        for line in text.rstrip("\n").split("\n"):
            block = self.open(code=True)
            block.runs.append((line, _Style(code=True).char_format(0)))
            self.flush()

    def table(self, node: Element) -> None:
        self.flush()
        rows = [row for row in node.iter() if row.tag == "tr"]
        cells = [[c for c in row.children if isinstance(c, Element) and c.tag in ("td", "th")] for row in rows]
        columns = max((len(row) for row in cells), default=0)
        if not columns:
            return
        if not self.fresh:
            self.cursor.insertBlock(block_format(quote=self.quote))
        table = self.cursor.insertTable(len(rows), columns)
        self.fresh = False
        for r, row in enumerate(cells):
            for c, cell in enumerate(row):
                # Each cell is one block of inline content, built like a paragraph of its own.
                outer, self.cursor, self.fresh = self.cursor, table.cellAt(r, c).firstCursorPosition(), True
                self.open(heading=0)
                self.block.in_list = None
                self.add(cell.children)
                self.flush()
                self.cursor = outer
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        self.fresh = True  # Qt leaves an empty block after a table: the next block uses it

    # -- inline content ----------------------------------------------------------------------
    def text(self, text: str) -> None:
        if self.collapse:
            text = _SPACE.sub(" ", _CJK_SOFT_BREAK.sub("", text))
        elif "\n" in text:
            text = _SOFT_BREAK.sub(" ", _CJK_SOFT_BREAK.sub("", text))
        if self.strip_next:
            text = text.lstrip(" \t\r\n\f")
        if not text:
            return
        if self.block is None:
            if not text.strip(" \t\r\n\f"):
                return  # layout white space between blocks
            self.open()
            text = text.lstrip(" \t\r\n\f")
        self.run(text)

    def run(self, text: str) -> None:
        if self.block is None:
            self.open()
        self.strip_next = False
        self.block.runs.append((text, self.styles[-1].char_format(self.block.heading)))

    def image(self, node: Element) -> None:
        src = self.image_source(node.get("src").strip(), node.get("alt"))
        if not src:
            return
        if self.block is None:
            self.open()
        self.strip_next = False
        self.block.runs.append(image_format(src, node.get("alt"), node.get("title")))


_AROUND_BREAKS = re.compile(f"[ \t]*(?:{LINE_SEPARATOR}[ \t]*)+")


def _trimmed(runs: list, spaces: str = " \t") -> list:
    """A block's runs without white space at its ends or around its line breaks.

    Line breaks at either end, and all but one of several in a row, are dropped too:
    Markdown cannot say them (an empty line ends the paragraph).
    """
    merged: list = []
    for run in runs:
        if isinstance(run, tuple) and merged and isinstance(merged[-1], tuple) and merged[-1][1] == run[1]:
            merged[-1] = (merged[-1][0] + run[0], run[1])  # one run per format: the ends are easy to find
        else:
            merged.append(run)
    edge = spaces + LINE_SEPARATOR
    for index, run in enumerate(merged):
        if not isinstance(run, tuple):
            continue
        text = _AROUND_BREAKS.sub(LINE_SEPARATOR, run[0])
        before = merged[index - 1] if index else None
        after = merged[index + 1] if index + 1 < len(merged) else None
        if before is None or (isinstance(before, tuple) and before[0].endswith(LINE_SEPARATOR)):
            text = text.lstrip(edge)
        if after is None or (isinstance(after, tuple) and after[0].lstrip(spaces).startswith(LINE_SEPARATOR)):
            text = text.rstrip(edge) if after is None else text.rstrip(spaces)
        merged[index] = (text, run[1])
    return [run for run in merged if not isinstance(run, tuple) or run[0]]
