"""Raw HTML in a body never takes the article's own text off the page (issue 15, item 10)."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.raw_html_bounds import BOUNDED_ELEMENTS, bound_raw_html, close_raw_blocks
from dayuan_desktop.core.render import render_body, sanitize_html

RAW_TEXT = ["style", "script", "textarea", "title", "xmp", "noembed", "iframe", "noscript", "plaintext", "noframes"]


def rendered(body: str) -> str:
    return render_body(body, {}, lambda photo: "")


def test_the_reported_case_keeps_the_paragraph_after_it():
    assert sanitize_html("<p><style>x</p><p>after</p>") == "<p></p><p>after</p>"


@pytest.mark.parametrize("name", RAW_TEXT + ["template", "svg", "math", "STYLE", "Script"])
def test_an_element_left_open_ends_at_its_paragraph(name):
    page = rendered(f"第一段<{name}>内容\n\n第二段照常。\n\n第三段照常。")
    assert "第二段照常。" in page and "第三段照常。" in page
    assert f"<{name.lower()}" not in page.lower()
    assert page.startswith("<p>第一段")


@pytest.mark.parametrize("name", RAW_TEXT + ["template", "svg", "math"])
def test_an_element_opening_a_block_ends_at_the_blank_line(name):
    # Left open at a line's start, python-markdown took the rest of the body for raw HTML: its
    # text stayed but not its paragraphs and headings.
    page = rendered(f"<{name}>内容\n\n第二段照常。\n\n## 小标题\n\n第三段照常。")
    assert page.endswith("<p>第二段照常。</p>\n<h2>小标题</h2>\n<p>第三段照常。</p>"), page
    assert rendered(f"第一段\n  <{name}>内容\n\n第二段").endswith("\n<p>第二段</p>")


def test_a_closed_raw_block_is_left_as_it_is():
    assert close_raw_blocks("<style>\np {}\n</style>\n\n正文") == "<style>\np {}\n</style>\n\n正文"
    assert close_raw_blocks("<style>x\n\n正文") == "<style>x</style>\n\n正文"
    assert close_raw_blocks("    <style>代码\n\n正文") == "    <style>代码\n\n正文"


def test_script_and_style_lose_their_content_the_others_show_it_as_text():
    assert rendered("甲<script>alert(1)</script>乙") == "<p>甲乙</p>"
    assert rendered("甲<style>p{}</style>乙") == "<p>甲乙</p>"
    assert rendered("甲<textarea>一<b>二</b></textarea>乙") == "<p>甲一&lt;b&gt;二&lt;/b&gt;乙</p>"
    assert rendered("甲<xmp>x</xmp>乙") == "<p>甲x乙</p>"  # was split out of its paragraph before
    assert rendered("甲<plaintext>x\n\n乙") == "<p>甲x</p>\n<p>乙</p>"


def test_a_closed_element_spanning_blank_lines_ends_at_the_first():
    page = rendered("<script>\nvar a;\n\n第二段\n</script>\n\n第三段")
    assert "var a;" not in page
    assert "第二段" in page and "第三段" in page


def test_an_unclosed_comment_ends_at_its_paragraph_and_a_closed_one_is_removed():
    assert "第二段" in rendered("<div>\n<!-- 注释\n</div>\n\n第二段")
    assert rendered("甲<!-- 注释 -->乙") == "<p>甲乙</p>"


def test_a_tag_whose_quote_never_closes_is_shown_as_text():
    page = rendered('<div title="x>\n\n第二段 "引号" 之后\n\n第三段')
    assert "第二段" in page and "第三段" in page


def test_markup_inside_an_attribute_value_is_not_an_element():
    fragment = '<p><img alt="<style>" src="a.png">后文</p>'
    assert bound_raw_html(fragment) == fragment


def test_removing_an_element_cannot_join_text_into_a_new_tag():
    assert "<script" not in sanitize_html("<p><<style>x</style>script>alert(1)</p><p>后文</p>")
    assert "后文" in sanitize_html("<p><<style>x</style>script>alert(1)</p><p>后文</p>")


def test_a_fragment_without_markup_is_returned_as_it_is():
    text = "纯文本，没有标记。"
    assert bound_raw_html(text) is text


def test_every_raw_text_element_is_bounded():
    assert set(RAW_TEXT) <= BOUNDED_ELEMENTS


def test_a_div_never_closed_ends_at_its_paragraph_and_the_markdown_after_it_renders():
    from dayuan_desktop.core.render import markdown_html

    body = '第一段。\n\n<div class="box">\n框里的字\n\n**第二段**加粗。\n\n- 列表一\n- 列表二\n'
    page = markdown_html(body)
    assert "<strong>第二段</strong>" in page and "<li>列表二</li>" in page
    assert "框里的字" in page and "**" not in page


def test_a_div_closed_paragraphs_later_stays_one_block_and_nested_ones_count():
    assert close_raw_blocks('<div class="box">\n\n框里\n\n</div>\n\n**后面**') == (
        '<div class="box">\n\n框里\n\n</div>\n\n**后面**')
    nested = "<div>a<div>b</div>\n\n**粗**\n\n</div>\n\n**后**"
    assert close_raw_blocks(nested) == nested
    assert close_raw_blocks("<section>开\n\n<div>里</div>\n\n尾") == "<section>开</section>\n\n<div>里</div>\n\n尾"
    assert close_raw_blocks("    <div>代码\n\n正文") == "    <div>代码\n\n正文"  # indented: a code block
