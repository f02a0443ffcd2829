"""The render pipeline: Markdown body → sanitised HTML fragment, photo figures, captions, whole pages."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import jinja2.bccache
import pytest

from dayuan_desktop.core.captions import compose_caption, split_caption
from dayuan_desktop.core.records import ArticlePhotoRecord, ArticleRecord, PhotoRecord
from dayuan_desktop.core.render import (
    PortalRenderer,
    photo_figure_html,
    render_article_page,
    render_body,
)
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.visible_text import visible_lines

WHEN = datetime(2022, 12, 13, 6, 46, 28, tzinfo=UTC)  # 14:46:28 in Beijing


def make_photo(caption: str = "防控人员在道路卡口逐一查验过往车辆", photographer: str = "马向英", *,
               seed: str = "checkpoint", width: int = 1600) -> PhotoRecord:
    sha = hashlib.sha256(seed.encode()).hexdigest()
    return PhotoRecord(
        id=1, sha256=sha, format="JPEG", width=width, height=900, byte_size=1234, caption=caption,
        photographer=photographer, credit="", copyright="", original_name="checkpoint.jpg", taken_at=None,
        web_name=f"2022/12/{sha[:16]}",
    )


def make_article(body: str = "正文。", photos: tuple[PhotoRecord, ...] = (), **changes) -> ArticleRecord:
    article = ArticleRecord(
        id=7, uuid="6b0f3c6e-4709-4d6a-9c1e-2a7f0b8d4709", number=4709, channel_path="gsyl/lzgs",
        title="党旗飘扬筑起疫情防控“钢铁长城”", subtitle="", author="网络编辑", source="大同", published_at=WHEN,
        summary="摘要。", status="published", body=body, tags=("防控", "疫情"), comment_count=0, like_count=0,
        view_count=0, version=1, created_at=WHEN, updated_at=WHEN, updated_by="tester", deleted_at=None,
        photos=tuple(ArticlePhotoRecord(photo, n, n == 0) for n, photo in enumerate(photos)),
    )
    return replace(article, **changes)


def body_html(body: str, photos: tuple[PhotoRecord, ...] = ()) -> str:
    return render_body(body, {p.sha256: p for p in photos}, lambda p: f"../../uploads/{p.web_name}-1200.jpg")


# -- Markdown features -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param("第一段。\n\n第二段。", "<p>第一段。</p>\n<p>第二段。</p>", id="paragraphs"),
        pytest.param("## 党员干部集结下沉防疫一线\n\n正文。", "<h2>党员干部集结下沉防疫一线</h2>\n<p>正文。</p>",
                     id="subheading"),
        pytest.param("### 小节", "<h3>小节</h3>", id="h3"),
        pytest.param("这是**重点**内容", "<p>这是<strong>重点</strong>内容</p>", id="bold"),
        pytest.param("这是*强调*内容", "<p>这是<em>强调</em>内容</p>", id="italic"),
        pytest.param("_强调_", "<p><em>强调</em></p>", id="italic-underscore"),
        pytest.param("***都有***", "<p><strong><em>都有</em></strong></p>", id="bold-italic"),
        pytest.param("- 甲\n- 乙\n- 丙", "<ul>\n<li>甲</li>\n<li>乙</li>\n<li>丙</li>\n</ul>", id="unordered-list"),
        pytest.param("1. 甲\n2. 乙", "<ol>\n<li>甲</li>\n<li>乙</li>\n</ol>", id="ordered-list"),
        pytest.param("3. 丙\n4. 丁", '<ol start="3">\n<li>丙</li>\n<li>丁</li>\n</ol>', id="ordered-list-start"),
        pytest.param("> 引用一句话。", "<blockquote>\n<p>引用一句话。</p>\n</blockquote>", id="blockquote"),
        pytest.param(
            "详见[大院网](http://www.shanxidayuan.com/)。",
            '<p>详见<a href="http://www.shanxidayuan.com/" rel="noopener noreferrer">大院网</a>。</p>',
            id="link",
        ),
        pytest.param(
            '[链接](https://example.com/a?b=1&c=2 "标题")',
            '<p><a href="https://example.com/a?b=1&amp;c=2" title="标题" rel="noopener noreferrer">链接</a></p>',
            id="link-with-title",
        ),
        pytest.param(
            "<http://www.shanxidayuan.com/>",
            '<p><a href="http://www.shanxidayuan.com/" rel="noopener noreferrer">http://www.shanxidayuan.com/</a></p>',
            id="autolink",
        ),
        pytest.param("第一段\n\n---\n\n第二段", "<p>第一段</p>\n<hr>\n<p>第二段</p>", id="rule"),
        pytest.param("价格 <b>&</b> 1 < 2", "<p>价格 <b>&amp;</b> 1 &lt; 2</p>", id="escaping"),
    ],
)
def test_markdown_features(markdown: str, expected: str):
    assert body_html(markdown) == expected


def test_table():
    markdown = "| 街道 | 人数 |\n| --- | --- |\n| 新华街道 | 120 |\n| 武定街道 | 98 |\n"
    assert body_html(markdown) == (
        "<table>\n<thead>\n<tr>\n<th>街道</th>\n<th>人数</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>新华街道</td>\n<td>120</td>\n</tr>\n<tr>\n<td>武定街道</td>\n<td>98</td>\n</tr>\n</tbody>\n"
        "</table>"
    )


def test_table_column_alignment_survives_sanitising():
    html = body_html("| 左 | 中 | 右 |\n|:--|:-:|--:|\n| a | b | c |\n")
    assert '<th align="left">左</th>' in html
    assert '<th align="center">中</th>' in html
    assert '<td align="right">c</td>' in html
    assert "style=" not in html


def test_links_always_get_rel_noopener():
    html = body_html('<a href="https://example.com/" rel="opener" target="_blank">外链</a>')
    assert html == '<p><a href="https://example.com/" rel="noopener noreferrer">外链</a></p>'


def test_disallowed_markup_is_removed_but_text_kept():
    html = body_html('<div class="x" style="color:red"><span onclick="x()">保留</span></div>')
    assert "保留" in html
    for fragment in ("div", "span", "style", "onclick", "class"):
        assert fragment not in html


# -- soft line breaks --------------------------------------------------------------------------
def test_cjk_soft_break_disappears():
    assert body_html("第一行\n第二行") == "<p>第一行第二行</p>"


def test_cjk_soft_break_after_fullwidth_punctuation_disappears():
    assert body_html("平城区迅速行动，\n科学组织。\n党旗高高飘扬") == "<p>平城区迅速行动，科学组织。党旗高高飘扬</p>"


def test_latin_soft_break_stays_a_space():
    html = body_html("first line\nsecond line")
    assert html == "<p>first line\nsecond line</p>"
    assert visible_lines(html) == ["first line second line"]


def test_mixed_soft_breaks():
    assert visible_lines(body_html("中文\n中文\nEnglish\nwords\n中文")) == ["中文中文 English words 中文"]


def test_hard_break_is_kept():
    assert body_html("第一行  \n第二行") == "<p>第一行<br>\n第二行</p>"


# -- photos ------------------------------------------------------------------------------------
def test_photo_line_becomes_the_portal_figure_with_the_house_caption():
    photo = make_photo()
    html = body_html(f"![查验车辆](photo:{photo.sha256})", (photo,))
    caption = "图为防控人员在道路卡口逐一查验过往车辆。马向英摄"
    src = f"../../uploads/{photo.web_name}-1200.jpg"
    assert html == f'<p class="photo"><img src="{src}" alt="{caption}"></p>\n<p class="caption">{caption}</p>'


def test_photo_alt_is_the_caption_when_the_photo_has_none():
    photo = make_photo(caption="", photographer="马向英")
    html = body_html(f"![图为防控人员查验车辆。](photo:{photo.sha256})", (photo,))
    assert visible_lines(html) == ["图为防控人员查验车辆。马向英摄"] * 2


def test_photo_inside_a_paragraph_gets_its_own_blocks():
    photo = make_photo()
    html = body_html(f"前文\n![x](photo:{photo.sha256})\n后文", (photo,))
    assert visible_lines(html) == ["前文", *["图为防控人员在道路卡口逐一查验过往车辆。马向英摄"] * 2, "后文"]
    assert html.startswith("<p>前文</p>")
    assert html.endswith("<p>后文</p>")


def test_unknown_photo_hash_gives_only_the_caption_line():
    unknown = hashlib.sha256(b"not in the library").hexdigest()
    html = body_html(f"![图为道路卡口。](photo:{unknown})")
    assert html == '<p class="caption">图为道路卡口。</p>'
    assert "<img" not in html


def test_photo_caption_is_escaped():
    photo = make_photo(caption='<b>卡口</b> & "车辆"', photographer="<i>马</i>")
    html = body_html(f"![x](photo:{photo.sha256})", (photo,))
    assert "<b>" not in html and "<i>" not in html
    assert visible_lines(html) == ['图为<b>卡口</b> & "车辆"。<i>马</i>摄'] * 2


def test_photo_figure_html_without_rendition():
    assert photo_figure_html(None, "说明", None) == '<p class="caption">说明</p>'


# -- whole pages -------------------------------------------------------------------------------
def test_render_article_page_is_deterministic():
    photo = make_photo()
    body = f"![x](photo:{photo.sha256})\n\n导语。\n\n## 小标题\n\n正文**重点**。\n"
    first = render_article_page(make_article(body, (photo,)))
    second = render_article_page(make_article(body, (photo,)))
    third = PortalRenderer(SiteSettings()).article_page(make_article(body, (photo,)))
    assert first.encode("utf-8") == second.encode("utf-8") == third.encode("utf-8")


def test_compiled_templates_are_kept_and_a_damaged_one_is_compiled_again(tmp_path):
    article = make_article("导语。\n\n## 小标题\n\n正文。")
    expected = PortalRenderer(SiteSettings()).article_page(article)
    compiled = tmp_path / "cache" / "templates"
    assert PortalRenderer(SiteSettings(), compiled_dir=compiled).article_page(article) == expected
    kept = sorted(compiled.iterdir())
    assert len(kept) >= 2  # the article page and the base it extends, at least
    for entry in kept:
        entry.write_bytes(b"j2 not a compiled template")
    assert PortalRenderer(SiteSettings(), compiled_dir=compiled).article_page(article) == expected


def test_an_edited_override_is_never_served_from_compiled_templates(tmp_path):
    override, compiled = tmp_path / "mine", tmp_path / "compiled"
    (override / "partials").mkdir(parents=True)
    footer = override / "partials" / "footer.html"
    footer.write_text("<footer>第一版页脚</footer>\n", encoding="utf-8")
    first = PortalRenderer(SiteSettings(), override_dir=override, compiled_dir=compiled).article_page(make_article())
    footer.write_text("<footer>第二版页脚</footer>\n", encoding="utf-8")
    second = PortalRenderer(SiteSettings(), override_dir=override, compiled_dir=compiled).article_page(make_article())
    assert "第一版页脚" in first and "第二版页脚" in second and "第一版页脚" not in second


def test_a_compiled_template_cut_short_after_its_header_is_compiled_again(tmp_path):
    article = make_article("导语。")
    expected = PortalRenderer(SiteSettings()).article_page(article)
    compiled = tmp_path / "compiled"
    PortalRenderer(SiteSettings(), compiled_dir=compiled).article_page(article)
    for entry in compiled.iterdir():  # the right header, then a torn checksum and no code
        entry.write_bytes(entry.read_bytes()[: len(jinja2.bccache.bc_magic) + 3])
    assert PortalRenderer(SiteSettings(), compiled_dir=compiled).article_page(article) == expected


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a folder no one can write to, even root")
def test_a_compiled_folder_that_cannot_be_written_only_costs_compiling():
    article = make_article("导语。")
    expected = PortalRenderer(SiteSettings()).article_page(article)
    assert PortalRenderer(SiteSettings(), compiled_dir=Path("/proc/self")).article_page(article) == expected


def test_templates_compiled_with_other_options_are_never_used(tmp_path, monkeypatch):
    from dayuan_desktop.core import render

    compiled = tmp_path / "compiled"
    article = make_article("导语。")
    before = PortalRenderer(SiteSettings(), compiled_dir=compiled).article_page(article)
    monkeypatch.setitem(render._TEMPLATE_OPTIONS, "trim_blocks", False)  # as a later version might
    expected = PortalRenderer(SiteSettings()).article_page(article)
    assert PortalRenderer(SiteSettings(), compiled_dir=compiled).article_page(article) == expected
    assert expected != before  # the option does change the page


def test_an_unusable_compiled_folder_only_costs_compiling(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way", encoding="utf-8")
    page = PortalRenderer(SiteSettings(), compiled_dir=blocked / "templates").article_page(make_article())
    assert page == PortalRenderer(SiteSettings()).article_page(make_article())
    assert blocked.read_text(encoding="utf-8") == "in the way"


def test_article_page_shows_the_fields_in_reading_order():
    photo = make_photo()
    page = render_article_page(make_article(f"![x](photo:{photo.sha256})\n\n正文第一段。", (photo,),
                                            subtitle="副标题"))
    lines = visible_lines(page)
    start = lines.index("党旗飘扬筑起疫情防控“钢铁长城”")
    assert lines[start + 1 : start + 6] == [
        "副标题",
        "网络编辑 大同 2022-12-13 14:46:28 0 防控 疫情",
        "图为防控人员在道路卡口逐一查验过往车辆。马向英摄",
        "图为防控人员在道路卡口逐一查验过往车辆。马向英摄",
        "正文第一段。",
    ]
    assert '<img src="../../uploads/' in page
    assert "本文地址:http://www.shanxidayuan.com/gsyl/lzgs/4709.html" in lines


def test_article_page_without_subtitle_has_no_subtitle_block():
    assert "article-subtitle" not in render_article_page(make_article())


def test_article_page_escapes_template_values():
    page = render_article_page(make_article(title="<script>alert(1)</script>{{7*7}}", author='"><b>x'))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in page
    assert "<b>x" not in page
    assert "<script>alert(1)</script>{{7*7}}" in visible_lines(page)


# -- captions ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("caption", "photographer", "expected"),
    [
        pytest.param("防控人员查验车辆", "马向英", "图为防控人员查验车辆。马向英摄", id="plain"),
        pytest.param("图为防控人员查验车辆", "马向英", "图为防控人员查验车辆。马向英摄", id="leading-tuwei"),
        pytest.param("图为图为防控人员查验车辆", "马向英", "图为防控人员查验车辆。马向英摄", id="doubled-tuwei"),
        pytest.param("图为 图为 车辆", "马向英", "图为车辆。马向英摄", id="doubled-tuwei-spaced"),
        pytest.param("防控人员查验车辆。", "马向英", "图为防控人员查验车辆。马向英摄", id="trailing-full-stop"),
        pytest.param("防控人员查验车辆。。", "马向英", "图为防控人员查验车辆。马向英摄", id="trailing-doubled"),
        pytest.param("防控人员查验车辆！", "马向英", "图为防控人员查验车辆。马向英摄", id="trailing-exclamation"),
        pytest.param("防控人员查验车辆，", "马向英", "图为防控人员查验车辆。马向英摄", id="trailing-comma"),
        pytest.param("vehicles checked.", "Ma", "图为vehicles checked。Ma摄", id="trailing-ascii-period"),
        pytest.param("  防控人员 \n 查验车辆 \u3000", "  马向英 ", "图为防控人员 查验车辆。马向英摄", id="spaces"),
        pytest.param("防控人员查验车辆", "马向英摄", "图为防控人员查验车辆。马向英摄", id="photographer-with-she"),
        pytest.param("", "马向英", "马向英摄", id="empty-caption"),
        pytest.param("   ", "马向英", "马向英摄", id="blank-caption"),
        pytest.param("图为", "马向英", "马向英摄", id="only-tuwei"),
        pytest.param("防控人员查验车辆", "", "图为防控人员查验车辆。", id="empty-photographer"),
        pytest.param("", "", "", id="both-empty"),
        pytest.param(
            "平城区（新华街道）“守门员”：查验、登记；提醒",
            "马向英",
            "图为平城区（新华街道）“守门员”：查验、登记；提醒。马向英摄",
            id="full-width-punctuation-kept",
        ),
        pytest.param("第一句。第二句", "马向英", "图为第一句。第二句。马向英摄", id="inner-full-stop-kept"),
    ],
)
def test_compose_caption(caption: str, photographer: str, expected: str):
    assert compose_caption(caption, photographer) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("图为防控人员在道路卡口逐一查验过往车辆。马向英摄", ("防控人员在道路卡口逐一查验过往车辆", "马向英"),
                     id="house-style"),
        pytest.param("图为防控人员查验车辆。", ("防控人员查验车辆", ""), id="no-photographer"),
        pytest.param("马向英摄", ("", "马向英"), id="only-photographer"),
        pytest.param("图为第一句。第二句。马向英摄", ("第一句。第二句", "马向英"), id="inner-full-stop"),
        pytest.param("图为记者在拍摄", ("记者在拍摄", ""), id="she-in-caption"),
        pytest.param("  图为车辆。马向英摄  ", ("车辆", "马向英"), id="surrounding-spaces"),
        pytest.param("道路卡口", ("道路卡口", ""), id="free-text"),
        pytest.param("", ("", ""), id="empty"),
    ],
)
def test_split_caption(line: str, expected: tuple[str, str]):
    assert split_caption(line) == expected


@pytest.mark.parametrize(
    ("caption", "photographer"),
    [
        ("防控人员在道路卡口逐一查验过往车辆", "马向英"),
        ("第一句。第二句", "马向英"),
        ("记者在拍摄", ""),
        ("记者在拍摄", "马向英"),
        ("平城区（新华街道）“守门员”：查验、登记；提醒", "王宏伟"),
        ("", "马向英"),
        ("防控人员查验车辆", ""),
        ("vehicles at the checkpoint", "Ma Xiangying"),
    ],
)
def test_caption_round_trip(caption: str, photographer: str):
    line = compose_caption(caption, photographer)
    assert split_caption(line) == (caption, photographer)
    assert compose_caption(*split_caption(line)) == line


# -- URLs --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "markdown",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',  # Markdown turns the tab into spaces
        '<a href="&#x6a avascript:alert(1)">x</a>',
        '<a href=" vbscript:msgbox(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
        '<img src="java   script:alert(1)">',
    ],
)
def test_script_urls_are_dropped_even_when_disguised(markdown: str):
    html = body_html(markdown)
    assert "href=" not in html and "src=" not in html
    assert "alert" not in html and "msgbox" not in html and "base64" not in html


def test_ordinary_urls_are_kept():
    html = body_html("[a](https://example.com/javascript:void) [b](/local/page.html) [c](mailto:x@example.com)")
    assert 'href="https://example.com/javascript:void"' in html
    assert 'href="/local/page.html"' in html
    assert 'href="mailto:x@example.com"' in html
