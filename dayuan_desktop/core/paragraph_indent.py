"""One rule for a paragraph's leading white space: the page never shows it.

Word and WPS indent every paragraph with two ideographic spaces (U+3000); texts from the web
bring NBSP, U+1680, U+2000–U+200A, U+2028/U+2029, U+0085 or a form feed. The portal's style
sheet indents paragraphs itself (``text-indent``), and python-markdown has always dropped white
space at a paragraph's start (``str.lstrip``), so the rule is that one, everywhere:

- render: both the fast path and python-markdown strip it (:func:`strip_paragraph_indent`);
- paste: the document builder trims :data:`INDENT_SPACES` at a paragraph's (and line's) start;
- import: :func:`strip_markdown_indents` removes it from a Markdown body's paragraphs, so the
  editor does not show an indent the page will not.
"""

from __future__ import annotations

import re

# Every character str.isspace() counts as white space (what str.lstrip strips), ASCII first.
INDENT_SPACES = (
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
# The same without the ASCII space, tab and line ends, which are Markdown syntax (indented code,
# nested lists, line structure) and are left to it: what import and paste remove.
UNICODE_SPACES = INDENT_SPACES.translate({ord(c): None for c in " \t\n\r"})
# Indentation at the start of a Markdown paragraph: the body's first line or one after a blank
# line, up to three ASCII spaces (four make code) and then at least one Unicode space.
_MARKDOWN_INDENT = re.compile(rf"(\A|\n[ \t]*\n)([ ]{{0,3}}[{UNICODE_SPACES}][{UNICODE_SPACES} \t]*)")
# What the rest of the line must not start with once the indent is gone: it would turn the
# paragraph into a list, quote, heading, rule, code block, table row, raw HTML or photo line
# that the page did not show (or a line of indentation alone into a blank line).
_WOULD_BECOME_SYNTAX = re.compile(r"[-+*_>#=|<!\n]|\d+[.)]|[ \t]|\Z")


def strip_paragraph_indent(text: str) -> str:
    """A paragraph's text without the white space at its start (exactly python-markdown's rule)."""
    return text.lstrip()


def strip_markdown_indents(body: str) -> str:
    """A Markdown body with the Unicode-space indentation removed from its paragraphs' starts.

    ``"\\u3000\\u3000第一段。\\n\\n\\u3000\\u3000第二段。"`` becomes ``"第一段。\\n\\n第二段。"``; the
    page is the same either way. An indent is kept where removing it would make Markdown
    syntax of the text after it (``"\\u3000\\u30001. 第一"`` stays a paragraph, not a list).
    """
    if not any(space in body for space in UNICODE_SPACES):
        return body

    body = body.replace("\r\n", "\n")

    def unindented(found: re.Match) -> str:
        kept = found.group(2) if _WOULD_BECOME_SYNTAX.match(body, found.end()) else ""
        return found.group(1) + kept

    return _MARKDOWN_INDENT.sub(unindented, body)
