"""The body of a portal page (sanitised HTML) back to the Markdown the render pipeline reads.

The aim is the inverse of :func:`dayuan_desktop.core.render.render_body`: Markdown that
renders to the same bytes. Paragraphs, ``##``–``######`` headings, bold, italic, links,
inline code, lists (tight and loose, nested), quotes, tables, rules and code blocks become
plain Markdown; the portal's figure markup (``<p class="photo"><img …></p>`` then
``<p class="caption">…</p>``) becomes a photo line through a callback. The Markdown of an
exported page is checked by rendering it again; when it does not come out the same, each
block is checked on its own, and the rare one whose Markdown would not render back (odd
nesting Python-Markdown made of odd input) is kept as raw HTML, which the pipeline passes
through its sanitiser unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dayuan_desktop.core.interchange.html_tree import Document, Element
from dayuan_desktop.core.interchange.markdown_inline import ASCII_SPACE, inline_markdown
from dayuan_desktop.core.paragraph_indent import strip_paragraph_indent
from dayuan_desktop.core.render import render_body, sanitize_html

# (img element, caption line) -> the Markdown photo line, e.g. "![caption](photo:<sha256>)"
PhotoLine = Callable[[Element, str], str]
Node = Element | str

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
CONTAINERS = {"div", "section", "article", "main", "center", "header", "footer", "figure"}
BLOCKS = {"p", "ul", "ol", "blockquote", "pre", "table", "hr", *HEADINGS, *CONTAINERS}
_ALIGN = {"left": ":---", "right": "---:", "center": ":---:"}


def _blank(node: Node) -> bool:
    return isinstance(node, str) and not node.strip(ASCII_SPACE)


def _visible(node: Node) -> bool:
    return not _blank(node)


def _lines(run: list[Node]) -> list[list[Node]]:
    """Inline content cut at its line breaks (a break inside an element stays in its line)."""
    lines: list[list[Node]] = [[]]
    for node in run:
        if isinstance(node, Element):
            lines[-1].append(node)
            continue
        first, *more = node.split("\n")
        if first:
            lines[-1].append(first)
        for piece in more:
            lines.append([piece] if piece else [])
    return lines


def _is_block(node: Node) -> bool:
    return isinstance(node, Element) and node.tag in BLOCKS


def _elements(node: Element) -> list[Element]:
    return [c for c in node.children if isinstance(c, Element)]


def _heading(level: int, text: str) -> str:
    if text.endswith("#"):  # a closing run of '#' would be taken for decoration
        text = text[:-1] + "\\#"
    return "#" * level + " " + text


def _unindented(children: list[Node]) -> list[Node]:
    """A paragraph from elsewhere without its "　　" indentation, which the page would not show
    (core.paragraph_indent); this app's own pages never hold any but what an editor asked for."""
    if children and isinstance(children[0], str):
        return [strip_paragraph_indent(children[0]), *children[1:]]
    return children


def _indented(block: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in block.split("\n"))


class BlockWriter:
    """Writes block elements as Markdown.

    ``exact`` (pages this app exported): inline content standing bare between blocks, on a
    line of its own, is what the pipeline leaves of a level-1 heading (``h1`` belongs to the
    page title, so the sanitiser drops it from bodies): it is written back as ``# …``.
    """

    def __init__(self, exact: bool) -> None:
        self.exact = exact

    def block(self, node: Element) -> str:
        """One block element (and what it holds) as Markdown."""
        tag = node.tag
        if tag in HEADINGS:
            return _heading(HEADINGS[tag], inline_markdown(node.children).replace("\n", " "))
        if tag in ("ul", "ol"):
            return self.list(node)
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(node.children))
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if tag == "pre":
            code = node.find("code")
            text = (code or node).text()
            return _indented(text[:-1] if text.endswith("\n") else text)
        if tag == "table":
            return self.table(node)
        if tag == "hr":
            return "---"
        if tag in CONTAINERS:
            return "\n\n".join(self.blocks(node.children))
        return inline_markdown(node.children if self.exact else _unindented(node.children))

    def heading_remnant(self, run: list[Node]) -> bool:
        """Is this bare inline run, alone on its line, what is left of a level-1 heading?"""
        if not self.exact or not run or not isinstance(run[0], str) or not isinstance(run[-1], str):
            return False
        return run[0].startswith("\n") and run[-1].endswith("\n") and "\n" not in inline_markdown(run)

    def blocks(self, nodes: list[Node], *, top: bool = False) -> list[str]:
        """A sequence of blocks; inline content between them becomes a paragraph (or a heading)."""
        out: list[str] = []
        run: list[Node] = []

        def flush() -> None:
            if top and self.exact:  # each line a heading's remnant (several headings in a row)
                out.extend(_heading(1, inline_markdown(line)) for line in _lines(run) if any(map(_visible, line)))
            elif any(map(_visible, run)):
                text = inline_markdown(run)
                out.append(_heading(1, text) if self.heading_remnant(run) else text)
            run.clear()

        for node in nodes:
            if _is_block(node):
                flush()
                out.append(self.block(node))
            else:
                run.append(node)
        flush()
        return [part for part in out if part]

    def starts_with_block(self, li: Element) -> bool:
        content = [c for c in li.children if not _blank(c)]
        if not content:
            return False
        first = content[0]
        if isinstance(first, Element):
            return first.tag in BLOCKS - {"ul", "ol"}
        run = []
        for node in li.children[li.children.index(first) :]:
            if _is_block(node):
                break
            run.append(node)
        return self.heading_remnant(run)

    def list(self, node: Element) -> str:
        items = [c for c in _elements(node) if c.tag == "li"]
        try:
            number = int(node.get("start") or 1) if node.tag == "ol" else 0
        except ValueError:
            number = 1
        # A blank line between two items makes both "loose" (their text in <p>).
        loose = [self.starts_with_block(li) for li in items]
        lines: list[str] = []
        for index, li in enumerate(items):
            marker = f"{number + index}. " if node.tag == "ol" else "- "
            if index and loose[index] and loose[index - 1]:
                lines.append("")
            first, *rest = self.item_blocks(li, loose[index]) or [""]
            lines.append(marker + first)
            for block in rest:
                if loose[index]:
                    lines.append("")
                lines.append(_indented(block))
        return "\n".join(lines)

    def item_blocks(self, li: Element, loose: bool) -> list[str]:
        """A list item's blocks: the first follows the marker, the others are indented below it."""
        if loose:
            return self.blocks(li.children)
        # A tight item: its text, then any nested lists right below it (no blank line).
        text_nodes: list[Node] = []
        nested: list[str] = []
        for child in li.children:
            if _is_block(child):
                nested.append(self.block(child))
            elif not nested:
                text_nodes.append(child)
        text = inline_markdown(text_nodes)
        return [_heading(1, text) if self.heading_remnant(text_nodes) else text, *nested]

    def table(self, node: Element) -> str:
        rows = [row for row in node.iter() if row.tag == "tr"]
        if not rows:
            return ""

        def cells(row: Element) -> list[str]:
            return [inline_markdown(c.children).replace("\n", " ") for c in _elements(row) if c.tag in ("th", "td")]

        header = cells(rows[0])
        aligns = [_ALIGN.get(c.get("align"), "---") for c in _elements(rows[0]) if c.tag in ("th", "td")]
        lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
        lines += ["| " + " | ".join(cells(row)) + " |" for row in rows[1:]]
        return "\n".join(lines)


# -- the body of a page ------------------------------------------------------------------------


@dataclass
class BodyResult:
    """The Markdown of a page body, and how many blocks could only be kept as raw HTML."""

    markdown: str
    raw_blocks: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Item:
    """One top-level piece of the body: its Markdown, what separates it from the next one, and
    (for a block element) the element, or (for a photo) the figure's markup in the page."""

    markdown: str
    node: Element | None = None
    figure: str | None = None
    raw: bool = False
    following: str = ""  # the white space after the element in the page

    @property
    def separator(self) -> str:
        # Python-Markdown ends a raw HTML block with what followed it in the source.
        return "\n" if self.raw and self.following == "\n" else "\n\n"


def exported_fragment(document: Document, content: Element) -> str:
    """The body's HTML as the export wrote it: the content element's inner source, without the
    line break the template puts on each side."""
    shown = document.inner_source(content) or ""
    shown = shown[1:] if shown.startswith("\n") else shown
    return shown[:-1] if shown.endswith("\n") else shown


def body_to_markdown(
    document: Document,
    content: Element,
    photo_line: PhotoLine,
    *,
    own_export: bool = True,
    render: Callable[[str], str] | None = None,
) -> BodyResult:
    """The children of the page's ``div.article-content`` as a Markdown body.

    ``own_export``: the page was written by this app's export, so photos are exactly the
    ``p.photo`` paragraphs and the Markdown is checked by rendering it again (``render``,
    given the photos the photo lines name; by default the page's own figure markup stands in
    for them). When the body does not come out the same, each block is checked and one that
    does not is kept as raw HTML (see :class:`BlockWriter` for bare text). Otherwise (a page
    of the same shape from elsewhere) any paragraph holding just an image is a photo and bare
    text a paragraph.
    """
    writer = BlockWriter(exact=own_export)
    items = _items(writer, document, content, photo_line, bare_images=not own_export)
    result = BodyResult("")

    def joined(*, figures: bool = False) -> str:
        parts = (item.figure if figures and item.figure is not None else item.markdown for item in items)
        return "".join(part + item.separator for part, item in zip(parts, items, strict=True))

    if own_export:
        shown = exported_fragment(document, content)
        again = render(joined()) if render else _render(joined(figures=True))
        if again != shown:
            for item in items:
                if item.node is not None:
                    item.markdown, item.raw = _checked_block(document, item.node, item.markdown, result)
            again = render(joined()) if render else _render(joined(figures=True))
        if again != shown:
            at = next((n for n, (a, b) in enumerate(zip(again, shown, strict=False)) if a != b), len(again))
            line = shown.count("\n", 0, at) + 1
            result.warnings.append(f"the body will not export exactly as on this page (from line {line} of the body)")
    result.markdown = joined().rstrip("\n") + ("\n" if items else "")
    return result


def _items(
    writer: BlockWriter, document: Document, content: Element, photo_line: PhotoLine, *, bare_images: bool
) -> list[_Item]:
    items: list[_Item] = []
    nodes = _flatten(content.children)
    index = 0
    while index < len(nodes):
        node = nodes[index]
        index += 1
        if _blank(node):
            continue
        if isinstance(node, Element) and _is_photo_paragraph(node, bare=bare_images):
            img = node.find("img")
            caption, index, last = _caption_after(nodes, index, img)
            figure = document.source[node.start : last.end] if last.end is not None else None
            items.append(_Item(photo_line(img, caption), figure=figure))
        elif _is_block(node):
            following = nodes[index] if index < len(nodes) and isinstance(nodes[index], str) else ""
            following = following[: len(following) - len(following.lstrip(ASCII_SPACE))]
            items.append(_Item(writer.block(node), node=node, following=following))
        else:
            run = [node]
            while index < len(nodes) and not _is_block(nodes[index]):
                run.append(nodes[index])
                index += 1
            items += [_Item(text) for text in writer.blocks(run, top=True)]
    return items


def _flatten(nodes: list[Node]) -> list[Node]:
    """Containers without meaning of their own (div, section…) replaced by their content."""
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, Element) and node.tag in CONTAINERS:
            flat.extend(_flatten(node.children))
        else:
            flat.append(node)
    return flat


def _is_photo_paragraph(node: Element, *, bare: bool) -> bool:
    if node.tag != "p" or not ("photo" in node.classes or (bare and not node.classes)):
        return False
    content = [c for c in node.children if not _blank(c)]
    return len(content) == 1 and isinstance(content[0], Element) and content[0].tag == "img"


def _caption_after(nodes: list[Node], index: int, img: Element) -> tuple[str, int, Element]:
    """The caption line of a photo (the next paragraph when it is the caption, else the alt text),
    where to go on, and the figure's last element."""
    photo = nodes[index - 1]
    look = index
    while look < len(nodes) and _blank(nodes[look]):
        look += 1
    if look < len(nodes) and isinstance(nodes[look], Element) and nodes[look].tag == "p":
        candidate = nodes[look]
        text = candidate.text().strip()
        if "caption" in candidate.classes or (text and text == img.get("alt").strip()):
            return text, look + 1, candidate
    return img.get("alt").strip(), index, photo


def _render(markdown: str) -> str:
    return render_body(markdown, {}, lambda photo: "")


def _checked_block(document: Document, node: Element, markdown: str, result: BodyResult) -> tuple[str, bool]:
    """A block's Markdown, or its raw HTML when the Markdown would not render back the same."""
    source = document.source_of(node)
    if source is None or sanitize_html(source) != source:
        return markdown, False  # not in the sanitiser's form, so not an export: best effort
    if _render(markdown) == source:
        return markdown, False
    if _render(source) == source:
        result.raw_blocks += 1
        return source, True
    return markdown, False
