"""Redirect pages: a small page at an article's old address that sends readers to its new one.

An article's address is its channel and number (``gsyl/lzgs/4709.html``). When an editor
changes either after publishing, the store records the old path (``core.addresses``); the
export writes a page there that redirects at once (meta refresh), names the new address as
canonical and asks search engines not to index it. A real article page that now owns an
old path always wins: the redirect is then left out.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Collection, Iterable
from functools import partial
from typing import NamedTuple

from dayuan_desktop.core.export.manifest import input_key
from dayuan_desktop.core.site import SiteSettings

REDIRECT_FORMAT = 1  # bumped when the page's markup changes (every redirect is written again)
_PAGE_PATH = re.compile(r"^[a-z0-9-]+(/[a-z0-9-]+)*/[0-9]+\.html$")


class Redirect(NamedTuple):
    """One redirect page of the site: where it is, where it leads, and how to make it."""

    old_path: str
    new_path: str
    key: str
    make: Callable[[], bytes]


def redirect_page(site: SiteSettings, old_path: str, new_path: str) -> bytes:
    """The redirect page written at ``old_path`` (HTML-escaped; relative link, absolute canonical)."""
    relative = html.escape(posixpath.relpath(new_path, posixpath.dirname(old_path)), quote=True)
    canonical = html.escape(site.page_url(new_path), quote=True)
    name = html.escape(site.site_name)
    lang = html.escape(site.language, quote=True)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={relative}">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f"<title>本文已迁移 - {name}</title>\n</head>\n<body>\n"
        f'<p>本文已迁移至新地址：<a href="{relative}">{canonical}</a></p>\n</body>\n</html>\n'
    ).encode()


def plan_redirects(
    site: SiteSettings, rows: Iterable[tuple[str, int, str]], taken: Collection[str], warnings: list[str]
) -> list[Redirect]:
    """The redirect pages for the store's rows (old path, article id, new path).

    ``taken``: paths of the site's real pages; a redirect there is left out. A stored path
    that is not an article page's (a damaged row) is named in ``warnings`` and left out.
    """
    redirects = []
    for old_path, _article_id, new_path in rows:
        if old_path in taken or old_path == new_path:
            continue
        if not _PAGE_PATH.fullmatch(old_path):
            warnings.append(f"redirect from {old_path!r:.80} not written: not an article page path")
            continue
        key = input_key("redirect", REDIRECT_FORMAT, old_path, new_path, site.page_url(new_path), site.site_name,
                        site.language)
        redirects.append(Redirect(old_path, new_path, key, partial(redirect_page, site, old_path, new_path)))
    return redirects
