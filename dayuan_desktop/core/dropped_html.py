"""What the sanitiser takes off the page: raw HTML in a body that is not allowed.

Import prints one note per item, and the pre-publish checks list them, so an editor learns
that ``<style>…``, ``<font color=red>`` or ``onclick=…`` in a body will not reach the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from dayuan_desktop.core.raw_html_bounds import Bounded, bound_raw_html
from dayuan_desktop.core.render import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    PHOTO_LINE,
    markdown_html,
    url_kept,
)

SHOWN_LENGTH = 80
_URL_ATTRIBUTES = frozenset({"href", "src"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class DroppedMarkup:
    """One piece of raw HTML the page will not show."""

    markup: str  # as written in the body, on one line, shortened to SHOWN_LENGTH characters
    content_removed: bool  # True: its text goes too (<script>, <style>, a comment); False: its text stays

    def __str__(self) -> str:
        return self.markup


def dropped_html(body: str) -> list[str]:
    """The raw HTML of a Markdown body that the page will not show, each as one short line.

    An empty list when the body holds none. A Markdown link whose URL is removed
    (``javascript:…``) is named as the link it makes. Identical pieces are
    named once. Example: ``dropped_html('段落<style>x</style>\\n\\n<font color=red>红</font>')``
    is ``['<style>x</style>', '<font color=red>']``.
    """
    return [item.markup for item in dropped_markup(body)]


def dropped_markup(body: str) -> list[DroppedMarkup]:
    """Like :func:`dropped_html`, saying for each piece whether its text goes with it."""
    if "<" not in body and ":" not in body:  # no raw HTML and no URL scheme: nothing to remove
        return []
    shown = PHOTO_LINE.sub("", body)
    if "<" not in shown and ":" not in shown:  # only its photo lines had one (``photo:``): nothing either
        return []
    found: list[DroppedMarkup] = []

    def settled(item: Bounded) -> None:
        found.append(DroppedMarkup(_one_line(item.markup), item.removed))

    bounded = bound_raw_html(markdown_html(shown), settled)
    audit = _TagAudit()
    audit.feed(bounded)
    audit.close()
    found += audit.dropped
    return list(dict.fromkeys(found))


def _one_line(markup: str) -> str:
    line = " ".join(markup.split())
    return line if len(line) <= SHOWN_LENGTH else line[: SHOWN_LENGTH - 1] + "…"


class _TagAudit(HTMLParser):
    """Start tags the allowlist removes, or whose attributes it removes (their text stays)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dropped: list[DroppedMarkup] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        removed = tag not in ALLOWED_TAGS or any(
            name not in allowed
            or (name in _URL_ATTRIBUTES and not _scheme_allowed(value or "", ALLOWED_URL_SCHEMES))
            or not url_kept(tag, name, value or "")
            for name, value in attrs
        )
        if removed:
            self.dropped.append(DroppedMarkup(_one_line(self.get_starttag_text() or f"<{tag}>"), False))

    handle_startendtag = handle_starttag


def _scheme_allowed(url: str, schemes: set[str]) -> bool:
    scheme = _SCHEME.match(url.strip())
    return scheme is None or scheme.group(1).lower() in schemes
