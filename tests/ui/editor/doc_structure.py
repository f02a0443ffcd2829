"""What a reader notices about a body, computed two independent ways for the round-trip tests.

From a QTextDocument (its formats) and from python-markdown's HTML (its elements): the
sequence of blocks (kind, quote depth, list depth) and in each the runs of text with their
emphasis, code and link target. Both go through the same normalisation (white space at a
block's ends and around line breaks, which Markdown cannot keep, is left out).
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextDocument

from dayuan_desktop.core.interchange.html_tree import Element, parse_html
from dayuan_desktop.ui.editor.body_formats import image_alt, is_numbered, quote_level, text_list_of

SEP = "\u2028"
Run = tuple  # (text, bold, italic, code, href) or ("<img>", src, alt)


def normalised(runs: list[Run]) -> list[Run]:
    """Drop spaces at the block's ends and around line breaks (and breaks at the ends); merge runs."""
    items: list[tuple] = []  # one character (with its run's formats) or one image
    for run in runs:
        if run[0] == "<img>":
            items.append(run)
        else:
            items += [(char, *run[1:]) for char in run[0]]

    def space(index: int) -> bool:
        return items[index][0] in (" ", "\t")

    changed = True
    while changed:
        changed = False
        for index in range(len(items)):
            char = items[index][0]
            at_edge = index == 0 or index == len(items) - 1
            next_to_break = (index > 0 and items[index - 1][0] == SEP) or (
                index + 1 < len(items) and items[index + 1][0] == SEP
            )
            if (space(index) and (at_edge or next_to_break)) or (char == SEP and at_edge):
                del items[index]
                changed = True
                break
    merged: list[Run] = []
    for item in items:
        if item[0] != "<img>" and merged and merged[-1][0] != "<img>" and merged[-1][1:] == item[1:]:
            merged[-1] = (merged[-1][0] + item[0], *item[1:])
        else:
            merged.append(item)
    return merged


def document_structure(document: QTextDocument) -> list[tuple]:
    """(kind, quote, depth, runs) of each non-empty block; kind is p, h2, h3, ul, ol or img."""
    blocks = []
    block = document.begin()
    while block.isValid():
        fmt = block.blockFormat()
        heading = fmt.headingLevel()
        runs: list[Run] = []
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            it += 1
            char = fragment.charFormat()
            if char.isImageFormat():
                runs += [("<img>", char.toImageFormat().name(), image_alt(char))] * len(fragment.text())
                continue
            bold = char.fontWeight() > QFont.Weight.Medium and not heading
            href = char.anchorHref() if char.isAnchor() else None
            runs.append((fragment.text(), bold, char.fontItalic(), char.fontFixedPitch(), href))
        runs = normalised(runs)
        text_list = text_list_of(block)
        if text_list is not None:
            kind, depth = ("ol" if is_numbered(text_list.format()) else "ul"), text_list.format().indent()
        elif len(runs) == 1 and runs[0][0] == "<img>":
            kind, depth = "img", 0
        else:
            kind, depth = (f"h{heading}" if heading else "p"), 0
        if runs:
            blocks.append((kind, quote_level(fmt), depth, runs))
        block = block.next()
    return blocks


def html_structure(html: str) -> list[tuple]:
    """The same description read from python-markdown's HTML."""
    blocks: list[tuple] = []
    walker = _HtmlWalker(blocks)
    walker.walk(parse_html(html).root.children)
    walker.close()
    return blocks


class _HtmlWalker:
    def __init__(self, blocks: list[tuple]) -> None:
        self.blocks = blocks
        self.quote = 0
        self.lists: list[str] = []
        self.current: tuple[str, int, int] | None = None
        self.runs: list[Run] = []
        self.style = (False, False, False, None)

    def close(self) -> None:
        if self.current is not None:
            runs = normalised(self.runs)
            kind = self.current[0]
            if kind == "p" and len(runs) == 1 and runs[0][0] == "<img>":
                kind = "img"
            if runs:
                self.blocks.append((kind, *self.current[1:], runs))
        self.current, self.runs = None, []

    def start(self, kind: str, depth: int = 0) -> None:
        self.close()
        self.current = (kind, self.quote, depth)

    def walk(self, nodes: list) -> None:
        for node in nodes:
            if isinstance(node, str):
                text = node
                if self.runs and self.runs[-1][0].endswith(SEP):
                    text = text.lstrip(" \t\r\n\f")  # not U+3000: that is text
                if self.current is None and not text.strip():
                    continue
                if self.current is None:
                    self.start("ul" if not self.lists else self.lists[-1], len(self.lists))
                self.runs.append((text.replace("\n", " "), *self.style))
                continue
            self.element(node)

    def element(self, node: Element) -> None:
        tag = node.tag
        if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6"):
            if not (tag == "p" and self.lists and self.current is not None and not self.runs):
                self.start(tag if tag != "p" else ("p" if not self.lists else self.lists[-1]), len(self.lists))
            self.walk(node.children)
            self.close()
        elif tag in ("ul", "ol"):
            self.close()
            self.lists.append(tag)
            self.walk(node.children)
            self.close()
            self.lists.pop()
        elif tag == "li":
            self.start(self.lists[-1], len(self.lists))
            self.walk(node.children)
            self.close()
        elif tag == "blockquote":
            self.close()
            self.quote += 1
            self.walk(node.children)
            self.close()
            self.quote -= 1
        elif tag == "br":
            self.runs.append((SEP, *self.style))
        elif tag == "img":
            self.runs.append(("<img>", node.get("src"), node.get("alt")))
        else:
            saved = self.style
            bold, italic, code, href = saved
            if tag == "strong":
                bold = True
            elif tag == "em":
                italic = True
            elif tag == "code":
                code = True
            elif tag == "a":
                href = node.get("href")
            self.style = (bold, italic, code, href)
            if tag == "code":
                self.runs.append((node.text(), *self.style))
            else:
                self.walk(node.children)
            self.style = saved
