"""Markdown → document → Markdown: golden bodies, escaping, and a Hypothesis round trip.

Generated documents are built directly with a cursor (not by the reader under test), written
as Markdown, read back and written again. The Markdown must be stable, the text the same,
and python-markdown's HTML for it must have the document's structure.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor, QTextDocument

from dayuan_desktop.core.interchange.markdown_files import link_photos, read_markdown_article
from dayuan_desktop.core.render import render_body
from dayuan_desktop.ui.editor.body_document import BodyDocument
from dayuan_desktop.ui.editor.body_formats import (
    LINE_SEPARATOR,
    LINK_COLOUR,
    block_format,
    heading_char_format,
    image_format,
    list_format,
    placeholder_image,
)
from dayuan_desktop.ui.editor.markdown_reader import markdown_to_html, read_markdown
from dayuan_desktop.ui.editor.markdown_writer import document_to_markdown
from tests.ui.editor.doc_structure import document_structure, html_structure

SAMPLE = Path(__file__).resolve().parents[3] / "resources" / "sample" / "4709.md"
SHA = "0123456789abcdef" * 4


def round_trip(markdown: str) -> tuple[QTextDocument, str]:
    document = QTextDocument()
    read_markdown(document, markdown)
    return document, document_to_markdown(document)


def test_sample_body_comes_back_byte_for_byte(qapp):
    parsed = read_markdown_article(SAMPLE)
    body = link_photos(parsed.body, parsed.photos, [SHA])
    assert body.startswith(f"![图为防控人员在道路卡口逐一查验过往车辆。](photo:{SHA})\n\n")
    document, written = round_trip(body)
    assert written == body
    assert document.begin().text() == "\ufffc"  # the photo is an image block
    headings = [b for b in document_structure(document) if b[0] == "h2"]
    assert [h[3][0][0] for h in headings] == ["党员干部集结下沉防疫一线", "党旗飘扬党徽生辉展现风采"]


@pytest.mark.parametrize(
    "markdown",
    [
        "第一段。\n\n## 小标题\n\n### 三级标题\n\n第二段，**加粗**和*倾斜*，[链接](https://example.com/a_b?x=1&y=2)。\n",
        "- 一\n- 二\n    - 二之一\n        - 更深\n- 三\n\n1. 甲\n2. 乙\n    1. 乙一\n3. 丙\n4. 丁\n\n- 另一个列表\n",
        "> 引用第一段\n>\n> 引用第二段 **重点**\n\n正文\n",
        "诗句一  \n诗句二  \n诗句三\n",
        "| 地区 | 人数 |\n| --- | --- |\n| 平城区 | 6247 |\n| 新华街道 | 293 |\n",
        "前文\n\n---\n\n后文\n",
        "    code line\n    second line\n",
        "名称 `a*b` 与 ``x`y``\n",
        f"![图说 *原样* _照登_](photo:{SHA})\n\n图后正文\n",
        "\\# 不是标题\n\n1\\. 不是列表\n\n\\- 不是列表\n\n\\> 不是引用\n\n\\+ 也不是\n",
        # only what python-markdown would misread is escaped
        "星号 \\* 下划线 a_b 方括号 [注] 尖括号 &lt;b> 与号 & 实体 &amp;amp; 反引号 \\`\n",
    ],
)
def test_golden_bodies_are_written_back_unchanged(qapp, markdown):
    _document, written = round_trip(markdown)
    assert written == markdown


def test_text_that_looks_like_markup_shows_literally(qapp):
    text = "*星* _线_ [括](号) <b>粗</b> &amp; # 井 > 大于 1. 数 - 减 + 加 `码` \\ 斜 | 竖 ![图](x)"
    document = QTextDocument()
    QTextCursor(document).insertText(text)
    markdown = document_to_markdown(document)
    rendered = render_body(markdown, {}, lambda photo: "")
    again = QTextDocument()
    read_markdown(again, markdown)
    assert again.toPlainText() == text
    assert "<strong>" not in rendered and "<em>" not in rendered and "<a " not in rendered


def test_soft_line_breaks_between_chinese_vanish_and_others_become_spaces(qapp):
    document, written = round_trip("党旗\n飘扬 and\nmore\n")
    assert document.toPlainText() == "党旗飘扬 and more"
    assert written == "党旗飘扬 and more\n"


def test_a_line_break_at_a_line_start_keeps_the_next_line_from_becoming_markup(qapp):
    document = QTextDocument()
    QTextCursor(document).insertText(f"第一行{LINE_SEPARATOR}# 不是标题{LINE_SEPARATOR}1. 也不是列表")
    markdown = document_to_markdown(document)
    assert "<h1>" not in markdown_to_html(markdown) and "<ol>" not in markdown_to_html(markdown)
    again = QTextDocument()
    read_markdown(again, markdown)
    assert again.begin().text() == document.begin().text()


def test_a_photo_inside_a_paragraph_is_written_on_its_own_line(qapp):
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertText("图前")
    cursor.insertImage(image_format(f"photo:{SHA}", "说明]文字"))
    cursor.insertText("图后")
    assert document_to_markdown(document) == f"图前\n\n![说明］文字](photo:{SHA})\n\n图后\n"


def test_empty_document_is_empty_markdown(qapp):
    assert round_trip("")[1] == ""
    assert round_trip("\n\n   \n")[1] == ""


# -- Hypothesis --------------------------------------------------------------------------------

PIECES = [
    "党", "旗", "飘扬", "钢铁长城", "，", "。", "“", "”", "（", "）", "、", "　",
    "a", "Bc", "news", "4709", "2022", "3.5",
    "*", "**", "_", "__", "[", "]", "](", "<", "<b>", "&", "&amp;", "&#", "&#12", "&lt", "#", "##", ">", "1.", "2)", "-", "+",
    "`", "\\", "|", "!", "![", "(", ")", "~", "=", "---", ":", "'", '"', " ", "  ",
]
HREFS = [
    "https://www.sxdygbjy.com/gsyl/lzgs/4709.html", "https://example.com/a_b?x=1&y=2", "/gsyl/4709.html",
    "mailto:news@example.cn", "https://例子.中国/路径", "https://example.com/a_(b)", "http://x.cn/*y*",
]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join)
plain_runs = st.tuples(texts, st.booleans(), st.booleans(), st.booleans(), st.none() | st.sampled_from(HREFS))


@st.composite
def runs(draw, breaks: bool, bold: bool = True):
    items = draw(st.lists(plain_runs, min_size=1, max_size=5))
    out = []
    for text, is_bold, italic, code, href in items:
        # a line break inside a paragraph, before text (two in a row are a paragraph break)
        if breaks and out and text.strip(" ") and draw(st.integers(0, 4)) == 0:
            out.append((LINE_SEPARATOR, False, False, False, None))
        out.append((text, is_bold and bold and not code, italic and not code, code and draw(st.integers(0, 3)) == 0,
                    href))
    return out


@st.composite
def blocks(draw):
    kind = draw(st.sampled_from(["p", "p", "p", "h", "li", "li", "photo"]))
    if kind == "photo":
        alt = draw(st.lists(st.sampled_from([p for p in PIECES if "]" not in p and p.strip()]), max_size=4))
        return ("photo", "".join(alt))
    quote = draw(st.sampled_from([0, 0, 0, 1, 2]))
    if kind == "h":
        return ("h", draw(st.sampled_from([2, 3])), quote, draw(runs(False, bold=False)))
    if kind == "li":
        return ("li", draw(st.booleans()), draw(st.integers(1, 3)), quote, draw(runs(True)))
    return ("p", quote, draw(runs(True)))


def build(spec: list[tuple]) -> QTextDocument:
    """A document made with a cursor, the way typing and the toolbar make one."""
    document = QTextDocument()
    cursor = QTextCursor(document)
    lists: dict[int, tuple] = {}  # depth -> (numbered, QTextList)
    previous_depth, previous_quote = 0, 0
    for index, block in enumerate(spec):
        if block[0] == "li":
            _, numbered, depth, quote, block_runs = block
            # Markdown nests one level at a time, within one quote
            depth = min(depth, (previous_depth if quote == previous_quote else 0) + 1)
            previous_quote = quote
            fmt = block_format(quote=quote)
        elif block[0] == "h":
            fmt, depth, block_runs = block_format(heading=block[1], quote=block[2]), 0, block[3]
        elif block[0] == "p":
            fmt, depth, block_runs = block_format(quote=block[1]), 0, block[2]
        else:
            fmt, depth, block_runs = block_format(), 0, None
        heading = fmt.headingLevel()
        if index:
            cursor.insertBlock(fmt, heading_char_format(heading))
        else:
            cursor.setBlockFormat(fmt)
        if depth:
            if previous_depth == 0:
                lists.clear()
            for deeper in [d for d in lists if d > depth]:
                del lists[deeper]
            current = lists.get(depth)
            if current and current[0] == numbered:
                current[1].add(cursor.block())
            else:
                lists[depth] = (numbered, cursor.createList(list_format(numbered, depth)))
        else:
            lists.clear()
        previous_depth = depth
        if block_runs is None:
            cursor.insertImage(image_format(f"photo:{SHA}", block[1]))
            continue
        for text, bold, italic, code, href in block_runs:
            char = heading_char_format(heading)
            if bold:
                char.setFontWeight(QFont.Weight.Bold)
            char.setFontItalic(italic)
            if code:
                char.setFontFixedPitch(True)
            if href:
                char.setAnchor(True)
                char.setAnchorHref(href)
                char.setForeground(LINK_COLOUR)
            cursor.insertText(text, char if isinstance(char, QTextCharFormat) else QTextCharFormat())
    return document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(blocks(), min_size=1, max_size=8))
def test_round_trip_is_stable_and_keeps_text_and_structure(qapp, spec):
    document = build(spec)
    markdown = document_to_markdown(document)
    again = QTextDocument()
    read_markdown(again, markdown)
    assert document_to_markdown(again) == markdown
    expected = document_structure(document)
    assert document_structure(again) == expected
    assert html_structure(markdown_to_html(markdown)) == expected


@pytest.mark.parametrize("text", ["#", "标题#", "a\\#", "a\\\\#", "C#", "###"])
def test_a_heading_ending_in_a_hash_keeps_it(qapp, text):
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.setBlockFormat(block_format(heading=2))
    cursor.insertText(text, heading_char_format(2))
    markdown = document_to_markdown(document)
    again = QTextDocument()
    read_markdown(again, markdown)
    assert again.toPlainText() == text and again.begin().blockFormat().headingLevel() == 2
    assert document_to_markdown(again) == markdown


def test_raw_html_in_a_body_gives_text_only_and_loads_nothing(qapp, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not shown")
    body = (
        "<script>alert(1)</script>\n\n"
        f'<p onclick="x()">文字<img src="{secret.as_uri()}" alt="本地" onerror="alert(2)"></p>\n\n'
        '<iframe src="https://example.com/"></iframe>\n\n<style>p{color:red}</style>\n'
    )
    document = BodyDocument()
    read_markdown(document, body)
    assert document.toPlainText() == "文字\ufffc"
    assert "alert" not in document_to_markdown(document)
    # the image is kept as written, but its pixels are the placeholder, never the file
    assert document.image_names() == [secret.as_uri()]
    assert document.image_for(secret.as_uri()).size() == placeholder_image().size()


def test_a_quoted_photo_is_written_where_the_portal_makes_a_figure_of_it(qapp):
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.setBlockFormat(block_format(quote=1))
    cursor.insertText("引语")
    cursor.insertBlock(block_format(quote=1))
    cursor.insertImage(image_format(f"photo:{SHA}", "图说"))
    markdown = document_to_markdown(document)
    assert markdown == f"> 引语\n\n![图说](photo:{SHA})\n"
    rendered = render_body(markdown, {}, lambda photo: "")
    assert '<p class="caption">图说</p>' in rendered
