"""A small, forgiving HTML tree built with the standard library's ``html.parser``.

Enough for reading pages back (the portal's own exports and pages of the same shape):
elements with attributes, text, the source span of each element, and the usual
implied end tags (``p`` before a block, ``li`` before ``li``, cells and rows).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

from dayuan_desktop.core.errors import ValidationError

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK = {
    "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "dd", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "table", "ul", "tbody", "thead", "tfoot", "tr", "td", "th",
    "body", "html", "caption",
}
MAX_DEPTH = 256

class Element:
    """One element: tag, attributes, children (elements and text strings) and where it sits in the source."""

    __slots__ = ("tag", "attrs", "children", "parent", "start", "open_end", "end")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None, start: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Element | str] = []
        self.parent = parent
        self.start = start  # offset of "<tag" in the source
        self.open_end = start  # offset just after the start tag
        self.end: int | None = None  # offset just after the end tag; None when never closed

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set(self.get("class").split())

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        stack = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed([c for c in element.children if isinstance(c, Element)]))

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element | None:
        return next(self.find_all(tag, cls, **attrs), None)

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Iterator[Element]:
        for element in self.iter():
            if tag is not None and element.tag != tag:
                continue
            if cls is not None and cls not in element.classes:
                continue
            if any(element.attrs.get(name) != value for name, value in attrs.items()):
                continue
            yield element

    def text(self) -> str:
        """The text inside the element (tags dropped, entities decoded)."""
        parts: list[str] = []
        stack: list[Element | str] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                parts.append(node)
            else:
                stack.extend(reversed(node.children))
        return "".join(parts)

    def __repr__(self) -> str:
        return f"<Element {self.tag} {self.attrs!r}>"


class Document:
    """A parsed page: its root element, its source text, and whether the source ended properly."""

    def __init__(self, root: Element, source: str, saw_html_end: bool) -> None:
        self.root = root
        self.source = source
        self.saw_html_end = saw_html_end

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element | None:
        return self.root.find(tag, cls, **attrs)

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Iterator[Element]:
        return self.root.find_all(tag, cls, **attrs)

    def source_of(self, element: Element) -> str | None:
        """The exact source text of an element, start tag to end tag (None when it was never closed)."""
        return None if element.end is None else self.source[element.start : element.end]

    def inner_source(self, element: Element) -> str | None:
        """The source text between an element's start and end tags."""
        outer = self.source_of(element)
        if outer is None:
            return None
        close_start = self.source.rindex("<", element.open_end, element.end)
        return self.source[element.open_end : close_start]


class _TreeBuilder(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", source)]
        self.root = Element("#document", {}, None, 0)
        self.stack = [self.root]
        self.saw_html_end = False

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    @property
    def current(self) -> Element:
        return self.stack[-1]

    def _open_index(self, tag: str, stop: Callable[[Element], bool] = lambda e: False) -> int | None:
        for index in range(len(self.stack) - 1, 0, -1):
            element = self.stack[index]
            if element.tag == tag:
                return index
            if stop(element):
                return None
        return None

    def _close_implied(self, tag: str) -> None:
        if tag in BLOCK:
            index = self._open_index("p", stop=lambda e: e.tag in {"td", "th", "li", "blockquote", "div"})
            if index is not None:
                del self.stack[index:]
        if tag == "li":
            index = self._open_index("li", stop=lambda e: e.tag in {"ul", "ol"})
            if index is not None:
                del self.stack[index:]
        elif tag in ("td", "th", "tr"):
            cell = self._open_index("td", stop=lambda e: e.tag in {"tr", "table"})
            cell = cell if cell is not None else self._open_index("th", stop=lambda e: e.tag in {"tr", "table"})
            if cell is not None:
                del self.stack[cell:]
            if tag == "tr":
                row = self._open_index("tr", stop=lambda e: e.tag == "table")
                if row is not None:
                    del self.stack[row:]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current, self._offset())
        element.open_end = element.start + len(self.get_starttag_text() or "")
        self.current.children.append(element)
        if tag in VOID:
            element.end = element.open_end
            return
        if len(self.stack) > MAX_DEPTH:
            raise ValidationError(f"the page nests elements more than {MAX_DEPTH} deep")
        self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            element = self.stack.pop()
            element.end = element.open_end

    def handle_endtag(self, tag: str) -> None:
        if tag == "html":
            self.saw_html_end = True
        index = self._open_index(tag)
        if index is None:
            return
        start = self._offset()
        close = self.source.find(">", start)
        self.stack[index].end = (close + 1) if close >= 0 else len(self.source)
        del self.stack[index:]

    def handle_data(self, data: str) -> None:
        children = self.current.children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def parse_html(source: str) -> Document:
    """Parse a whole page (never raises on broken markup, except for absurd nesting)."""
    builder = _TreeBuilder(source)
    builder.feed(source)
    builder.close()
    return Document(builder.root, source, builder.saw_html_end)

