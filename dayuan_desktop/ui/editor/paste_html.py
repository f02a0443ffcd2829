"""Clipboard HTML from Word, WPS, web pages and WeChat articles, reduced to what a body can hold.

Meaning carried by styles is turned into elements first (``font-weight: bold`` spans become
``strong``, Word's ``mso-list`` paragraphs become list items, WeChat's ``data-src`` becomes
the image's source); then the document builder keeps only headings, paragraphs, lists,
quotes, tables, emphasis, links and images, so styles, classes, fonts, colours, comments,
``<o:p>``, scripts and frames are gone. Tracking pixels (1×1 images, known tracker hosts)
are dropped here. No Qt: this works on :mod:`html_tree` elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dayuan_desktop.core.interchange.html_tree import Element

TRACKER_HOSTS = (
    "google-analytics.com", "googletagmanager.com", "doubleclick.net", "facebook.com/tr", "scorecardresearch.com",
    "hm.baidu.com", "cnzz.com", "umeng.com", "beacon.", "pixel.", "stat.", "stats.", "analytics.", "tracking.",
    "mp.weixin.qq.com/mp/jsmonitor", "mp.weixin.qq.com/mp/appmsgreport", "c.statcounter.com", "matomo.",
)
LINK_SCHEMES = ("http", "https", "mailto")
_BOLD = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)\b", re.IGNORECASE)
_NOT_BOLD = re.compile(r"font-weight\s*:\s*(normal|lighter|[1-4]00)\b", re.IGNORECASE)
_ITALIC = re.compile(r"font-style\s*:\s*(italic|oblique)\b", re.IGNORECASE)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.IGNORECASE)
_MSO_LIST = re.compile(r"mso-list\s*:\s*(l\d+)\s+level(\d+)", re.IGNORECASE)
_MSO_IGNORE = re.compile(r"mso-list\s*:\s*ignore", re.IGNORECASE)
_NUMBERED_MARKER = re.compile(r"^\s*(\(?[0-9a-zA-Z]{1,3}[.)、]|[一二三四五六七八九十]+[、.])\s*$")
_SIZE = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*([0-9.]+)px", re.IGNORECASE)


@dataclass
class PasteReport:
    """What the clean-up left out, for the message shown after pasting."""

    remote_images: int = 0
    trackers: int = 0
    images: list[Element] = field(default_factory=list)  # the images kept, in order
    markers: dict[int, str] = field(default_factory=dict)  # id of a Word list paragraph -> its marker


def cleaned(nodes: list[Element | str], report: PasteReport) -> list[Element | str]:
    """The nodes with meaning moved from styles to elements and junk removed (in place)."""
    out: list[Element | str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        style = node.get("style")
        if _HIDDEN.search(style) or _MSO_IGNORE.search(style):
            continue  # hidden text, or Word's typed list marker ("1." / "·") that a list item replaces
        if node.tag == "img":
            if _keep_image(node, report):
                out.append(node)
            continue
        if node.tag == "p" and _MSO_LIST.search(style):
            report.markers[id(node)] = _marker_text(node)
        node.children = cleaned(node.children, report)
        _styles_to_elements(node)
        if node.tag == "a":
            _check_link(node)
        out.append(node)
    return _word_lists(out, report)


def _styles_to_elements(node: Element) -> None:
    style = node.get("style")
    if node.tag in ("b", "strong") and _NOT_BOLD.search(style):
        node.tag = "span"  # Google Docs wraps a whole paste in <b style="font-weight:normal">
    if node.tag in ("span", "font"):
        bold, italic = _BOLD.search(style) is not None, _ITALIC.search(style) is not None
        if bold and italic:
            inner = Element("em", {}, node, node.start)
            inner.children = node.children
            node.tag, node.children = "strong", [inner]
        elif bold:
            node.tag = "strong"
        elif italic:
            node.tag = "em"
    elif node.tag == "p" and node.get("class", "").lower().startswith("msotitle"):
        node.tag = "h2"


def _check_link(node: Element) -> None:
    href = re.sub(r"[\s\x00-\x1f]+", "", node.get("href"))
    scheme = urlsplit(href).scheme.lower()
    # A link relative to the page it was copied from means nothing here; a script is never kept.
    if scheme not in LINK_SCHEMES:
        node.attrs.pop("href", None)


def _keep_image(node: Element, report: PasteReport) -> bool:
    src = (node.get("data-src") or node.get("src")).strip()  # WeChat puts the real one in data-src
    if not src:
        return False
    node.attrs["src"] = src
    sizes = {name.lower(): value for name, value in _SIZE.findall(node.get("style"))}
    width = node.get("width") or sizes.get("width", "")
    height = node.get("height") or sizes.get("height", "")
    lowered = src.lower()
    tiny = _number(width) is not None and _number(width) <= 2 or _number(height) is not None and _number(height) <= 2
    if tiny or any(host in lowered for host in TRACKER_HOSTS if lowered.startswith(("http:", "https:", "//"))):
        report.trackers += 1
        return False
    if lowered.startswith(("http:", "https:", "//")):
        report.remote_images += 1
        return False
    report.images.append(node)
    return True


def _number(value: str) -> float | None:
    try:
        return float(value.strip().removesuffix("px"))
    except ValueError:
        return None


def _word_lists(nodes: list[Element | str], report: PasteReport) -> list[Element | str]:
    """Word's list paragraphs (``style="mso-list:l0 level2 lfo1"``) as real, nested lists."""
    out: list[Element | str] = []
    stack: list[Element] = []  # open lists, outermost first
    for node in nodes:
        match = _MSO_LIST.search(node.get("style")) if isinstance(node, Element) and node.tag == "p" else None
        if match is None:
            if isinstance(node, str) and not node.strip() and stack:
                continue  # white space between two list paragraphs
            stack = []
            out.append(node)
            continue
        level = max(1, min(int(match.group(2)), 9))
        numbered = _NUMBERED_MARKER.match(report.markers.get(id(node), "")) is not None
        while len(stack) > level:
            stack.pop()
        while len(stack) < level:
            new = Element("ol" if numbered else "ul", {}, None, node.start)
            if stack:
                items = [c for c in stack[-1].children if isinstance(c, Element)]
                (items[-1] if items else stack[-1]).children.append(new)
            else:
                out.append(new)
            stack.append(new)
        item = Element("li", {}, stack[-1], node.start)
        item.children = node.children
        stack[-1].children.append(item)
    return out


def _marker_text(paragraph: Element) -> str:
    """The text of Word's typed list marker ("1.", "·"), kept in the source as an ignored span."""
    marker = next((e for e in paragraph.iter() if _MSO_IGNORE.search(e.get("style"))), None)
    return marker.text().replace("\xa0", " ").strip() if marker is not None else ""
