"""dropped_html names the raw HTML a body holds that the page will not show."""

from __future__ import annotations

from dayuan_desktop.core.dropped_html import SHOWN_LENGTH, DroppedMarkup, dropped_html, dropped_markup


def test_a_plain_or_markdown_body_drops_nothing():
    assert dropped_html("第一段。\n\n## 小标题\n\n**粗体** 和 [链接](https://example.com) 10:30") == []
    assert dropped_html("<b>粗体</b> <a href=\"https://example.com\" title=\"t\">链接</a>") == []


def test_an_unclosed_style_is_named_with_its_content():
    [item] = dropped_markup("第一段<style>x\n\n第二段")
    assert item.markup == "<style>x" and item.content_removed


def test_a_raw_text_element_shown_as_text_is_named_by_its_tag_and_a_tag_shown_as_text_not_at_all():
    assert dropped_markup("<textarea rows=3>abc\n\n后文") == [DroppedMarkup("<textarea rows=3>", False)]
    assert dropped_html('<div title="x>\n\n后文') == []


def test_tags_and_attributes_the_allowlist_removes_are_named():
    dropped = dropped_html('<font color=red>红</font> <a href="/a" onclick="x()">链</a> <p title="t">段</p>')
    assert dropped == ['<font color=red>', '<a href="/a" onclick="x()">', '<p title="t">']


def test_script_links_are_named_also_from_markdown():
    assert dropped_html("[点这里](javascript:alert(1))") == ['<a href="javascript:alert(1)">']
    assert dropped_html('<img src="java\tscript:alert(1)">') == ['<img src="java script:alert(1)">']


def test_each_piece_is_named_once_on_one_short_line():
    dropped = dropped_html("<span>一</span><span>二</span>\n\n<script>\n" + "很长的脚本" * 40 + "\n</script>")
    assert len(dropped) == 2 and "<span>" in dropped
    [script] = [item for item in dropped if item.startswith("<script>")]
    assert "\n" not in script and len(script) == SHOWN_LENGTH and script.endswith("…")


def test_a_photo_line_is_not_raw_html():
    assert dropped_html("![图为现场。](photo:" + "ab" * 32 + ")\n\n正文") == []


def test_photo_lines_alone_drop_nothing_and_do_not_hide_raw_html_beside_them():
    photo = "![图为查验车辆。](photo:" + "ab" * 32 + ")"
    assert dropped_markup(f"第一段。\n\n{photo}\n\n第二段。") == []
    assert dropped_markup(f"第一段。\n\n{photo}\n\n<font color=red>红</font>") == [DroppedMarkup("<font color=red>", False)]
