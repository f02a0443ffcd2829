"""QTextDocument → the Markdown body we store (never ``QTextDocument.toMarkdown()``).

Blocks are separated by a blank line; ``## ``/``### `` subheadings; ``- `` and ``1. `` list
items, nested by four spaces; ``> `` quotes; four-space code blocks; ``---`` rules; pipe
tables; a photo on a line of its own as ``![alt](photo:<sha256>)``. Inline text goes
through :func:`dayuan_desktop.core.interchange.markdown_inline.inline_markdown` (the
escaping the portal-page importer already proves against python-markdown), so the text
python-markdown shows is the document's text: nothing is read as markup, no space is
ever put between two CJK characters, and a hard line break (U+2028) becomes ``"  \\n"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtGui import QFont, QTextBlock, QTextDocument, QTextTable

from dayuan_desktop.core.interchange.html_tree import Element
from dayuan_desktop.core.interchange.markdown_inline import inline_markdown
from dayuan_desktop.ui.editor.body_formats import (
    LINE_SEPARATOR,
    OBJECT_CHAR,
    PHOTO_SCHEME,
    image_alt,
    image_title,
    is_code_block,
    is_numbered,
    is_rule,
    quote_level,
    table_spans,
    text_list_of,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\r\n]")  # python-markdown uses \x02/\x03 itself
_BREAK = object()  # a hard line break between two inline atoms
# Text with none of these, and not starting like a block marker, is its own Markdown.
_NEEDS_CARE = re.compile(r"[\\`*_\[\]<>&|#!:~=\t\x00-\x1f\x7f\u2028\ufffc]")
_RISKY_START = re.compile(r"[ >+=-]|\d+[.)]")
_AMPERSAND = "\x01"  # stands for "&" of "&#" while inline_markdown escapes (control characters are dropped)
# python-markdown takes a line "[id]: url" for a link definition, even when "[" opens a link
# whose text starts with "]:" ("[\\]:](url)"): an entity for the colon keeps it a link.
# (The reader drops the empty <span> used when the colon is in a code span.)
_DEFINITION_LIKE = re.compile(r"^([ ]{0,3}\[[^\[\]\n]*\]):", re.MULTILINE)
# A line that is only "1.", "-", "+" or "===" before a hard break would start a list or make
# the line above a heading; inline_markdown escapes such a line only when nothing follows it.
_BARE_MARKER = re.compile(r"^([ ]*)(?:(\d+)\.|([-+])|(=+))(  )$", re.MULTILINE)


@dataclass
class _Atom:
    """A run of text with one set of formats, or an image."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    title: str = ""
    image: Element | None = None
    photo: bool = False


@dataclass
class _Unit:
    """One piece of Markdown: a block's lines, how deep it is quoted, and what it may follow."""

    text: str
    quote: int
    kind: str = "p"  # p, list, code
    depth: int = 0  # of a list item
    numbered: bool = False
    joins: bool = False  # a list item that continues the list above (no blank line before it)


def document_to_markdown(document: QTextDocument) -> str:
    """The document as a Markdown body (ending with one line break, or "" when empty)."""
    units: list[_Unit] = []
    depths: list[list] = []  # [depth, numbered, next number, quote] of the items just above, outermost first
    tables = table_spans(document)
    block = document.begin()
    while block.isValid():
        table = next((t for first, last, t in tables if first <= block.position() <= last), None)
        if table is not None:
            units.append(_Unit(_table(table), quote_level(block.blockFormat())))
            depths = []
            block = table.lastCursorPosition().block().next()
            continue
        units.extend(_block_units(block, depths))
        block = block.next()
    return _joined(units)


def _plain_paragraph(block: QTextBlock, fmt) -> str | None:
    """The Markdown of a paragraph of plain text that needs no escaping (most of a news body), or None.

    A shortcut only: it gives what the general path would (the round-trip tests cover both).
    """
    if fmt.headingLevel() or quote_level(fmt) or is_code_block(fmt) or is_rule(fmt) or fmt.objectIndex() >= 0:
        return None
    text = block.text()
    if not text or text != text.strip() or _NEEDS_CARE.search(text) or _RISKY_START.match(text):
        return None
    it = block.begin()
    while not it.atEnd():
        char = it.fragment().charFormat()
        it += 1
        if char.isImageFormat() or char.isAnchor() or char.fontItalic() or char.fontFixedPitch() \
                or char.fontWeight() > QFont.Weight.Medium:
            return None
    return text


def _block_units(block: QTextBlock, depths: list) -> list[_Unit]:
    fmt = block.blockFormat()
    plain = _plain_paragraph(block, fmt)
    if plain is not None:
        depths.clear()
        return [_Unit(plain, 0)]
    quote = quote_level(fmt)
    if is_code_block(fmt):
        depths.clear()
        return [_Unit("    " + _CONTROL.sub("", block.text()).replace(LINE_SEPARATOR, " "), quote, "code")]
    if is_rule(fmt) and not block.text().strip():
        depths.clear()
        return [_Unit("---", quote)]
    units = []
    lines: list[list[_Atom | object]] = [[]]
    for atom in _atoms(block):
        if atom is not _BREAK and atom.photo:  # a photo is always a line of its own, or the pipeline would not see it
            units.append(_lines_unit(lines, block, quote, depths))
            # At the top level (not quoted): core.render only makes a figure of a photo line there.
            units.append(_Unit(_photo_line(atom.image), 0))
            depths.clear()
            lines = [[]]
        elif atom is _BREAK:
            lines.append([])
        else:
            lines[-1].append(atom)
    units.append(_lines_unit(lines, block, quote, depths))
    return [unit for unit in units if unit is not None]


def _lines_unit(lines: list[list], block: QTextBlock, quote: int, depths: list) -> _Unit | None:
    """The Markdown of a block's text lines (two breaks in a row start a new paragraph)."""
    paragraphs: list[list[list]] = [[]]
    for line in lines:
        if not any(atom.image is not None or atom.text.strip(" \t") for atom in line):
            if paragraphs[-1]:
                paragraphs.append([])  # an empty line: Markdown's paragraph break
            continue
        paragraphs[-1].append(line)
    texts = [_inline(p) for p in paragraphs if p]
    if not texts:
        return None
    heading = block.blockFormat().headingLevel()
    text_list = text_list_of(block)
    if text_list is not None:
        list_fmt = text_list.format()
        if depths and depths[-1][3] != quote:
            depths.clear()  # a list in another quote level is another list
        # Markdown nests one level at a time: an item never goes deeper than one below the last.
        depth = min(max(list_fmt.indent(), 1), (depths[-1][0] + 1) if depths else 1)
        numbered = is_numbered(list_fmt)
        # Items in a row at one depth make one Markdown list (python-markdown joins them anyway),
        # numbered on from the first one's start.
        same = len(depths) >= depth and depths[depth - 1][1] == numbered
        joins = same or depth > len(depths)
        number = depths[depth - 1][2] if same else list_fmt.start()
        del depths[depth - 1 :]
        depths.append([depth, numbered, number + 1, quote])
        marker = f"{number}. " if numbered else "- "
        pad = "    " * (depth - 1)
        body = "\n\n".join(texts).replace("\n", "\n" + pad + "    ")
        return _Unit(pad + marker + body, quote, "list", depth, numbered, joins)
    depths.clear()
    if heading:
        text = _one_line(" ".join(texts))
        backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
        if text.endswith("#") and backslashes % 2 == 0:  # a closing run of '#' would be taken for decoration
            text = text[:-1] + "\\#"
        return _Unit("#" * heading + " " + text, quote)
    return _Unit("\n\n".join(texts), quote)


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"  # as core.render
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])(?:  )?\n(?=[{_CJK}])")


def _one_line(text: str) -> str:
    """Inline Markdown on one line (headings, table cells): a break between CJK characters
    goes away, any other becomes a space."""
    return _CJK_BREAK.sub("", text).replace("  \n", " ").replace("\n", " ")


def _atoms(block: QTextBlock):
    """The block's content as atoms: formatted text runs, images and hard line breaks."""
    heading = block.blockFormat().headingLevel() > 0
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        it += 1
        fmt = fragment.charFormat()
        if fmt.isImageFormat():
            image = fmt.toImageFormat()
            src = image.name()
            attrs = {"alt": _CONTROL.sub(" ", image_alt(fmt)), "src": src}
            if image_title(fmt):
                attrs["title"] = _CONTROL.sub(" ", image_title(fmt))
            for _ in fragment.text():  # equal images next to each other share a fragment
                yield _Atom(image=Element("img", dict(attrs), None, 0), photo=src.startswith(PHOTO_SCHEME))
            continue
        style = {
            # A heading is bold already; weight there is only its look.
            "bold": fmt.fontWeight() > QFont.Weight.Medium and not heading,
            "italic": fmt.fontItalic(),
            "code": fmt.fontFixedPitch(),
            "href": (fmt.anchorHref() or None) if fmt.isAnchor() else None,
            "title": fmt.toolTip() if fmt.isAnchor() else "",
        }
        text = _CONTROL.sub("", fragment.text()).replace(OBJECT_CHAR, "")
        if style["code"]:
            text = text.replace("\t", " ")  # python-markdown expands a tab in a code span to spaces
        # python-markdown reads "&#12" as a character reference (even in a code span), and a bare
        # "&#" confuses its raw-HTML parser for the rest of the body: mark the ampersand, written
        # as &amp; below (a code span holding one is written as HTML, see _nested).
        text = text.replace("&#", _AMPERSAND + "#")
        for index, piece in enumerate(text.split(LINE_SEPARATOR)):
            if index:
                yield _BREAK
            if piece:
                yield _Atom(text=piece, **style)


def _inline(lines: list[list[_Atom]]) -> str:
    """Lines of atoms as Markdown inline content (joined by hard breaks)."""
    nodes: list[Element | str] = []
    for index, line in enumerate(lines):
        line = _stripped(line)
        if index:
            nodes += [Element("br", {}, None, 0), "\n"]
        nodes += _nested(line)
    text = _BARE_MARKER.sub(_inert_marker, inline_markdown(nodes)).replace(_AMPERSAND, "&amp;")
    return _DEFINITION_LIKE.sub(_not_a_definition, text)


def _inert_marker(match: re.Match) -> str:
    lead, number, sign, equals, brk = match.groups()
    if number is not None:
        return f"{lead}{number}\\.{brk}"
    if sign is not None:
        return f"{lead}\\{sign}{brk}"
    return f"{lead}&#61;{equals[1:]}{brk}"


def _not_a_definition(match: re.Match) -> str:
    if "`" in match.group(1):  # the colon is inside a code span, where an entity shows as typed
        return "<span></span>" + match.group(0)  # an empty inline tag: the line no longer starts with "["
    return match.group(1) + "&#58;"


def _stripped(line: list[_Atom]) -> list[_Atom]:
    """A line without spaces at its two ends (Markdown cannot keep them)."""
    line = [_Atom(**vars(atom)) for atom in line]
    while line and line[0].image is None and not line[0].text.lstrip(" \t"):
        line.pop(0)
    while line and line[-1].image is None and not line[-1].text.rstrip(" \t"):
        line.pop()
    if line and line[0].image is None:
        line[0].text = line[0].text.lstrip(" \t")
    if line and line[-1].image is None:
        line[-1].text = line[-1].text.rstrip(" \t")
    return line


_LAYERS = (
    ("href", lambda a: (a.href, a.title), lambda key: Element("a", _link_attrs(*key), None, 0)),
    ("bold", lambda a: a.bold, lambda key: Element("strong", {}, None, 0)),
    ("italic", lambda a: a.italic, lambda key: Element("em", {}, None, 0)),
    ("code", lambda a: a.code, lambda key: Element("code", {}, None, 0)),
)


def _link_attrs(href: str | None, title: str) -> dict[str, str]:
    return {"href": href or "", **({"title": title} if title else {})}


def _nested(atoms: list[_Atom], layer: int = 0) -> list[Element | str]:
    """Atoms as HTML-tree nodes: links outermost, then bold, italic and code, each run grouped."""
    if layer == len(_LAYERS):
        return [atom.image if atom.image is not None else atom.text for atom in atoms]
    name, key_of, make = _LAYERS[layer]
    nodes: list[Element | str] = []
    start = 0
    while start < len(atoms):
        key = key_of(atoms[start])
        end = start
        while end < len(atoms) and key_of(atoms[end]) == key:
            end += 1
        inner = _nested(atoms[start:end], layer + 1)
        on = key[0] is not None if name == "href" else key
        if on and not (name == "code" and any(a.image is not None for a in atoms[start:end])):
            element = make(key)
            element.children = inner
            if name == "code" and any(_AMPERSAND in a.text for a in atoms[start:end]):
                element.children = [*inner, Element("span", {}, None, 0)]  # not a `span`: raw <code>
            nodes.append(element)
        else:
            nodes += inner
        start = end
    return nodes


def _photo_line(image: Element) -> str:
    # core.render's PHOTO_LINE takes the alt literally up to the first "]": keep it to one line
    # without "]" (the full-width bracket reads the same in Chinese text).
    alt = image.get("alt").replace("]", "］").replace("\n", " ").strip()
    return f"![{alt}]({image.get('src')})"


def _table(table: QTextTable) -> str:
    rows = []
    for r in range(table.rows()):
        cells = []
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            first, last = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
            texts = []
            block = first
            while block.isValid():
                lines: list[list] = [[]]
                for atom in _atoms(block):
                    if atom is _BREAK:
                        lines.append([])
                    else:
                        lines[-1].append(atom)
                texts.append(_one_line(_inline(lines)))
                if block == last:
                    break
                block = block.next()
            cells.append(" ".join(t for t in texts if t))  # inline_markdown escapes "|" already
        rows.append("| " + " | ".join(cells) + " |")
    rows.insert(1, "| " + " | ".join(["---"] * table.columns()) + " |")
    return "\n".join(rows)


def _joined(units: list[_Unit]) -> str:
    out: list[str] = []
    previous: _Unit | None = None
    for unit in units:
        if previous is not None:
            tight = unit.quote == previous.quote and (
                (unit.kind == previous.kind == "code")
                or (
                    # List items follow each other; with sane_lists the other kind of list at the
                    # same depth starts after a blank line.
                    unit.kind == previous.kind == "list" and unit.joins
                )
            )
            if tight:
                out.append("\n")
            elif unit.quote and unit.quote == previous.quote:
                out.append("\n" + ("> " * unit.quote).rstrip() + "\n")
            else:
                out.append("\n\n")
        prefix = "> " * unit.quote
        # A blank line keeps only its quote marks; other lines keep their ends (a hard break's two spaces).
        out.append("\n".join(prefix + line if line.strip() else prefix.rstrip() for line in unit.text.split("\n")))
        previous = unit
    text = "".join(out)
    return text + "\n" if text else ""
