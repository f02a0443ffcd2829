"""Keep raw HTML from swallowing the article's text: every element ends at its paragraph.

An HTML parser reads everything after ``<style>`` (``<script>``, ``<textarea>``, ``<title>``,
``<xmp>``, ``<noembed>``, ``<iframe>``, ``<noscript>``, ``<noframes>``) as that element's text up
to its end tag, everything after ``<plaintext>`` and after an unclosed ``<!--`` to the end of the
page, and a tag whose quote never closes up to the next quote; an unclosed ``<template>``,
``<svg>`` or ``<math>`` holds the rest of the page. The sanitiser then removes that text, so one
stray ``<style>`` in an imported body took every paragraph after it off the page.

:func:`bound_raw_html` runs before the sanitiser and settles each such construct inside its
own paragraph: ``<script>``, ``<style>``, ``<template>``, ``<svg>``, ``<math>`` and comments are
removed with their content, the other raw-text elements keep their content as plain text, and a
tag that does not end in its paragraph is shown as text. The sanitiser still decides what is safe; this only bounds what it can take.
:func:`close_raw_blocks` does the same one step earlier, on the Markdown, for the elements
python-markdown would otherwise take for a raw HTML block running to the body's end.
The tokenizer follows the HTML5 tokenizer's data state (tag names run to white space, ``/`` or
``>``; attribute values may be quoted), so a ``<style>`` inside an attribute value is left alone.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

# Elements removed with their content: what nh3 removes that way (script, style), and those whose
# content the parser puts out of the page's reach or in another language (a <template>'s content
# and everything in an unclosed <svg> or <math> never reached the page; nh3 also drops whatever
# follows a MathML <mglyph> or <malignmark>, wherever it stands).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "svg", "math", "mglyph", "malignmark"})
# Elements whose content an HTML parser reads as text, not markup, up to their end tag.
RAW_TEXT = frozenset({"textarea", "title", "xmp", "noembed", "iframe", "noscript", "noframes", "plaintext"})
# Every element that ends at its paragraph at the latest.
BOUNDED_ELEMENTS = DROPPED_WITH_CONTENT | RAW_TEXT
# In these the parser decodes character references (&amp; is "&").
_DECODES_ENTITIES = frozenset({"textarea", "title"})

# Where a paragraph ends: a blank line, or the start or end of a block the Markdown renderer writes.
_PARAGRAPH_END = re.compile(
    r"\n[ \t]*\n|</?(?:p|li|ul|ol|h[1-6]|td|th|tr|thead|tbody|table|blockquote|pre|div|dd|dt|dl)(?=[\t\n\f\r />]|$)",
    re.IGNORECASE,
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_WHITE = "\t\n\f\r "
_TAG_NAME = re.compile(rf"</?([a-zA-Z][^{_WHITE}/>]*)")
_ATTRIBUTE_NAME = re.compile(rf"[^{_WHITE}/>][^{_WHITE}/>=]*")
_UNQUOTED_VALUE = re.compile(rf"[^{_WHITE}>]*")
_SPACE = re.compile(rf"[{_WHITE}]*")
_SPACE_OR_SLASH = re.compile(rf"[{_WHITE}/]*")
# A "<" worth reading: not a bare tag like <p> or </strong> (most of a rendered body), which is
# copied as it is; a bare raw-text tag (<style>) is read.
_NEEDS_READING = re.compile(
    rf"<(?!/?(?!(?:{'|'.join(sorted(BOUNDED_ELEMENTS))})>)[a-zA-Z][a-zA-Z0-9]*>)", re.IGNORECASE
)
# A comment ends at "-->" or "--!>"; "<!-->" and "<!--->" are complete (empty) comments.
_COMMENT_END = re.compile(r"--!?>")
# Put where something was removed, so the text on either side cannot join into a new tag
# ("<" + "script>" would); the sanitiser strips comments.
_SEAM = "<!---->"


@dataclass(frozen=True)
class Bounded:
    """What :func:`bound_raw_html` settled: the markup as written and what happened to it."""

    markup: str  # removed: the element with its content ('<style>x'); kept: its start tag ('<textarea>')
    removed: bool  # True: removed with its content; False: only its tags, the content is kept as text


def _paragraph_end(fragment: str, start: int) -> int:
    found = _PARAGRAPH_END.search(fragment, start)
    return found.start() if found else len(fragment)


def _tag_end(fragment: str, start: int) -> int | None:
    """Where the tag starting at ``start`` ends (after its ``>``), or None if it never does."""
    position = _TAG_NAME.match(fragment, start).end()
    while True:
        position = _SPACE_OR_SLASH.match(fragment, position).end()
        if position >= len(fragment):
            return None
        if fragment[position] == ">":
            return position + 1
        position = _ATTRIBUTE_NAME.match(fragment, position).end()
        after_name = _SPACE.match(fragment, position).end()
        if not fragment.startswith("=", after_name):
            continue
        value = _SPACE.match(fragment, after_name + 1).end()
        if fragment.startswith(('"', "'"), value):
            close = fragment.find(fragment[value], value + 1)
            if close == -1:
                return None  # the quote never closes: the rest of the fragment would be its value
            position = close + 1
        else:
            position = _UNQUOTED_VALUE.match(fragment, value).end()


def _raw_text_end(fragment: str, name: str, content_start: int) -> tuple[int, int]:
    """(end of the content, end of the element) for a raw-text element: its end tag or its paragraph end."""
    limit = _paragraph_end(fragment, content_start)
    if name != "plaintext":  # <plaintext> has no end tag: it always ends at its paragraph
        closing = re.compile(rf"</{name}(?=[{_WHITE}/>])", re.IGNORECASE).search(fragment, content_start, limit)
        if closing is not None:
            end = _tag_end(fragment, closing.start())
            if end is not None and end <= limit:
                return closing.start(), end
            return closing.start(), limit
    return limit, limit


def bound_raw_html(fragment: str, report: Callable[[Bounded], None] | None = None) -> str:
    """The fragment with every raw-text element, comment and tag ending inside its paragraph.

    Returns the fragment unchanged when it holds nothing to settle (the common case). ``report`` is called with each element or comment taken off the page
    (a tag shown as text instead is not reported: nothing of it is lost).
    """
    if "<" not in fragment:
        return fragment
    out: list[str] = []
    position = 0
    blank_lines = [found.start() for found in _BLANK_LINE.finditer(fragment)]  # searched once, not per tag
    while (found := _NEEDS_READING.search(fragment, position)) is not None:
        start = found.start()
        out.append(fragment[position:start])
        position, replacement, bounded = _settle_at(fragment, start, blank_lines)
        out.append(replacement)
        if bounded is not None and report is not None:
            report(bounded)
    out.append(fragment[position:])
    return "".join(out)


def _settle_at(fragment: str, start: int, blank_lines: list[int]) -> tuple[int, str, Bounded | None]:
    """Read the markup at ``start`` (a "<"): (where reading continues, what to write, what was changed)."""
    if fragment.startswith("<!--", start):
        return _settle_comment(fragment, start)
    tag = _TAG_NAME.match(fragment, start)
    if tag is None:
        return _settle_other(fragment, start)
    end = _tag_end(fragment, start)
    next_blank = bisect.bisect_left(blank_lines, start)
    blank = blank_lines[next_blank] if next_blank < len(blank_lines) else len(fragment)
    if end is None or end > blank:
        # Its closing quote or ">" lies past a blank line (or nowhere): it would take that text with it.
        return start + 1, "&lt;", None  # shown as text: nothing is lost
    name = tag.group(1).lower()
    if fragment[start + 1] == "/" or name not in BOUNDED_ELEMENTS:
        return end, fragment[start:end], None
    content_end, element_end = _raw_text_end(fragment, name, end)
    if name in DROPPED_WITH_CONTENT:
        return element_end, _SEAM, Bounded(fragment[start:element_end], removed=True)
    content = fragment[end:content_end]
    if name in _DECODES_ENTITIES:
        content = html.unescape(content)
    return element_end, _SEAM + html.escape(content, quote=False), Bounded(fragment[start:end], removed=False)


def _settle_other(fragment: str, start: int) -> tuple[int, str, Bounded | None]:
    """"<!x", "<?x" and "</1" open a bogus comment up to the next ">"; any other "<" is text."""
    bogus = fragment.startswith(("<!", "<?"), start) or (
        fragment.startswith("</", start) and start + 2 < len(fragment) and fragment[start + 2] != ">"
    )
    if not bogus:
        return start + 1, "<", None
    close = fragment.find(">", start)
    limit = _paragraph_end(fragment, start + 2)
    if close == -1 or close >= limit:
        return start + 1, "&lt;", None  # shown as text: nothing is lost
    return close + 1, fragment[start : close + 1], None


def _settle_comment(fragment: str, start: int) -> tuple[int, str, Bounded | None]:
    """A comment ends at its "-->" or, unclosed, at its paragraph's end; either way it is removed."""
    for empty in ("<!-->", "<!--->"):
        if fragment.startswith(empty, start):
            return start + len(empty), _SEAM, None
    limit = _paragraph_end(fragment, start + 4)
    closing = _COMMENT_END.search(fragment, start + 4, limit)
    if closing is not None:
        return closing.end(), fragment[start : closing.end()], None
    return limit, _SEAM, Bounded(fragment[start:limit], removed=True)


# Those of BOUNDED_ELEMENTS that python-markdown takes for the start of a raw HTML block when one
# opens a line (its block_level_elements): left open, the block runs to the end of the body.
_MARKDOWN_RAW_BLOCK = re.compile(
    r"^[ ]{0,3}<(script|style|noscript|iframe|textarea|math)(?=[\t\n\f\r />]|$)", re.IGNORECASE | re.MULTILINE
)


# The other block-level elements python-markdown reads as a raw HTML block up to their end tag,
# however many paragraphs away (a <div> around several paragraphs is fine): only one never closed
# runs to the body's end.
_MARKDOWN_CONTAINER_BLOCK = re.compile(
    r"^[ ]{0,3}<(address|article|aside|blockquote|center|details|dialog|div|dl|fieldset|figure|footer|form|"
    r"header|hgroup|main|menu|nav|ol|p|pre|section|table|ul)(?=[\t\n\f\r />]|$)",
    re.IGNORECASE | re.MULTILINE,
)


def close_raw_blocks(markdown: str) -> str:
    """A Markdown body with each such element left open at a line's start closed at its paragraph's end.

    python-markdown passes everything after an unclosed ``<style>`` (or a ``<div>`` never closed)
    that opens a line through as raw HTML, so the paragraphs, lists and headings after it lost
    their Markdown formatting (their text stayed, see :func:`bound_raw_html`). Closed where the
    paragraph ends, they render.
    """
    if "<" not in markdown:
        return markdown
    openings = sorted([*_MARKDOWN_RAW_BLOCK.finditer(markdown), *_MARKDOWN_CONTAINER_BLOCK.finditer(markdown)],
                      key=lambda match: match.start())
    out: list[str] = []
    position = 0
    for opened in openings:
        if opened.start() < position:
            continue
        blank = _BLANK_LINE.search(markdown, opened.end())
        end = blank.start() if blank is not None else len(markdown.rstrip("\n"))
        name = opened.group(1)
        closing = re.compile(rf"</{name}(?=[{_WHITE}/>])", re.IGNORECASE)
        if opened.re is _MARKDOWN_RAW_BLOCK:
            if closing.search(markdown, opened.end(), end):
                continue
        elif _closed_later(markdown, opened, name, closing):
            continue
        out.append(f"{markdown[position:end]}</{name}>")
        position = end
    out.append(markdown[position:])
    return "".join(out)


def _closed_later(markdown: str, opened: re.Match, name: str, closing: re.Pattern) -> bool:
    """Whether the rest of the body holds as many end tags of ``name`` as opening ones (this one included)."""
    rest = markdown[opened.start():]
    opening = re.compile(rf"<{name}(?=[{_WHITE}/>])", re.IGNORECASE)
    return len(closing.findall(rest)) >= len(opening.findall(rest))
