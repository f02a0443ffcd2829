"""Golden test: the exported sample article reads exactly like the live portal page 4709.

The reference is the visible text of http://www.shanxidayuan.com/gsyl/lzgs/4709.html, kept as a
byte-for-byte copy in ``tests/golden/portal-article-4709.txt`` so that this test is self-contained.
Any drift in templates, settings defaults, sample content or the render pipeline fails it with a
line diff.
"""

from __future__ import annotations

import difflib
import io
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.render import PortalRenderer
from dayuan_desktop.core.resources import portal_template_dir
from dayuan_desktop.core.sample import load_sample
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.visible_text import reference_lines, visible_lines

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "portal-article-4709.txt"
PAGE = "gsyl/lzgs/4709.html"
FOOTER_LINES = 5  # footer name, copyright, two English notice lines, the Chinese notice


def reference() -> list[str]:
    return reference_lines(GOLDEN.read_text(encoding="utf-8"))


def assert_same_lines(actual: list[str], expected: list[str], what: str) -> None:
    """Equal line for line, or fail with a unified diff (- reference, + page)."""
    if actual == expected:
        return
    diff = "\n".join(
        difflib.unified_diff(expected, actual, fromfile="reference", tofile=what, lineterm="", n=2)
    )
    pytest.fail(f"visible text of {what} differs from the reference:\n{diff}", pytrace=False)


class _Tags(HTMLParser):
    """Start tags with their attributes, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def resolve_relative(out: Path, page: str, url: str) -> Path:
    """The file a relative URL on a page of the exported site points to; absolute URLs fail."""
    parts = urlsplit(url)
    assert not parts.scheme and not parts.netloc and not url.startswith("/"), f"{url!r} on {page} is not relative"
    target = ((out / page).parent / parts.path).resolve()
    assert target.is_relative_to(out.resolve()), f"{url!r} on {page} leads outside the site"
    return target


@pytest.fixture
def exported(store: Store, tmp_path: Path) -> Path:
    load_sample(store)
    out = tmp_path / "site"
    SiteExporter(store, SiteSettings(), out, workers=1).run()
    return out


# -- the golden page ---------------------------------------------------------------------------
def test_golden_copy_is_the_reference_text():
    text = GOLDEN.read_text(encoding="utf-8")
    lines = reference_lines(text)
    assert lines[0] == "大院网-山西大院资讯网"
    assert lines[-1].startswith("版权声明: 本站所有文章")
    assert "\xa0" in text  # a faithful copy still has the live page's NBSP-only lines
    assert len(lines) == 32


def test_exported_page_reads_exactly_like_the_live_page(exported: Path):
    page = exported / PAGE
    assert page.is_file(), f"{PAGE} was not exported"
    assert_same_lines(visible_lines(page.read_text(encoding="utf-8")), reference(), PAGE)


def test_page_has_no_visible_text_beyond_the_reference(exported: Path):
    shown = visible_lines((exported / PAGE).read_text(encoding="utf-8"))
    extra = [line for line in shown if line not in reference()]
    assert extra == []
    assert len(shown) == len(reference())


def test_stylesheet_is_shipped_under_static_and_linked_relatively(exported: Path):
    css = exported / "static" / "portal.css"
    assert css.is_file()
    assert css.read_bytes() == (portal_template_dir() / "static" / "portal.css").read_bytes()
    for page in (PAGE, "gsyl/lzgs/index.html", "gsyl/index.html", "index.html"):
        links = [
            attrs["href"] for tag, attrs in tags((exported / page).read_text(encoding="utf-8"))
            if tag == "link" and (attrs.get("rel") or "") == "stylesheet"
        ]
        assert len(links) == 1, f"{page} links {len(links)} stylesheets"
        assert resolve_relative(exported, page, links[0]) == css.resolve(), f"{page}: {links[0]}"


def test_photo_src_resolves_to_an_existing_rendition(exported: Path):
    images = [attrs for tag, attrs in tags((exported / PAGE).read_text(encoding="utf-8")) if tag == "img"]
    assert len(images) == 1
    assert images[0]["alt"] == "图为防控人员在道路卡口逐一查验过往车辆。马向英摄"
    target = resolve_relative(exported, PAGE, images[0]["src"])
    assert target.is_file(), f"{images[0]['src']} does not exist"
    assert target.relative_to(exported.resolve()).parts[0] == "uploads"
    with Image.open(io.BytesIO(target.read_bytes())) as image:
        assert image.format == "JPEG"
        assert 0 < image.width <= SiteSettings().rendition_width


# -- user template folder ----------------------------------------------------------------------
CUSTOM_FOOTER = '<footer class="site-footer"><p>本地页脚 {{ site.footer_name }}</p></footer>\n'


def _footer_element(html: str) -> str:
    start = html.index("<footer")
    end = html.index("</footer>", start) + len("</footer>")
    return html[start:end]


def test_a_user_template_overrides_only_its_own_part(store: Store, tmp_path: Path):
    load_sample(store)
    article = store.find_article("4709")
    override = tmp_path / "my-templates"
    (override / "partials").mkdir(parents=True)
    (override / "partials" / "footer.html").write_text(CUSTOM_FOOTER, encoding="utf-8")

    built_in = PortalRenderer(SiteSettings()).article_page(article)
    custom = PortalRenderer(SiteSettings(), override_dir=override).article_page(article)

    # Only the footer changed: header, article, comments and about block come from the built-in templates.
    assert custom != built_in
    assert custom.replace(_footer_element(custom), _footer_element(built_in)) == built_in
    expected = reference()[:-FOOTER_LINES] + ["本地页脚 山西大院新闻网"]
    assert_same_lines(visible_lines(custom), expected, "page with a user footer")


def test_export_uses_the_user_folder_and_falls_back_for_the_rest(store: Store, tmp_path: Path):
    load_sample(store)
    override = tmp_path / "my-templates"
    (override / "partials").mkdir(parents=True)
    (override / "partials" / "footer.html").write_text(CUSTOM_FOOTER, encoding="utf-8")
    out = tmp_path / "site"
    SiteExporter(store, SiteSettings(), out, template_dir=override, workers=1).run()

    for page in (PAGE, "gsyl/lzgs/index.html", "index.html"):
        lines = visible_lines((out / page).read_text(encoding="utf-8"))
        assert lines[0] == "大院网-山西大院资讯网"  # built-in header
        assert lines[-1] == "本地页脚 山西大院新闻网", page  # the user's footer
        assert "关于山西大院新闻网" in lines  # built-in about block
    # No static/ in the user folder: the built-in stylesheet ships.
    assert (out / "static" / "portal.css").read_bytes() == (portal_template_dir() / "static" / "portal.css").read_bytes()


def test_missing_override_folder_means_built_in_templates(store: Store, tmp_path: Path):
    load_sample(store)
    article = store.find_article("4709")
    page = PortalRenderer(SiteSettings(), override_dir=tmp_path / "not-there").article_page(article)
    assert page == PortalRenderer(SiteSettings()).article_page(article)
    assert_same_lines(visible_lines(page), reference(), "page rendered without a user folder")


# -- visible_text itself -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param("<p>一</p><p>二</p>", ["一", "二"], id="paragraphs"),
        pytest.param(
            "<html><head><title>标题</title><meta name=x content=y></head><body>正文</body></html>",
            ["正文"], id="head-dropped",
        ),
        pytest.param("<p>a<script>var s = '<p>x</p>';</script>b</p>", ["ab"], id="script-dropped"),
        pytest.param("<p>a<style>p { color: red }</style>b</p>", ["ab"], id="style-dropped"),
        pytest.param("<p>a<noscript>请开启脚本</noscript>b</p>", ["ab"], id="noscript-dropped"),
        pytest.param("<div>a<template><p>模板</p></template>b</div>", ["ab"], id="template-dropped"),
        pytest.param('<p>姓名<input type="text" value="张三">完</p>', ["姓名完"], id="input-dropped"),
        pytest.param("<p>城市<select><option>大同</option><option>太原</option></select>完</p>", ["城市完"],
                     id="select-dropped"),
        pytest.param("<p>留言<textarea>默认内容</textarea>完</p>", ["留言完"], id="textarea-dropped"),
        pytest.param('<p>a</p><div hidden><p>隐藏</p></div><p>b</p>', ["a", "b"], id="hidden-attribute"),
        pytest.param('<p>a<span style="display: none">隐藏</span>b</p>', ["ab"], id="display-none"),
        pytest.param('<p>a<span style="DISPLAY:NONE">隐藏</span>b</p>', ["ab"], id="display-none-uppercase"),
        pytest.param('<div style="display:none"><p>一</p><img alt="图"><br></div><p>二</p>', ["二"],
                     id="hidden-subtree-with-void-elements"),
        pytest.param("<div>一<div>二</div>三</div>", ["一", "二", "三"], id="nested-blocks-break"),
        pytest.param("<h2>小标题</h2><ul><li>甲</li><li>乙</li></ul>", ["小标题", "甲", "乙"], id="blocks"),
        pytest.param("<table><tr><td>1</td><td>2</td></tr></table>", ["1", "2"], id="table-cells"),
        pytest.param("<p>第一行<br>第二行<br/>第三行</p>", ["第一行", "第二行", "第三行"], id="br"),
        pytest.param("<p>a<span>b</span><a href=x>c</a><strong>d</strong></p>", ["abcd"], id="inline-no-break"),
        pytest.param('<p>前<img src="x.jpg" alt="图为说明。某某摄">后</p>', ["前", "图为说明。某某摄", "后"],
                     id="img-alt-own-line"),
        pytest.param('<p><img src="x.jpg"></p><p>正文</p>', ["正文"], id="img-without-alt"),
        pytest.param("<p>a&nbsp;&nbsp;b\xa0c</p>", ["a b c"], id="nbsp-is-space"),
        pytest.param("<p>  a \n\t b   c  </p>", ["a b c"], id="whitespace-collapses"),
        pytest.param("<p>&nbsp;</p><p> </p><div>\n</div><p>x</p>", ["x"], id="empty-lines-dropped"),
        pytest.param("<p>&lt;script&gt; &amp;amp;</p>", ["<script> &amp;"], id="entities-decoded-once"),
    ],
)
def test_visible_lines_rules(html: str, expected: list[str]):
    assert visible_lines(html) == expected


def test_reference_lines_normalise_like_visible_lines():
    text = "标题\n\n\xa0\n  a  \t b \n\n\xa0\xa0\nc\xa0d"
    assert reference_lines(text) == ["标题", "a b", "c d"]
    assert reference_lines(text) == visible_lines("<p>标题</p><p>&nbsp;</p><p>a b</p><p>c&nbsp;d</p>")


def test_an_override_static_folder_without_the_linked_stylesheet_is_refused(store: Store, tmp_path: Path):
    """The built-in base page links static/portal.css; a user static/ folder lacking it would ship unstyled pages."""
    load_sample(store)
    override = tmp_path / "my-templates"
    (override / "static").mkdir(parents=True)
    (override / "static" / "extra.css").write_text("body { color: #333 }", encoding="utf-8")
    (override / "partials").mkdir()
    (override / "partials" / "footer.html").write_text(
        CUSTOM_FOOTER.replace("</footer>", '<img src="https://cdn.example.com/static/logo.png" alt=""></footer>'),
        encoding="utf-8")
    out = tmp_path / "site"
    with pytest.raises(DayuanError, match=r"base\.html links static/portal\.css, which is not in .*my-templates"):
        SiteExporter(store, SiteSettings(), out, template_dir=override, workers=1).run()
    assert [p for p in out.rglob("*") if p.is_file()] == []  # refused before anything was written

    (override / "static" / "portal.css").write_text("body { color: #000 }", encoding="utf-8")
    SiteExporter(store, SiteSettings(), out, template_dir=override, workers=1).run()  # the CDN link is not ours
    assert (out / "static" / "portal.css").read_text(encoding="utf-8") == "body { color: #000 }"
    assert (out / PAGE).is_file()
