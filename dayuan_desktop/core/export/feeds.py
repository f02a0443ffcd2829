"""sitemap.xml and the RSS 2.0 feed, written deterministically (same articles → same bytes)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.utils import format_datetime
from xml.sax.saxutils import escape as _xml_escape

from dayuan_desktop.core.render import ListItem
from dayuan_desktop.core.site import SiteSettings

# XML 1.0 cannot carry these at all (not even as references); the store accepts them in text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(value: str) -> str:
    """Text for an XML element: escaped, without the characters XML 1.0 forbids."""
    return _xml_escape(_NOT_XML.sub("", value))


def sitemap_xml(site: SiteSettings, entries: Sequence[tuple[str, str]]) -> bytes:
    """A sitemap of (relative path, lastmod) entries."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, lastmod in entries:
        modified = f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(site.page_url(path))}</loc>{modified}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def rss_xml(site: SiteSettings, items: Sequence[ListItem]) -> bytes:
    """An RSS 2.0 feed of the given (newest) articles."""
    newest = max((item.published_at for item in items if item.published_at), default=None)
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0">',
        "<channel>",
        f"<title>{escape(site.site_name)}</title>",
        f"<link>{escape(site.page_url(''))}</link>",
        f"<description>{escape(site.about_text)}</description>",
        f"<language>{escape(site.language.lower())}</language>",
    ]
    if newest is not None:
        head.append(f"<lastBuildDate>{format_datetime(newest)}</lastBuildDate>")
    body = []
    for item in items:
        url = escape(site.page_url(item.path))
        parts = [f"<title>{escape(item.title)}</title>", f"<link>{url}</link>", f'<guid isPermaLink="true">{url}</guid>']
        if item.published_at is not None:
            parts.append(f"<pubDate>{format_datetime(item.published_at)}</pubDate>")
        if item.summary:
            parts.append(f"<description>{escape(item.summary)}</description>")
        body.append("<item>" + "".join(parts) + "</item>")
    return ("\n".join([*head, *body, "</channel>", "</rss>"]) + "\n").encode("utf-8")
