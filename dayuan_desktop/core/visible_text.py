"""The visible text of an HTML page, line by line, the way the golden reference was taken.

Rules: drop ``head``, ``script``, ``style``, ``noscript``, ``template``, form controls
(``input``, ``select``, ``textarea``) and hidden elements; every block element and ``<br>``
breaks the line; an ``<img>`` gives its ``alt`` as a line of its own; NBSP counts as a
space, runs of white space collapse to one, empty lines are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DROPPED = {"head", "script", "style", "noscript", "template", "select", "textarea", "title"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul", "caption", "legend", "option",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)

    @property
    def hidden(self) -> bool:
        return any(hides for _tag, hides in self.stack)

    def _break(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        hides = (
            tag in _DROPPED
            or "hidden" in attributes
            or _HIDDEN_STYLE.search(attributes.get("style") or "") is not None
            or (tag == "input" and (attributes.get("type") or "").lower() == "hidden")
        )
        if tag in _VOID:
            if self.hidden or hides:
                return
            if tag == "br" or tag == "hr":
                self._break()
            elif tag == "img":
                self._break()
                self.lines[-1] += attributes.get("alt") or ""
                self._break()
            return
        if tag in _BLOCK and not self.hidden:
            self._break()
        self.stack.append((tag, hides))

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if tag in _BLOCK and not self.hidden:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.lines[-1] += data


def visible_lines(html: str) -> list[str]:
    """The page's visible text as a list of non-empty, whitespace-collapsed lines."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    result = []
    for line in parser.lines:
        line = re.sub(r"\s+", " ", line.replace("\xa0", " ")).strip()
        if line:
            result.append(line)
    return result


def reference_lines(text: str) -> list[str]:
    """A reference text file's non-empty lines, normalised the same way."""
    lines = (re.sub(r"\s+", " ", line.replace("\xa0", " ")).strip() for line in text.splitlines())
    return [line for line in lines if line]
