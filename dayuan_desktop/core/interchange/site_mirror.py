"""A mirrored copy of the live site, as ``wget --mirror`` or HTTrack leave it: which pages to import.

``import DIR`` hands this module a folder; it finds the mirrored site(s) in it (a host folder
such as ``www.shanxidayuan.com/``, else the folder itself), walks them with ``os.scandir``
without following symbolic links to folders, and sorts every HTML file into an article page
to import (a :class:`MirrorPage`: the file and its :class:`MirrorContext`), a list, home or
other page to skip, or a file that cannot be read (an error naming it). It also collects the
channels' names from the pages' own links and list titles. Nothing here writes the database:
``mirror_import`` hands the pages to the batch import (``import_pipeline``), each with the
context it comes with.
"""

from __future__ import annotations

import html
import itertools
import os
import posixpath
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dayuan_desktop.core.errors import DayuanError, ValidationError
from dayuan_desktop.core.files import read_limited
from dayuan_desktop.core.interchange import PAGE_SUFFIXES
from dayuan_desktop.core.interchange.portal_page_reader import MAX_PAGE_BYTES, MirrorContext
from dayuan_desktop.core.validation import check_channel_path

_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[:+][0-9]{1,5})?$|^localhost(?:[:+][0-9]{1,5})?$", re.IGNORECASE)
# Every repetition is bounded and names are looked for near the top only: a hostile 20 MB page of
# "<a " or "class=" must take a moment, not minutes.
_ARTICLE_WORD = re.compile(rb"\barticle-content\b", re.IGNORECASE)
_IN_CLASS = re.compile(rb"""class\s{0,20}=\s{0,20}["']?[^"'<>=]{0,300}$""", re.IGNORECASE)
_HTML_MARK = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_LIST_MARK = re.compile(rb"\b(?:article-list|channel-title|pagination)\b", re.IGNORECASE)
_LIST_NAME = re.compile(r"^(?:index|default|list)(?:[_-][0-9]{1,6})?\.html?$|^[0-9]{1,6}_[0-9]{1,6}\.html?$", re.I)
_CHANNEL_TITLE = re.compile(r"""<h1[^>]{0,300}?class\s{0,20}=\s{0,20}["']?[^"'>]{0,300}?\bchannel-title\b[^>]{0,300}>"""
                            r"""(.{0,300}?)</h1>""", re.I | re.S)
_LINK = re.compile(r"""<a\s[^>]{0,300}?href\s{0,20}=\s{0,20}["']([^"'<>]{1,500})["'][^>]{0,300}>(.{1,300}?)</a>""",
                   re.I | re.S)
_LIST_TARGET = re.compile(r"^/?(?P<channel>[^?#]+?)/(?:(?:index|default|list)(?:[_-][0-9]{1,6})?\.html?)?$", re.I)
_TAGS = re.compile(r"<[^>]*>")
SKIPPED_FOLDERS = frozenset({"hts-cache", ".git", ".svn"})  # HTTrack's own cache; version control
MAX_LINKS_PER_PAGE = 300  # enough for a navigation bar and a list page's links
NAMES_WITHIN = 512 * 1024  # characters of a page searched for channel names (a list page is ~20 KB)
MAX_MARKS = 50  # "article-content" words looked at before a page counts as no article


@dataclass(frozen=True)
class MirrorSite:
    """One mirrored site: its folder, and the host it was mirrored from (``None``: not known)."""

    root: Path
    host: str | None = None


@dataclass(frozen=True)
class MirrorPage:
    """An article page of the mirror to import, with where it sits (the import's per-page options)."""

    path: Path
    context: MirrorContext

    @property
    def number(self) -> int | None:
        """The article number its file name gives (``4709.html``), if any."""
        stem = self.path.stem
        return int(stem) if stem.isascii() and stem.isdigit() and len(stem) <= 10 else None


@dataclass
class MirrorScan:
    """What a walk of the mirror found."""

    pages: list[MirrorPage] = field(default_factory=list)  # article pages, in path order
    skipped: Counter = field(default_factory=Counter)  # "list", "home", "other" → how many pages
    errors: list[str] = field(default_factory=list)  # one line per file or folder that cannot be read
    channel_names: dict[str, str] = field(default_factory=dict)  # channel path → name the site gives it

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())


def find_sites(folder: Path) -> list[MirrorSite]:
    """The sites mirrored in ``folder``: each host folder in it (wget's and HTTrack's layout), else itself."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise ValidationError(f"{folder} is not a folder")
    hosts = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and _HOST.match(entry.name):
                hosts.append(MirrorSite(Path(entry.path), entry.name.replace("+", ":").lower()))
    return sorted(hosts, key=lambda site: site.root.name) or [MirrorSite(folder)]


def scan_mirror(folder: Path, *, progress=None) -> MirrorScan:
    """Walk ``folder`` and sort its HTML files; ``progress(count)`` is called now and then while walking."""
    folder = Path(folder).resolve()
    scan = MirrorScan()
    names: dict[str, Counter] = {}
    sites = find_sites(folder)
    seen = 0
    for site in sites:
        for path in _html_files(site.root, folder, scan.errors):
            seen += 1
            if progress is not None and seen % 200 == 0:
                progress(seen)
            _sort_page(site, path, scan, names)
    if sites[0].root != folder:  # a host folder's layout: HTTrack's own index.html etc. beside it
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.lower().endswith(PAGE_SUFFIXES) and not entry.is_dir(follow_symlinks=False):
                scan.skipped["other"] += 1
    for channel, counts in names.items():
        scan.channel_names.setdefault(channel, counts.most_common(1)[0][0])
    return scan


def channel_of_folder(root: Path, page: Path) -> str | None:
    """The channel a page's folder names (``gsyl/lzgs`` for ``root/gsyl/lzgs/4709.html``), if a valid path."""
    parts = page.parent.relative_to(root).parts
    if not parts:
        return None
    try:
        return check_channel_path("/".join(parts))
    except ValidationError:
        return None


def _html_files(root: Path, limit: Path, errors: list[str]) -> Iterator[Path]:
    """Every HTML file under ``root`` in path order; never a folder reached by a symbolic link.

    A linked file is taken only when its target is inside ``limit``; one pointing out (or in a
    loop) is an error naming it, like a folder that cannot be read.
    """
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError as exc:
            errors.append(f"{folder}: the folder cannot be read ({exc.strerror or exc}); its pages were not imported")
            continue
        folders = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_FOLDERS:
                    folders.append(Path(entry.path))
            elif entry.name.lower().endswith(PAGE_SUFFIXES):
                if entry.is_symlink() and not _link_inside(Path(entry.path), limit, errors):
                    continue
                yield Path(entry.path)
        stack.extend(reversed(folders))


def _link_inside(path: Path, limit: Path, errors: list[str]) -> bool:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # a loop of links, a dangling one
        errors.append(f"{path}: a symbolic link that leads nowhere ({exc}); not imported")
        return False
    if not target.is_relative_to(limit):
        errors.append(f"{path}: a symbolic link out of the folder being imported (to {target}); refused")
        return False
    return True


def _sort_page(site: MirrorSite, path: Path, scan: MirrorScan, names: dict[str, Counter]) -> None:
    """Read a page's bytes once: an article to import, a page to skip, or an error."""
    try:
        raw = read_limited(path, MAX_PAGE_BYTES)
    except DayuanError as exc:
        message = str(exc)
        scan.errors.append(message if message.startswith(str(path)) else f"{path}: {message}")
        return
    channel = channel_of_folder(site.root, path)
    if _has_article_content(raw):
        scan.pages.append(MirrorPage(path, MirrorContext(site.root, site.host, channel)))
    elif not _HTML_MARK.search(raw[:65536]):
        scan.errors.append(f"{path}: not an HTML page (no <html>, <head> or <body>: binary or damaged); not imported")
        return
    elif path.parent == site.root and _LIST_NAME.match(path.name):
        scan.skipped["home"] += 1
    elif _LIST_MARK.search(raw) or _LIST_NAME.match(path.name):
        scan.skipped["list"] += 1
    else:
        scan.skipped["other"] += 1
    _collect_names(site, path, raw[: NAMES_WITHIN * 2], channel, names)


def _has_article_content(raw: bytes) -> bool:
    """Whether an element of the page has the class ``article-content`` (the article template's body)."""
    for found in itertools.islice(_ARTICLE_WORD.finditer(raw), MAX_MARKS):
        if _IN_CLASS.search(raw, max(0, found.start() - 320), found.start()):
            return True
    return False


def _collect_names(site: MirrorSite, path: Path, raw: bytes, channel: str | None, names: dict[str, Counter]) -> None:
    """Channel names the page gives: a list page's title (counts most), and links to channel lists."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the live portal's older pages are GB2312/GBK (or the cut split a character)
        text = raw.decode("gb18030", errors="replace")
    text = text[:NAMES_WITHIN]
    title = _CHANNEL_TITLE.search(text)
    if title and channel:
        name = _plain(title.group(1))
        if name:
            names.setdefault(channel, Counter())[name] += 1000  # the channel's own page says it
    for found in itertools.islice(_LINK.finditer(text), MAX_LINKS_PER_PAGE):
        href, label = found.groups()
        target = _link_channel(site, path, href)
        name = _plain(label)
        if target and name and len(name) <= 40:
            names.setdefault(target, Counter())[name] += 1


def _link_channel(site: MirrorSite, page: Path, href: str) -> str | None:
    """The channel whose list a link points at (``../gsyl/index.html``, ``/gsyl/``), if it does."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or site.host is None or parts.netloc.lower() != site.host:
            return None
        path = unquote(parts.path)
    elif parts.path.startswith("/"):
        path = unquote(parts.path)
    else:
        here = page.parent.relative_to(site.root).as_posix()
        path = "/" + posixpath.normpath(posixpath.join(here, unquote(parts.path)))
        path += "/" if parts.path.endswith("/") else ""
    match = _LIST_TARGET.match(path)
    if match is None or match.group("channel").startswith(".."):
        return None
    try:
        return check_channel_path(match.group("channel").strip("/"))
    except ValidationError:
        return None


def _plain(fragment: str) -> str:
    """The text of an HTML fragment, on one line."""
    return re.sub(r"\s+", " ", html.unescape(_TAGS.sub("", fragment))).strip()
