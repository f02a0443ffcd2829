"""Inline HTML (text, emphasis, links, code, breaks) as the Markdown the render pipeline reads.

Text is escaped just enough that Python-Markdown shows it literally: emphasis and code
markers, brackets that could make links, ``<`` before a tag-like word, entities, and
line starts that would turn into headings, quotes, lists, rules or link definitions.
Anything Markdown cannot say (``<u>``, ``<sup>``, a link without ``href``…) is written
as inline HTML, which the pipeline's sanitiser keeps exactly.
"""

from __future__ import annotations

import re
from html import escape

from dayuan_desktop.core.interchange.html_tree import Element

RAW_INLINE = {"b", "i", "u", "s", "del", "sup", "sub"}
ASCII_SPACE = " \t\n\r\f"
_ENTITY_LIKE = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z0-9]+;)")
_MARKDOWN_ESCAPABLE = set("\\`*_{}[]()>#+-.!|")
_SPECIAL = re.compile(r"[\\`*_\[\]|<\t]")
_LINE_START = re.compile(
    r"^(?P<lead>[^\S\n]*)(?:(?P<mark>[#>]|[-+](?=\s|$|-)|=+[ ]*$)|(?P<num>\d+)\.(?=\s|$))", re.MULTILINE
)
_EDGE_SPACE = re.compile(r"^[^\S\n]+|[^\S\n]+$", re.MULTILINE)
_HARD_BREAK = "\x00br\x00"
_PROTECTED = re.compile("\x00([0-9]+)\x00")
_SIMPLE_URL = re.compile(r'^[^\s<>()"\\\x00-\x1f]+$')
_UNSAFE_ALT = re.compile(r"[`\\\[\]*_<>&\n\x00-\x1f]")


def _entities(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


def _at_line_start(text: str, at: int) -> bool:
    """Only spaces between the start of the text (or a line break) and ``at``?"""
    before = at - 1
    while before >= 0 and text[before] == " ":
        before -= 1
    return before < 0 or text[before] == "\n"


def escape_text(text: str, *, in_link: bool = False) -> str:
    """Plain text as Markdown that shows exactly that text (line starts are fixed per block).

    ``in_link``: the text of a link, where every bracket counts towards closing it.
    """
    text = _ENTITY_LIKE.sub("&amp;", text)

    def fix(match: re.Match) -> str:
        char, at = match.group(0), match.start()
        after = text[at + 1] if at + 1 < len(text) else ""
        before = text[at - 1] if at else ""
        if char == "\t":
            return "&#9;"
        if char == "<":
            return char if after.isspace() else "&lt;"
        if char == "_" and before.isalnum() and after.isalnum():
            return char  # inside a word: never emphasis in Python-Markdown
        if char == "]" and after and after not in "([" and not in_link:
            return char
        if char == "[" and not _at_line_start(text, at) and not in_link:
            return char  # only a "[id]: url" line is special
        if char == "\\" and after and after not in _MARKDOWN_ESCAPABLE:
            return char
        return "\\" + char

    return _SPECIAL.sub(fix, text)


def _inert_line_starts(markdown: str) -> str:
    """Keep a block's lines from turning into headings, quotes, lists, rules or link definitions."""

    def fix(match: re.Match) -> str:
        lead, mark = match.group("lead"), match.group("mark")
        if mark is None:
            return lead + match.group("num") + "\\."
        return lead + ("&#61;" + mark[1:] if mark[0] == "=" else "\\" + mark)

    markdown = _LINE_START.sub(fix, markdown)
    markdown = _EDGE_SPACE.sub(lambda m: _entities(m.group(0)), markdown)
    return markdown.replace(_HARD_BREAK, "  ")


def _attributes(element: Element) -> str:
    parts = []
    for name, value in element.attrs.items():
        value = escape(value, quote=True)
        parts.append(f' {name}="{value}"')
    return "".join(parts)


class _Inline:
    """Writes inline content as Markdown, remembering what the output ends with.

    Code spans are kept aside (``protected``) so the line-start fixes never reach into them.
    """

    def __init__(self, protected: list[str] | None = None, *, in_link: bool = False) -> None:
        self.parts: list[str] = []
        self.protected = protected if protected is not None else []
        self.in_link = in_link

    def protect(self, text: str) -> str:
        self.protected.append(text)
        return f"\x00{len(self.protected) - 1}\x00"

    def ends_with(self, chars: str) -> bool:
        for part in reversed(self.parts):
            if part:
                return part[-1] in chars and not part.endswith("\x00")
        return False

    def write(self, nodes: list[Element | str]) -> None:
        for index, node in enumerate(nodes):
            if isinstance(node, str):
                self.parts.append(escape_text(node, in_link=self.in_link))
            else:
                following = nodes[index + 1] if index + 1 < len(nodes) else None
                self.element(node, following)

    def element(self, node: Element, following: Element | str | None) -> None:
        tag = node.tag
        if tag in ("strong", "em"):
            self.emphasis(node, "**" if tag == "strong" else "*")
        elif tag == "a":
            self.link(node)
        elif tag == "code":
            self.code(node)
        elif tag == "br":
            soft = isinstance(following, str) and following.startswith("\n")
            self.parts.append(_HARD_BREAK if soft else "<br>")
        elif tag == "img":
            self.image(node)
        elif tag in RAW_INLINE:
            self.raw(node)
        else:  # anything else (span, font, a stray block inside a paragraph): its content
            self.write(node.children)

    def inner(self, node: Element) -> str:
        writer = _Inline(self.protected, in_link=self.in_link or node.tag == "a")
        writer.write(node.children)
        return "".join(writer.parts)

    def raw(self, node: Element) -> None:
        self.parts.append(f"<{node.tag}{_attributes(node)}>{self.inner(node)}</{node.tag}>")

    def emphasis(self, node: Element, marker: str) -> None:
        both = marker == "**" and len(node.children) == 1 and isinstance(node.children[0], Element)
        if both and node.children[0].tag == "em" and not node.children[0].attrs:
            node, marker = node.children[0], "***"  # <strong><em>x</em></strong> is ***x***
        inner = self.inner(node)
        plain = inner.strip() == inner and inner and inner[0] != "*" and inner[-1] not in "*\\"
        if plain and not self.ends_with("*\\") and not node.attrs:
            self.parts.append(f"{marker}{inner}{marker}")
        elif marker == "***":
            self.parts.append(f"<strong><em>{inner}</em></strong>")
        else:
            self.raw(node)

    def link(self, node: Element) -> None:
        href, title = node.get("href"), node.get("title")
        attrs = set(node.attrs) - {"rel"}
        inner = self.inner(node)
        simple = (
            "href" in attrs and attrs <= {"href", "title"} and _SIMPLE_URL.match(href)
            and '"' not in title and "\n" not in title and inner and not self.ends_with("!\\")
        )
        if simple:
            suffix = f' "{title}"' if "title" in attrs else ""
            self.parts.append(f"[{inner}]({href}{suffix})")
        else:
            kept = {k: v for k, v in node.attrs.items() if k != "rel"}
            shell = Element("a", kept, None, 0)
            self.parts.append(f"<a{_attributes(shell)}>{inner}</a>")

    def code(self, node: Element) -> None:
        text = node.text()
        simple = (
            text and text.strip() == text and all(isinstance(c, str) for c in node.children)
            and "\n\n" not in text and not node.attrs and not self.ends_with("`\\")
        )
        if simple:
            fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
            pad = " " if text[0] == "`" or text[-1] == "`" else ""
            self.parts.append(fence + self.protect(f"{pad}{text}{pad}") + fence)
        else:
            self.raw(node)

    def image(self, node: Element) -> None:
        names = list(node.attrs)
        alt, src, title = node.get("alt"), node.get("src"), node.get("title")
        simple = _SIMPLE_URL.match(src) and not _UNSAFE_ALT.search(alt) and '"' not in title
        if names in (["alt", "src"], ["alt", "src", "title"]) and simple and not self.ends_with("\\"):
            suffix = f' "{title}"' if "title" in node.attrs else ""
            self.parts.append(f"![{alt}]({src}{suffix})")
        else:
            self.parts.append(f"<img{_attributes(node)}>")


def _trimmed(nodes: list[Element | str]) -> list[Element | str]:
    """Inline content without the layout white space (line breaks, indentation) at its two ends.

    Plain spaces there are kept: the pipeline itself leaves them (``text  </p>``).
    """
    nodes = list(nodes)

    def layout(edge: str) -> bool:
        return any(c in edge for c in "\n\r\t\f")

    while nodes and isinstance(nodes[0], str) and not nodes[0].lstrip(ASCII_SPACE):
        if not layout(nodes[0]):
            break
        nodes.pop(0)
    while nodes and isinstance(nodes[-1], str) and not nodes[-1].rstrip(ASCII_SPACE):
        if not layout(nodes[-1]):
            break
        nodes.pop()
    if nodes and isinstance(nodes[0], str):
        rest = nodes[0].lstrip(ASCII_SPACE)
        if rest and layout(nodes[0][: len(nodes[0]) - len(rest)]):
            nodes[0] = rest
    if nodes and isinstance(nodes[-1], str):
        rest = nodes[-1].rstrip(ASCII_SPACE)
        if rest and layout(nodes[-1][len(rest) :]):
            nodes[-1] = rest
    return nodes


def inline_markdown(nodes: list[Element | str]) -> str:
    """Inline content (text, emphasis, links, code…) as the text of one Markdown block."""
    writer = _Inline()
    writer.write(_trimmed(nodes))
    text = _inert_line_starts("".join(writer.parts))
    return _PROTECTED.sub(lambda m: writer.protected[int(m.group(1))], text)
