"""XSS: a corpus of classic payloads in every text field must come out of the export inert.

Every vector of ``tests/data/xss_vectors.txt`` becomes one published article with the vector as
its title, subtitle, author, place, tags, summary, body (as a photo line's alt, a paragraph, a
subheading, a list item and a quote) and as its photo's caption and photographer; the channels'
names are payloads too. The whole site is exported once, then every HTML page is parsed: no
script, no ``on*`` attribute, no ``javascript:``/``vbscript:``/``data:`` URL, no dangerous
element, nothing outside the allowlist in the article content, and the fields still read as
the text the editor typed. The feeds must stay well-formed XML carrying the payloads as text.

This is about rendering, not storage, so it runs on SQLite only.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as SafeET
import pytest

from dayuan_desktop.core.captions import compose_caption
from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.export.feeds import rss_xml
from dayuan_desktop.core.render import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ListItem
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.visible_text import visible_lines
from tests.helpers import jpeg_bytes

VECTORS_FILE = Path(__file__).resolve().parent.parent / "data" / "xss_vectors.txt"
MARKERS = {"{TAB}": "\t", "{LF}": "\n", "{CR}": "\r", "{FF}": "\f", "{SOH}": "\x01"}
CHANNEL = "xss/vectors"
PARENT_NAME = "<script>alert('频道')</script>"
CHANNEL_NAME = '<img src=x onerror=alert("栏目")>'
FIRST_NUMBER = 9000
START = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
# The last paragraph of every body: no vector before it may take it off the page.
TAIL = "此后的正文照常显示。"
# XML 1.0 cannot carry C0 control characters other than tab, LF and CR (not even as &#1;).
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster", "background",
    "lowsrc", "dynsrc", "codebase", "cite", "srcset", "ping", "manifest", "longdesc", "usemap", "icon",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
FORBIDDEN_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math", "style",
    "portal", "noscript", "template", "xmp", "isindex", "plaintext", "noembed", "noframes", "param",
}
HEAD_ONLY = {"meta", "link", "title"}


def load_vectors() -> list[str]:
    """The corpus: one vector a line; "# " lines are comments; markers stand for control characters."""
    vectors = []
    for line in VECTORS_FILE.read_text(encoding="utf-8").split("\n"):
        if not line or line == "#" or line.startswith("# "):
            continue
        for marker, char in MARKERS.items():
            line = line.replace(marker, char)
        vectors.append(line)
    return vectors


def xml_safe(vector: str) -> bool:
    return XML_INVALID.search(vector) is None


def publication_order() -> list[str]:
    """The corpus with the vectors XML cannot carry published first (the oldest, so out of the feed)."""
    vectors = load_vectors()
    return [v for v in vectors if not xml_safe(v)] + [v for v in vectors if xml_safe(v)]


# The feed holds every vector; characters XML cannot carry are dropped from its text.
SITE = SiteSettings(feed_size=len(load_vectors()))


def norm(text: str) -> str:
    """Whitespace collapsed the way visible_lines collapses it."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def tags_for(vector: str) -> list[str]:
    """A tag cannot hold white space: the vector without it, in pieces of at most 100 characters."""
    word = "".join(vector.split())
    return list(dict.fromkeys(word[i : i + 100] for i in range(0, len(word), 100)))


def photo_alt(vector: str) -> str:
    """The vector as the alt of a photo line (which cannot hold ']' or a line break)."""
    return vector.replace("]", "").replace("\n", " ") or "x"


def scheme_of(value: str) -> str:
    """A URL as a lenient browser might read it: entities decoded (again), white space and controls gone."""
    decoded = html.unescape(html.unescape(value))
    return "".join(ch for ch in decoded if not ch.isspace() and ord(ch) > 0x20 and ord(ch) != 0x7F).lower()


@dataclass(frozen=True)
class Site:
    out: Path
    vectors: dict[int, str]  # article number → vector

    def html_pages(self) -> list[Path]:
        return sorted(self.out.rglob("*.html"))

    def page(self, number: int) -> str:
        return read(self.out / CHANNEL / f"{number}.html")


def read(path: Path) -> str:
    """A page's text exactly as written (no newline translation: a CR in a field stays a CR)."""
    return path.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("xss")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAYUAN_DATA_DIR", str(root / "user"))
        database = open_database(str(root / "xss.sqlite3"), backup_dir=root / "backups")
        try:
            store = Store(database, user_name="tester")
            store.ensure_search_index()
            store.create_channel("xss", PARENT_NAME)
            store.create_channel(CHANNEL, CHANNEL_NAME)
            numbers: dict[int, str] = {}
            with database.session(write=True) as session:  # one transaction: seconds faster
                for index, vector in enumerate(publication_order()):
                    photo = store.photos.add_photo(
                        jpeg_bytes(16 + index, 12), format="JPEG", width=16 + index, height=12,
                        caption=vector, photographer=vector, session=session,
                    )
                    first_line = vector.split("\n")[0]
                    body = (
                        f"![{photo_alt(vector)}](photo:{photo.sha256})\n\n{vector}\n\n## {first_line}\n\n"
                        f"- {first_line}\n\n> {first_line}\n\n{TAIL}\n"
                    )
                    number = FIRST_NUMBER + index
                    [article] = store.create_articles(
                        [dict(
                            title=vector, subtitle=vector, author=vector, source=vector, summary=vector, body=body,
                            tags=tags_for(vector), channel_path=CHANNEL, number=number, status="published",
                            published_at=START + timedelta(minutes=index),
                        )],
                        session=session,
                    )
                    store.photos.set_article_photos(article.id, [photo.sha256], session=session)
                    numbers[number] = vector
            SiteExporter(store, SITE, root / "site", workers=1).run()
        finally:
            database.dispose()
    return Site(root / "site", numbers)


# -- the corpus --------------------------------------------------------------------------------
def test_corpus_is_large_distinct_and_covers_the_families():
    vectors = load_vectors()
    assert len(vectors) >= 60
    assert len(set(vectors)) == len(vectors), "duplicate vectors in the corpus"
    text = "\n".join(vectors).lower()
    for family in ("<script", "onerror=", "onload=", "javascript:", "vbscript:", "data:text/html", "<svg",
                   "<math", "expression(", "url(javascript:", "@import", "<iframe", "<object", "<embed",
                   "<base", "http-equiv", "<![cdata[", "<!--", "&#", "](javascript:", "{{7*7}}", "{% raw %}"):
        assert family in text, f"no vector of the {family!r} family"


def test_every_vector_was_exported(site: Site):
    for number in site.vectors:
        assert (site.out / CHANNEL / f"{number}.html").is_file()
    assert (site.out / CHANNEL / "index.html").is_file()
    assert (site.out / CHANNEL / "index_2.html").is_file()  # pagination: list pages are checked as well
    assert (site.out / "xss" / "index.html").is_file()
    assert (site.out / "index.html").is_file()


# -- no active content on any page -------------------------------------------------------------
class _Audit(HTMLParser):
    """Collects everything on a page that could run script or load active content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_head = False
        self.in_content = False
        self.content_tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        found = self.problems.append
        if tag == "head":
            self.in_head = True
        if tag in FORBIDDEN_ELEMENTS:
            found(f"<{tag}> element")
        if tag in HEAD_ONLY and not self.in_head:
            found(f"<{tag}> outside <head>")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            found("<meta http-equiv>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                found(f"event attribute {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and scheme_of(value).startswith(BAD_SCHEMES):
                found(f"{name}={value!r} on <{tag}>")
            if name == "style":
                style = scheme_of(value)
                if any(bad in style for bad in (*BAD_SCHEMES, "expression(", "behavior:", "-moz-binding", "@import")):
                    found(f"style={value!r} on <{tag}>")
        if self.in_content:
            self.content_tags.add(tag)
            if tag not in ALLOWED_TAGS:
                found(f"<{tag}> in the article content")
            allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
            for name, value in attrs:
                if name not in allowed:
                    found(f"attribute {name}={value!r} on <{tag}> in the article content")
                if name == "rel" and value != "noopener noreferrer":
                    found(f"rel={value!r} on <a> in the article content")
        if tag == "div" and "article-content" in (dict(attrs).get("class") or "").split():
            self.in_content = True

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "div" and self.in_content:
            self.in_content = False

    def handle_comment(self, data):
        if self.in_content:
            self.problems.append(f"comment <!--{data}--> in the article content")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data):
        self.problems.append(f"declaration <![{data}]>")


def audit(page: str) -> _Audit:
    parser = _Audit()
    parser.feed(page)
    parser.close()
    return parser


def test_no_script_event_handler_dangerous_url_or_element_on_any_page(site: Site):
    pages = site.html_pages()
    assert len(pages) >= len(site.vectors) + 3
    problems = []
    for path in pages:
        relative = path.relative_to(site.out).as_posix()
        for problem in audit(read(path)).problems:
            number = path.stem if path.stem.isdigit() else None
            vector = site.vectors.get(int(number)) if number else None
            problems.append(f"{relative}: {problem}" + (f"   [vector {vector!r}]" if vector else ""))
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:60])


def test_article_content_is_audited_and_keeps_the_photo_markup(site: Site):
    # The audit of the content region is only worth something if the region was found.
    for number in site.vectors:
        parsed = audit(site.page(number))
        assert {"p", "img"} <= parsed.content_tags, f"article {number}: content region or photo missing"


# -- the text still shows as text --------------------------------------------------------------
def published_text(number: int) -> str:
    when = START + timedelta(minutes=number - FIRST_NUMBER)
    return when.astimezone(ZoneInfo(SITE.timezone)).strftime("%Y-%m-%d %H:%M:%S")


def test_fields_show_as_text_on_the_article_page(site: Site):
    failures = []
    for number, vector in site.vectors.items():
        lines = visible_lines(site.page(number))
        text = norm(vector)
        caption = norm(compose_caption(vector, vector))
        meta = f"{text} {text} {published_text(number)} 0 {' '.join(tags_for(vector))}"
        checks = {
            "title": text in lines,
            "title is the first line after the counter": lines[2] == text,
            "subtitle": lines[3] == text,
            "author, place, time, comments, tags": lines[4] == meta,
            "photo alt and caption line": lines.count(caption) >= 2,
        }
        failed = [name for name, ok in checks.items() if not ok]
        if failed:
            failures.append(f"{vector!r}: {', '.join(failed)}\n    lines: {lines[:8]}")
    assert not failures, "\n".join(failures)


def test_title_shows_markup_literally(site: Site):
    number = next(n for n, v in site.vectors.items() if v == "<script>alert(1)</script>")
    page = site.page(number)
    assert "<h1 class=\"article-title\">&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "<script>alert(1)</script>" in visible_lines(page)
    number = next(n for n, v in site.vectors.items() if v == "{{7*7}}")
    assert "{{7*7}}" in visible_lines(site.page(number))
    assert "49" not in visible_lines(site.page(number))


def test_head_metadata_carries_the_text_as_attribute_values(site: Site):
    class Head(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.meta: dict[str, str] = {}
            self.title = ""
            self.in_title = False

        def handle_starttag(self, tag, attrs):
            values = dict(attrs)
            if tag == "meta" and "name" in values:
                self.meta[values["name"]] = values.get("content") or ""
            self.in_title = tag == "title"

        def handle_endtag(self, tag):
            self.in_title = False

        def handle_data(self, data):
            if self.in_title:
                self.title += data

    for number, vector in site.vectors.items():
        head = Head()
        head.feed(site.page(number))
        assert head.meta["description"] == vector.strip(), vector
        assert head.meta["author"] == vector.strip(), vector
        assert head.meta["keywords"] == ",".join(tags_for(vector)), vector
        assert head.title == f"{vector.strip()} - {SITE.site_name}", vector


def test_titles_summaries_and_channel_names_show_as_text_on_list_pages(site: Site):
    lines: list[str] = []
    channel_pages = sorted((site.out / CHANNEL).glob("index*.html"))
    assert len(channel_pages) == -(-len(site.vectors) // SITE.list_page_size)
    for path in channel_pages:
        page_lines = visible_lines(read(path))
        assert norm(CHANNEL_NAME) in page_lines, path.name
        lines += page_lines
    for number, vector in site.vectors.items():
        assert f"{norm(vector)} {published_text(number)[:10]}" in lines, vector
        assert norm(vector) in lines, vector  # the summary paragraph


def test_home_page_shows_titles_and_channel_name_as_text(site: Site):
    lines = visible_lines(read(site.out / "index.html"))
    assert norm(PARENT_NAME) in lines
    newest = sorted(site.vectors)[-SITE.home_items_per_channel :]
    for number in newest:  # <li><a>title</a><time>date</time></li>: one line, no space between
        assert norm(f"{site.vectors[number]}{published_text(number)[:10]}") in lines, site.vectors[number]


def test_no_vector_takes_the_text_after_it_off_the_page(site: Site):
    # An unclosed <style>, <textarea>, <plaintext>, comment… ends at its paragraph.
    swallowed = [
        vector for number, vector in site.vectors.items()
        if not any(TAIL in line for line in visible_lines(site.page(number)))
    ]
    assert not swallowed, f"{len(swallowed)} vector(s) took the last paragraph with them: {swallowed}"


def test_raw_text_elements_left_open_are_in_the_corpus():
    openers = {vector.split(">")[0].lower() for vector in load_vectors() if ">" in vector and "</" not in vector}
    for name in ("style", "script", "textarea", "title", "xmp", "noembed", "iframe", "noscript", "plaintext",
                 "noframes"):
        assert any(opener.startswith(f"<{name}") for opener in openers), name


# -- feeds -------------------------------------------------------------------------------------
def xml_text(value: str) -> str:
    """Text as an XML parser hands it back (line ends normalised to LF)."""
    return value.strip().replace("\r\n", "\n").replace("\r", "\n")


def test_rss_is_well_formed_with_the_vectors_as_text(site: Site):
    root = SafeET.fromstring((site.out / "rss.xml").read_bytes())
    assert root.tag == "rss"
    items = root.findall("./channel/item")
    assert len(items) == SITE.feed_size == len(site.vectors)
    for item in items:
        number = int(item.findtext("link").rsplit("/", 1)[1].removesuffix(".html"))
        vector = XML_INVALID.sub("", site.vectors[number])
        assert item.findtext("title") == xml_text(vector), vector
        assert item.findtext("description") == xml_text(vector), vector
        assert list(item.find("title")) == []  # text, not elements


def test_sitemap_is_well_formed_and_lists_every_article(site: Site):
    root = SafeET.fromstring((site.out / "sitemap.xml").read_bytes())
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {loc.text for loc in root.iter(f"{namespace}loc")}
    for number in site.vectors:
        assert SITE.page_url(f"{CHANNEL}/{number}.html") in locations


def test_feed_drops_characters_xml_cannot_carry():
    unsafe = [v for v in load_vectors() if not xml_safe(v)]
    assert unsafe, "the corpus should hold vectors with control characters"
    items = [
        ListItem(title=v, path=f"{CHANNEL}/{n}.html", published_at=START, summary=v, channel_path=CHANNEL)
        for n, v in enumerate(unsafe, start=1)
    ]
    root = SafeET.fromstring(rss_xml(SITE, items))
    assert [item.findtext("title") for item in root.iter("item")] == [XML_INVALID.sub("", v) for v in unsafe]
