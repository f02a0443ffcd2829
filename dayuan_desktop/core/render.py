"""The one render pipeline: Markdown body → safe HTML fragment → whole portal pages.

Export and the window's preview both call :func:`render_article_page` (through a
:class:`PortalRenderer`), so what an editor previews is byte for byte what ships.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

import jinja2
import nh3
from markupsafe import Markup

from dayuan_desktop.core.captions import compose_caption
from dayuan_desktop.core.paragraph_indent import strip_paragraph_indent
from dayuan_desktop.core.photos.rendition_paths import rendition_site_path
from dayuan_desktop.core.raw_html_bounds import bound_raw_html, close_raw_blocks
from dayuan_desktop.core.records import ArticleRecord, PhotoRecord
from dayuan_desktop.core.resources import portal_template_dir
from dayuan_desktop.core.site import SiteSettings

if TYPE_CHECKING:
    import markdown

PHOTO_LINE = re.compile(r"^[ \t]*!\[(?P<alt>[^\]\n]*)\]\(photo:(?P<sha>[0-9a-f]{64})\)[ \t]*$", re.MULTILINE)
# A line break inside a paragraph between two CJK characters must vanish, not become a space.
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# Written with the newline first (the look-behind then covers it): the search skips to each
# newline instead of trying the look-behind at every character (~50 µs a page saved).
_CJK_SOFT_BREAK = re.compile(rf"\n(?<=[{_CJK}]\n)(?=[{_CJK}])")

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "del", "sup", "sub",
    "ul", "ol", "li", "blockquote", "a", "img", "hr", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "p": {"class"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Markdown turns a tab inside a raw-HTML URL into spaces ("java\tscript:" → "java    script:"). Browsers
# read that as a harmless relative URL, but a URL that spells a script scheme once white space and
# control characters are taken out has no business in an article: drop it (defence in depth).
_URL_NOISE = re.compile(r"[\s\x00-\x20\x7f]+")
_SCRIPT_SCHEME = re.compile(r"(?:javascript|vbscript|data):", re.IGNORECASE)


def _drop_disguised_script_urls(tag: str, attribute: str, value: str) -> str | None:
    return value if url_kept(tag, attribute, value) else None


def url_kept(tag: str, attribute: str, value: str) -> bool:
    """False for a link or image URL that spells a script scheme once white space is taken out."""
    return not (attribute in ("href", "src") and _SCRIPT_SCHEME.match(_URL_NOISE.sub("", value)))


PhotoUrl = Callable[[PhotoRecord], str]


def sanitize_html(fragment: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes (nh3).

    Raw HTML that would take the text after it along (an unclosed ``<style>``, ``<script>``,
    ``<textarea>``, comment…) first ends at its paragraph (:mod:`raw_html_bounds`).
    """
    return _allowlisted(bound_raw_html(fragment))


def _allowlisted(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        # "*": nothing on every tag (nh3 would otherwise keep title= and lang= on any tag).
        attributes={"*": set(), **ALLOWED_ATTRIBUTES},
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_drop_disguised_script_urls,
    )


def photo_figure_html(photo: PhotoRecord | None, alt: str, src: str | None) -> str:
    """The portal's figure markup: a centred image whose alt is the caption, then the caption line."""
    caption = compose_caption(photo.caption or alt, photo.photographer) if photo else alt
    caption_html = html.escape(caption, quote=True)
    image = f'<p class="photo"><img src="{html.escape(src, quote=True)}" alt="{caption_html}"></p>\n' if src else ""
    return f'{image}<p class="caption">{caption_html}</p>'


_local = threading.local()


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        # Imported on the first body that needs it: a plain body never does, and an export
        # with nothing to render never renders one (issue 20).
        import markdown

        md = markdown.Markdown(
            extensions=["tables", "sane_lists"],
            # align="…" is allow-listed; the default style="text-align: …" would be stripped by nh3.
            extension_configs={"tables": {"use_align_attribute": True}},
            output_format="html",
        )
        _local.md = md
    return md


def render_body(body: str, photos: Mapping[str, PhotoRecord], photo_src: Callable[[PhotoRecord], str]) -> str:
    """An article body (Markdown) as a sanitised HTML fragment with the portal's photo markup."""

    def figure(match: re.Match) -> str:
        photo = photos.get(match.group("sha"))
        src = photo_src(photo) if photo is not None else None
        return photo_figure_html(photo, match.group("alt"), src)

    converted = plain_markdown_html(body, figure)
    if converted is not None:
        converted = _CJK_SOFT_BREAK.sub("", converted)
        if "<h1>" not in converted and not _SANITIZER_WOULD_CHANGE.search(converted):
            # Only the renderer's own allowed tags around text with no markup character: nh3
            # returns it unchanged (a differential test checks), at ~0.1 ms a page saved.
            return converted
    else:
        converted = _CJK_SOFT_BREAK.sub("", markdown_html(PHOTO_LINE.sub(lambda m: "\n\n" + figure(m) + "\n\n", body)))
    # Without a "<" in the body all markup is the renderer's own: nothing to bound (~0.5 ms saved).
    return sanitize_html(converted) if "<" in body else _allowlisted(converted)


def convert_markdown(text: str) -> str:
    """python-markdown's HTML for ``text`` with the portal's extensions and options, nothing more.

    The one place python-markdown is set up: the render pipeline and the editor's reader both
    convert through it, so lists, tables and headings read the same in the editor and on the page.
    """
    md = _markdown()
    md.reset()
    return md.convert(text)


def markdown_html(body: str) -> str:
    """python-markdown's HTML for a body, before sanitising (photo lines already replaced)."""
    return convert_markdown(close_raw_blocks(body))


# What nh3 would write differently in the fast path's HTML: entities (escaped captions), NBSP
# (written back as "&nbsp;"), control characters, and <h1> (not allowed: "# title" keeps its text).
_SANITIZER_WOULD_CHANGE = re.compile(r"[&\x00-\x08\x0b-\x1f\x7f-\xa0]")  # and "<h1>" (see render_body)

# Anything that could be Markdown syntax (or needs escaping) sends a body to python-markdown.
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<>&|~#\t\r\x00]")
_RISKY_START = re.compile(r"[ \t>+=-]|\d+[.)]")  # at a line's start (a line ending in white space is risky too)
_HEADING = re.compile(r"^(#{1,6}) ([^#\s][^#\n]*?)$")


def _risky_lines(block: str) -> bool:
    """Whether a line of the block starts like Markdown syntax or ends in white space (one
    multi-line regex did this at every character: ~80 µs a page)."""
    if block.endswith((" ", "\t")) or " \n" in block or "\t\n" in block or _RISKY_START.match(block):
        return True
    return "\n" in block and any(_RISKY_START.match(line) for line in block.split("\n")[1:])


def plain_markdown_html(body: str, figure: Callable[[re.Match], str]) -> str | None:
    """python-markdown's exact output for a body of plain paragraphs, ATX headings and photo lines.

    Most news articles are only that, and python-markdown spends most of an export in its
    inline patterns on text that has none; this produces the same HTML directly (a test
    compares the two). Returns None for anything else, which then goes to python-markdown.
    """
    blocks = [block for block in re.split(r"\n(?:[ \t]*\n)+", body.strip("\n")) if block]
    html_blocks = []
    for block in blocks:
        photo = PHOTO_LINE.fullmatch(block)
        if photo is not None:
            html_blocks.append(figure(photo) + "\n")  # python-markdown leaves a blank line after raw HTML
            continue
        heading = _HEADING.match(block) if block.startswith("#") else None
        if heading is not None:
            text = heading.group(2)
            if _NOT_PLAIN.search(text) or text != text.strip():
                return None
            level = len(heading.group(1))
            html_blocks.append(f"<h{level}>{text}</h{level}>")
            continue
        if _NOT_PLAIN.search(block) or _risky_lines(block):
            return None
        text = strip_paragraph_indent(block)
        if text:
            html_blocks.append(f"<p>{text}</p>")
    return "\n".join(html_blocks).rstrip("\n")


@dataclass(frozen=True)
class PageContext:
    """Where a page sits in the site: its path and how it reaches the site root."""

    path: str  # e.g. "gsyl/lzgs/4709.html"

    @property
    def root(self) -> str:
        """Relative prefix from this page to the site root ("../../" for gsyl/lzgs/4709.html)."""
        return "../" * self.path.count("/")


class ListItem(NamedTuple):
    """One article in a channel list, on the home page, or in a feed (a tuple: exports make 10,000s)."""

    title: str
    path: str
    published_at: datetime | None
    summary: str
    channel_path: str | None
    image: str = ""  # the lead photo's rendition, relative to the site root ("" when none)


@dataclass(frozen=True)
class HomeSection:
    """A channel's block on the home page."""

    channel_path: str
    channel_name: str
    items: Sequence[ListItem]


def article_page_path(article: ArticleRecord) -> str:
    """``<channel path>/<number>.html``; an unpublished article gets a preview name."""
    if article.number is None or not article.channel_path:
        return f"preview/{article.uuid}.html"
    return article_page_path_for(article.channel_path, article.number)


def article_page_path_for(channel_path: str, number: int) -> str:
    """The site path of the page of article ``number`` in channel ``channel_path``."""
    return f"{channel_path}/{number}.html"


# How the portal's templates are compiled. Compiled templates are kept under a name that
# includes a digest of these and of Jinja's version, so changing either never runs code
# compiled the old way.
_TEMPLATE_OPTIONS = dict(
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
)


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates (each entry keyed by its template's source and
    written atomically) that never stops a render: the cache only saves time."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged entry (any unpickling or unmarshalling error): compile again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # A folder that cannot be written (full, read-only, another user's): the entry is not kept.
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates(folder: Path | None) -> jinja2.BytecodeCache | None:
    """The cache of compiled templates in ``folder``, or None when there is no usable folder."""
    if folder is None:
        return None
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    options = repr(sorted((name, getattr(value, "__name__", value)) for name, value in _TEMPLATE_OPTIONS.items()))
    digest = hashlib.sha256(f"{jinja2.__version__}\x1f{options}".encode()).hexdigest()[:12]
    return _CompiledTemplates(str(folder), f"%s-{digest}.jinja-cache")


class PortalRenderer:
    """Renders the portal's pages from templates (a user folder first, then the built-in ones)."""

    def __init__(
        self, site: SiteSettings, *, override_dir: Path | None = None, compiled_dir: Path | None = None
    ) -> None:
        """``compiled_dir``: where compiled templates are kept between runs (an export compiled
        its templates, ~40 ms, every time; each is keyed by its source, so an edited override
        is compiled again). None keeps nothing."""
        self.site = site
        self.zone = ZoneInfo(site.timezone)
        loaders: list[jinja2.BaseLoader] = []
        if override_dir is not None and Path(override_dir).is_dir():
            loaders.append(jinja2.FileSystemLoader(str(override_dir)))
        loaders.append(jinja2.FileSystemLoader(str(portal_template_dir())))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            **_TEMPLATE_OPTIONS,
            # Templates do not change during a run; checking their files on every page cost ~1.6 s
            # in a 10,000-article export.
            auto_reload=False,
            bytecode_cache=_compiled_templates(compiled_dir),
        )
        self.env.filters["portal_time"] = self.format_time
        self.env.filters["portal_date"] = lambda value: self.format_time(value, "%Y-%m-%d")

    def format_time(self, value: datetime | None, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
        """A time as the portal prints it, in the site's time zone."""
        return value.astimezone(self.zone).strftime(pattern) if value else ""

    def template_sources(self) -> dict[str, str]:
        """Every template and static file in use, by name (a user's own first), with its text."""
        return {name: self.env.loader.get_source(self.env, name)[0] for name in sorted(self.env.list_templates())}

    def template_fingerprint(self, sources: dict[str, str] | None = None) -> str:
        """The text of every template and static file in use (changes force a full re-render)."""
        sources = self.template_sources() if sources is None else sources
        return "\n".join(f"{name}\n{source}" for name, source in sources.items())

    def article_page(self, article: ArticleRecord, photo_src: PhotoUrl | None = None) -> str:
        """The whole HTML page of one article; ``photo_src`` gives each photo's rendition path
        (the export's plan, the preview's cache lookup), else its provisional path."""
        page = PageContext(article_page_path(article))
        photos = {link.photo.sha256: link.photo for link in article.photos}

        # Without a lookup (no rendition cache to ask), each photo gets its provisional path.
        photo_src = photo_src or self._provisional_path

        def src(photo: PhotoRecord) -> str:
            return page.root + photo_src(photo)

        body_html = Markup(render_body(article.body, photos, src))
        lead = article.lead_photo
        # Shared links (WeChat, Weibo, social sites) show the lead photo: an absolute URL.
        lead_url = ""
        if lead is not None:
            lead_url = self.site.page_url(photo_src(lead.photo))
        return self.env.get_template("article.html").render(
            site=self.site, page=page, root=page.root, article=article, body_html=body_html,
            page_url=self.site.page_url(page.path), published=self.format_time(article.published_at),
            lead_image_url=lead_url, lead_image_alt=compose_caption(lead.photo.caption, lead.photo.photographer)
            if lead is not None else "",
        )

    def _provisional_path(self, photo: PhotoRecord) -> str:
        return rendition_site_path(photo, self.site.rendition_width, provisional=True)

    def channel_page(
        self, channel_path: str, channel_name: str, items: Sequence[ListItem], page_number: int, page_count: int
    ) -> str:
        """One page of a channel's article list."""
        page = PageContext(channel_list_path(channel_path, page_number))
        # ``pages``: every page (for templates of one's own); ``page_links``: the ones the built-in template links.
        pages = [(n, page.root + channel_list_path(channel_path, n)) for n in range(1, page_count + 1)]
        links = [(n, pages[n - 1][1]) if n else (None, "") for n in page_links(page_number, page_count)]
        return self.env.get_template("channel.html").render(
            site=self.site, page=page, root=page.root, channel_path=channel_path, channel_name=channel_name,
            items=items, page_number=page_number, page_count=page_count, pages=pages, page_links=links,
            page_url=self.site.page_url(page.path),
        )

    def home_page(self, sections: Sequence[HomeSection]) -> str:
        """The portal's home page: the newest articles of each channel."""
        page = PageContext("index.html")
        return self.env.get_template("home.html").render(
            site=self.site, page=page, root=page.root, sections=sections, page_url=self.site.page_url(""),
        )


# A channel list of more pages than this links only its first and last page and those near the
# current one, "…" between: linking every page from every page made a channel's list pages cost
# the square of their count (at 10,000 articles, ~100,000 links on ~950 pages). Up to this many
# pages, every page is linked as before.
ALL_PAGE_LINKS_UP_TO = 10
PAGE_LINKS_AROUND = 3  # pages linked on each side of the current one


def page_links(page_number: int, page_count: int) -> list[int | None]:
    """The page numbers a channel list page links, in order, None where "…" stands for pages left out.

    Every page stays reachable: each page links its neighbours (and 上一页/下一页 do too)."""
    if page_count <= ALL_PAGE_LINKS_UP_TO:
        return list(range(1, page_count + 1))
    near = range(max(1, page_number - PAGE_LINKS_AROUND), min(page_count, page_number + PAGE_LINKS_AROUND) + 1)
    links: list[int | None] = []
    previous = 0
    for number in sorted({1, *near, page_count}):
        if number > previous + 1:
            links.append(None)
        links.append(number)
        previous = number
    return links


def channel_list_path(channel_path: str, page_number: int) -> str:
    """``<channel>/index.html`` for the first page, ``<channel>/index_N.html`` after."""
    name = "index.html" if page_number == 1 else f"index_{page_number}.html"
    return f"{channel_path}/{name}"


def render_article_page(article: ArticleRecord, site: SiteSettings | None = None, **options) -> str:
    """The single function preview and export use to turn an article into its portal page."""
    return PortalRenderer(site or SiteSettings(), override_dir=options.pop("override_dir", None)).article_page(
        article, **options
    )
