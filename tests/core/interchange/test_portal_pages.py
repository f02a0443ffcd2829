"""Portal pages read back into articles: export → import → export gives the same bytes; the
HTML → Markdown conversion renders back to itself; hostile and broken pages store nothing."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from dayuan_desktop.core.interchange.html_to_markdown import body_to_markdown
from dayuan_desktop.core.interchange.html_tree import parse_html
from dayuan_desktop.core.interchange.portal_pages import import_portal_page, import_portal_pages
from dayuan_desktop.core.models import Article, Photo
from dayuan_desktop.core.render import render_body
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.visible_text import reference_lines, visible_lines
from tests.core.interchange.portal_site import (
    add_channels,
    article_pages,
    build_source,
    export_site,
    open_store,
    site_files,
)
from tests.helpers import jpeg_bytes

SAMPLE_PAGE = "gsyl/lzgs/4709.html"
GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "portal-article-4709.txt"


@pytest.fixture(scope="module")
def source_site(tmp_path_factory) -> Path:
    """The sample and the feature articles, exported once for the whole module (read-only)."""
    folder = tmp_path_factory.mktemp("source")
    source = open_store(folder / "source.sqlite3")
    build_source(source)
    site = export_site(source, folder / "site")
    source.db.dispose()
    return site


@pytest.fixture
def site(source_site: Path, tmp_path: Path) -> Path:
    """A private copy of the exported site, for tests that damage it."""
    return Path(shutil.copytree(source_site, tmp_path / "site"))


def _counts(store: Store) -> tuple[int, int]:
    with store.db.session() as session:
        return session.scalar(select(func.count(Article.id))), session.scalar(select(func.count(Photo.id)))


def _import_all(store: Store, site: Path, **options) -> list:
    outcomes = import_portal_pages(store, [site / page for page in article_pages(site)], **options)
    for outcome in outcomes:
        assert outcome.ok, outcome.error
        assert outcome.warnings == (), outcome.warnings
    return outcomes


# -- the round trip ------------------------------------------------------------------------------


def test_export_import_export_gives_byte_identical_pages(store, source_site, tmp_path):
    add_channels(store)  # a fresh database (SQLite file or PostgreSQL), its channels named as before
    outcomes = _import_all(store, source_site)
    assert sorted(o.article.number for o in outcomes) == [4709, 5001, 5002]
    again = export_site(store, tmp_path / "again")

    before, after = article_pages(source_site), article_pages(again)
    assert sorted(after) == sorted(before) == sorted([SAMPLE_PAGE, "gsyl/5002.html", "news/local/5001.html"])
    for page, data in before.items():
        assert after[page] == data, f"{page} differs after export → import → export"
    # The photos come back at the same addresses, and so do the lists, the home page and the feeds.
    assert site_files(again, "uploads") == site_files(source_site, "uploads")
    for page in ("index.html", "gsyl/index.html", "gsyl/lzgs/index.html", "news/local/index.html", "rss.xml"):
        assert (again / page).read_bytes() == (source_site / page).read_bytes(), page
    sample = visible_lines((again / SAMPLE_PAGE).read_text(encoding="utf-8"))
    assert sample == visible_lines((source_site / SAMPLE_PAGE).read_text(encoding="utf-8"))
    assert sample == reference_lines(GOLDEN.read_text(encoding="utf-8"))


def test_imported_sample_has_every_field(store, source_site):
    outcome = import_portal_page(store, source_site / SAMPLE_PAGE, create_channels=True)
    assert outcome.ok, outcome.error
    article = outcome.article
    assert (article.number, article.channel_path, article.status) == (4709, "gsyl/lzgs", "published")
    assert article.uuid == "6b0f3c6e-4709-4d6a-9c1e-2a7f0b8d4709"
    assert article.title == "党旗飘扬筑起疫情防控“钢铁长城”"
    assert (article.author, article.source, article.subtitle) == ("网络编辑", "大同", "")
    assert article.published_at == datetime(2022, 12, 13, 6, 46, 28, tzinfo=UTC)  # 14:46:28 in Beijing
    assert article.tags == ("防控", "疫情", "党员干部")
    assert article.summary.startswith("平城区一手抓防控管理体系的构建")
    assert (article.comment_count, article.like_count, article.view_count) == (0, 0, 0)
    [link] = article.photos
    assert (link.photo.caption, link.photo.photographer) == ("防控人员在道路卡口逐一查验过往车辆", "马向英")
    page = (source_site / SAMPLE_PAGE).read_text(encoding="utf-8")
    assert f"uploads/{link.photo.web_name}-1200.jpg" in page  # the same address as before
    assert article.body.startswith(f"![防控人员在道路卡口逐一查验过往车辆](photo:{link.photo.sha256})\n\n亮身份")
    assert "\n## 党员干部集结下沉防疫一线\n" in article.body and "\n## 党旗飘扬党徽生辉展现风采\n" in article.body
    assert [a.id for a in store.search("马向英")] == [article.id]


def test_feature_article_comes_back_as_plain_markdown(store, source_site):
    outcomes = _import_all(store, source_site, create_channels=True)
    first = next(o.article for o in outcomes if o.article.number == 5001)
    assert first.subtitle == "副标题：平城区防控工作纪实"
    assert first.title == "全市“两会”特别报道：<数据>与 & 符号"
    assert first.summary == "摘要里有 \"引号\"、<尖括号> 和 & 符号。"
    assert (first.comment_count, first.like_count, first.view_count) == (12, 34, 5678)
    assert first.tags == ("两会", "民生", "数据")
    body = first.body
    for piece in ("**粗体**", "*斜体*", "***粗斜体***", '[链接](http://www.shanxidayuan.com/gsyl/lzgs/4709.html "原文")',
                  "`code_span`", "\n## 一、基本情况\n", "\n### 二、数据\n", "\n#### 三、结语\n", "\n- 第二项，**重点**\n",
                  "\n    - 嵌套项\n", "\n1. 第一步\n", "\n> 第二段引用，**加粗**。\n", "| :--- | ---: | :---: |",
                  "\n---\n", "\n    缩进的代码块 <tag>\n", "硬换行  \n下一行"):
        assert piece in body, piece
    assert "<p" not in body and "<table" not in body  # no block fell back to raw HTML
    captions = {(link.photo.caption, link.photo.photographer) for link in first.photos}
    assert captions == {("市民在广场晨练", "李四"), ("", ""), ("党员志愿者在社区服务", "")}
    second = next(o.article for o in outcomes if o.article.number == 5002)
    assert second.body.startswith("# 两会#代表委员热议民生话题。")  # what the pipeline made of "#两会#…"
    assert "![甲处](photo:" in second.body and "![乙处](photo:" in second.body
    shared = [link.photo for link in second.photos if link.photo.caption == "" and link.photo.photographer == ""]
    assert len(shared) == 1  # one photo shown with two captions keeps none of its own


# -- the converter on its own --------------------------------------------------------------------


def _markdown_again(html: str) -> str:
    document = parse_html(f'<div class="article-content">\n{html}\n</div>\n</html>')
    result = body_to_markdown(document, document.find("div"), lambda img, caption: pytest.fail("no photos here"))
    return result.markdown


_WORDS = ["平城区", "党员干部", "2022年", "4月19日", "COVID-19", "A&B", "3 < 5", "a*b", "user_name", "[注]",
          "#话题#", "1.5倍", "《管理办法》", "“两码”", "C++", "100%", "http://www.dt.gov.cn", "e-mail", "x_y"]
_PUNCT = ["，", "。", "、", "：", "！", " ", "——", ",", ".", "\n"]
_text = st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_PUNCT)), min_size=1, max_size=6).map(
    lambda parts: "".join(w + p for w, p in parts).strip()
)
_inline = st.one_of(
    _text,
    _text.map(lambda t: f"**{t.strip()}**"),
    _text.map(lambda t: f"*{t.strip()}*"),
    st.tuples(_text, st.sampled_from(["http://x.cn/a_b", "https://e.com/?a=1&b=2"])).map(
        lambda p: f"[{p[0].strip()}]({p[1]})"),
    st.sampled_from(["`a < b`", "`x_y`", "<u>下划线</u>", "H<sub>2</sub>O", "行末  \n换行"]),
)
_paragraph = st.lists(_inline, min_size=1, max_size=4).map("".join).filter(lambda t: t.strip())
_item = _paragraph.map(lambda t: re.sub(r"\s+", " ", t).strip()).filter(bool)
_block = st.one_of(
    _paragraph,
    st.tuples(st.integers(2, 6), _item).map(lambda p: "#" * p[0] + " " + p[1]),
    st.tuples(st.sampled_from(["- ", "1. "]), st.lists(_item, min_size=1, max_size=4), st.booleans()).map(
        lambda p: ("\n\n" if p[2] else "\n").join(p[0] + item for item in p[1])),
    _paragraph.map(lambda t: "\n".join("> " + line for line in t.split("\n"))),
    st.lists(st.lists(st.sampled_from(_WORDS[:8] + ["**合计**", ""]), min_size=2, max_size=2), min_size=2,
             max_size=4).map(lambda rows: "\n".join(
                 ["| " + " | ".join(rows[0]) + " |", "| :--- | ---: |"] + ["| " + " | ".join(r) + " |" for r in rows[1:]])),
    st.just("---"),
    st.just("    code <x> & y\n    second line"),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_block, min_size=1, max_size=8).map("\n\n".join))
def test_converted_markdown_renders_to_the_same_html(body):
    html = render_body(body, {}, lambda photo: "")
    assume("\x02" not in html and "\x03" not in html)  # Python-Markdown leaked a placeholder: no sane page
    assert render_body(_markdown_again(html), {}, lambda photo: "") == html


def test_block_markdown_cannot_say_stays_raw_html():
    # A caption whose photo was missing at export time, and markup only raw HTML can give.
    html = ('<p>前文</p>\n<p class="caption">图为某处。</p>\n<ul>\n<li>\n<ol start="1986">\n<li>年份</li>\n'
            "</ol>\n</li>\n<li>\nnot heading\n</li>\n</ul>\n<p>后文</p>")
    markdown = _markdown_again(html)
    assert '<p class="caption">图为某处。</p>' in markdown and "前文" in markdown
    assert render_body(markdown, {}, lambda photo: "") == html


def test_converter_escapes_text_that_would_become_markup():
    html = ("<p>#话题# 1. 不是列表 * 不是项目 [注]: 不是定义 a_b _c_ `x` \\ &lt;b&gt; &amp;amp; 3 &lt; 5</p>\n"
            "<h2>C#</h2>\n<p>- 开头的横线<br>\n&gt; 开头的尖括号<br>\n=====</p>")
    markdown = _markdown_again(html)
    assert render_body(markdown, {}, lambda photo: "") == html
    assert "a_b" in markdown and "3 < 5" in markdown  # only what needs it is escaped


# -- pages of the live portal's shape ------------------------------------------------------------


LIVE_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>党旗飘扬 - 大院网</title><meta name="description" content="摘要">
<meta name="keywords" content="防控,疫情"></head>
<body><div class="wrap"><article class="article">
<h1 class="article-title">党旗飘扬筑起疫情防控“钢铁长城”</h1>
<div class="article-meta"><span class="author">网络编辑</span> <span class="source">大同</span>
<time>2022-12-13 14:46:28</time> <span class="comment-count">3</span>
<span class="tags"><a class="tag" href="/">防控</a> <a class="tag" href="/">疫情</a></span></div>
<div class="article-content">
  <p style="text-align:center"><img src="/uploads/2022/12/3f2a9c0d11e2b4a7-1200.jpg" alt="图为防控人员查验车辆。马向英摄"></p>
  <p style="text-align:center">图为防控人员查验车辆。马向英摄</p>
  <p>　　亮身份、扬旗帜、树形象。</p>
  <h2>党员干部集结下沉防疫一线</h2>
  <p>平城区是我市疫情防控的“桥头堡”。</p>
</div>
<div class="article-copyright"><p>本文地址:<a href="http://www.shanxidayuan.com/gsyl/lzgs/4709.html">链接</a></p></div>
</article></div></body></html>
"""


def test_live_portal_page_in_gb18030_with_its_photo(store, tmp_path):
    site = tmp_path / "saved"
    (site / "gsyl" / "lzgs").mkdir(parents=True)
    (site / "uploads" / "2022" / "12").mkdir(parents=True)
    (site / "uploads" / "2022" / "12" / "3f2a9c0d11e2b4a7-1200.jpg").write_bytes(jpeg_bytes(1200, 800))
    page = site / "gsyl" / "lzgs" / "4709.html"
    page.write_bytes(LIVE_PAGE.encode("gb18030"))
    outcome = import_portal_page(store, page, create_channels=True)
    assert outcome.ok, outcome.error
    article = outcome.article
    assert (article.number, article.channel_path, article.status, article.comment_count) == (4709, "gsyl/lzgs",
                                                                                              "published", 3)
    assert article.title == "党旗飘扬筑起疫情防控“钢铁长城”" and article.tags == ("防控", "疫情")
    assert article.published_at == datetime(2022, 12, 13, 6, 46, 28, tzinfo=UTC)
    [link] = article.photos
    assert (link.photo.caption, link.photo.photographer) == ("防控人员查验车辆", "马向英")
    assert link.photo.web_name == "2022/12/3f2a9c0d11e2b4a7"
    # The live page indents with "　　": the portal's style sheet does that, so it is not kept.
    assert article.body == (
        f"![防控人员查验车辆](photo:{link.photo.sha256})\n\n亮身份、扬旗帜、树形象。\n\n"
        "## 党员干部集结下沉防疫一线\n\n平城区是我市疫情防控的“桥头堡”。\n"
    )


def test_address_from_the_files_place_in_the_site(store, site):
    page = site / SAMPLE_PAGE
    text = page.read_text(encoding="utf-8")
    text = re.sub(r'<link rel="canonical"[^>]*>\n', "", text)
    text = re.sub(r"本文地址:<a [^>]*>[^<]*</a>", "", text)
    page.write_text(text, encoding="utf-8")
    outcome = import_portal_page(store, page, create_channels=True)
    assert outcome.ok, outcome.error
    assert (outcome.article.number, outcome.article.channel_path) == (4709, "gsyl/lzgs")


# -- hostile and broken pages --------------------------------------------------------------------


def _refused(store: Store, page: Path, *fragments: str, create_channels: bool = True) -> str:
    outcome = import_portal_page(store, page, create_channels=create_channels)
    assert not outcome.ok and outcome.article is None
    assert outcome.error.startswith(str(page)), outcome.error
    for fragment in fragments:
        assert fragment in outcome.error, outcome.error
    assert _counts(store) == (0, 0), "a refused page must store nothing"
    return outcome.error


def _rewrite(page: Path, old: str, new: str, count: int = 0) -> Path:
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, count) if count else text.replace(old, new), encoding="utf-8")
    return page


def test_missing_image_names_the_file_and_stores_nothing(store, site):
    page = site / SAMPLE_PAGE
    src = re.search(r'<img src="([^"]+)"', page.read_text(encoding="utf-8")).group(1)
    image = (page.parent / src).resolve()
    image.unlink()
    _refused(store, page, "not found", src, str(image))


def test_not_a_portal_page(store, tmp_path):
    page = tmp_path / "other.html"
    page.write_text("<!DOCTYPE html><html><body><p>你好</p></body></html>", encoding="utf-8")
    _refused(store, page, "not a portal article page")


def test_truncated_page(store, site):
    page = site / SAMPLE_PAGE
    data = page.read_bytes()
    cut = data.index(b"<h2>")
    page.write_bytes(data[:cut])
    _refused(store, page, "truncated")
    page.write_bytes(data[: data.index(b"</body>")])  # the whole article, but not the end of the page
    _refused(store, page, "truncated")


@pytest.mark.parametrize("address", [
    "http://www.shanxidayuan.com/../../etc/4709.html",
    "http://www.shanxidayuan.com/%2e%2e/%2e%2e/etc/4709.html",
    "http://www.shanxidayuan.com/GSYL/lzgs/4709.html",
    "http://www.shanxidayuan.com/gsyl//4709.html",
    "http://www.shanxidayuan.com/gsyl/lzgs/../../../x/4709.html",
])
def test_hostile_channel_path_in_the_address(store, site, address):
    page = _rewrite(site / SAMPLE_PAGE, "http://www.shanxidayuan.com/gsyl/lzgs/4709.html", address)
    _refused(store, page, "channel path")


def test_address_that_is_not_an_article_address(store, site):
    page = _rewrite(site / SAMPLE_PAGE, "http://www.shanxidayuan.com/gsyl/lzgs/4709.html",
                    "http://www.shanxidayuan.com/gsyl/lzgs/index.php?id=4709")
    _refused(store, page, "<site>/<channel>/<number>.html")


@pytest.mark.parametrize("src", ["../../../../../../etc/passwd", "/../../../../etc/passwd", "../../../outside.jpg"])
def test_image_outside_the_site_folder_is_refused(store, site, tmp_path, src):
    (tmp_path / "outside.jpg").write_bytes(jpeg_bytes(100, 100))
    page = site / SAMPLE_PAGE
    current = re.search(r'<img src="([^"]+)"', page.read_text(encoding="utf-8")).group(1)
    _rewrite(page, f'src="{current}"', f'src="{src}"')
    _refused(store, page, "outside the site folder")


def test_symbolic_link_out_of_the_site_is_refused(store, site, tmp_path):
    page = site / SAMPLE_PAGE
    src = re.search(r'<img src="([^"]+)"', page.read_text(encoding="utf-8")).group(1)
    image = (page.parent / src).resolve()
    outside = tmp_path / "private.jpg"
    outside.write_bytes(image.read_bytes())
    image.unlink()
    image.symlink_to(outside)
    _refused(store, page, "outside the site folder")


def test_huge_page_is_refused_before_reading(store, tmp_path):
    page = tmp_path / "huge.html"
    with open(page, "wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    _refused(store, page, "the limit is 20 MB")


def test_encodings(store, site, tmp_path):
    page = site / SAMPLE_PAGE
    text = page.read_text(encoding="utf-8")
    page.write_bytes(text.replace('<meta charset="utf-8">', '<meta charset="gb18030">').encode("gb18030"))
    outcome = import_portal_page(store, page, create_channels=True)
    assert outcome.ok, outcome.error
    assert outcome.article.title == "党旗飘扬筑起疫情防控“钢铁长城”"

    undeclared = tmp_path / "undeclared.html"
    undeclared.write_bytes(text.replace('<meta charset="utf-8">', "").encode("gb18030"))
    error = import_portal_page(store, undeclared).error
    assert "not valid utf-8 text" in error and "gb18030" in error
    utf16 = page.parent / "utf16.html"
    utf16.write_bytes(text.encode("utf-16"))  # with its byte order mark, whatever <meta> says
    assert import_portal_page(store, utf16).error.endswith("is already in the database")  # read, then refused
    moved = tmp_path / "moved.html"  # out of its channel's folder: its photo is out of reach
    moved.write_bytes(page.read_bytes())
    assert "points outside the site folder" in import_portal_page(store, moved).error

    unknown = tmp_path / "unknown.html"
    unknown.write_bytes(text.replace('<meta charset="utf-8">', '<meta charset="klingon-8">').encode("utf-8"))
    assert "unknown charset 'klingon-8'" in import_portal_page(store, unknown).error


def test_absurd_nesting_and_garbage_give_clear_errors(store, tmp_path):
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>", encoding="utf-8")
    _refused(store, deep, "nests elements")
    garbage = tmp_path / "garbage.html"
    garbage.write_bytes(bytes(range(256)) * 50)
    assert not import_portal_page(store, garbage).ok
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    _refused(store, empty, "empty")


def test_importing_the_same_page_twice_changes_nothing(store, source_site):
    assert import_portal_page(store, source_site / SAMPLE_PAGE, create_channels=True).ok
    counts = _counts(store)
    again = import_portal_page(store, source_site / SAMPLE_PAGE, create_channels=True)
    assert not again.ok and "already" in again.error and str(source_site / SAMPLE_PAGE) in again.error
    assert _counts(store) == counts


def test_unknown_channel_without_create_channels(store, source_site):
    outcome = import_portal_page(store, source_site / SAMPLE_PAGE)
    assert not outcome.ok and "unknown channel 'gsyl/lzgs'" in outcome.error
    assert _counts(store) == (0, 0)


def test_a_photo_address_taken_by_another_photo_gets_a_new_one(store, source_site):
    page = (source_site / SAMPLE_PAGE).read_text(encoding="utf-8")
    web_name = re.search(r"uploads/(\d{4}/\d{2}/[0-9a-f]+)-\d+\.jpg", page).group(1)
    other = store.photos.add_photo(jpeg_bytes(10, 10), format="JPEG", width=10, height=10, web_name=web_name)
    outcome = import_portal_page(store, source_site / SAMPLE_PAGE, create_channels=True)
    assert outcome.ok, outcome.error
    assert any("belongs to another photo" in w for w in outcome.warnings)
    [link] = outcome.article.photos
    assert link.photo.web_name != web_name and other.web_name == web_name
