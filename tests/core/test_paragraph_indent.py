"""One rule for a paragraph's leading white space (issue 15, item 11): the page never shows it,
whichever render path a body takes, and import does not keep what the page drops."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.interchange.html_to_markdown import body_to_markdown
from dayuan_desktop.core.interchange.html_tree import parse_html
from dayuan_desktop.core.interchange.markdown_files import import_markdown_file
from dayuan_desktop.core.paragraph_indent import INDENT_SPACES, UNICODE_SPACES, strip_markdown_indents
from dayuan_desktop.core.render import plain_markdown_html, render_body
from tests.helpers import write_markdown

WORD_TEXT = "\u3000\u3000第一段，平城区。\n\n\u3000\u3000第二段。\n\n\u3000\u3000第三段。\n"


def page(body: str) -> str:
    return render_body(body, {}, lambda photo: "")


def test_the_spaces_are_exactly_what_python_treats_as_white_space():
    assert set(INDENT_SPACES) == {chr(code) for code in range(0x110000) if chr(code).isspace()}
    assert not set(" \t\n\r") & set(UNICODE_SPACES)


@pytest.mark.parametrize("space", [*UNICODE_SPACES, "\u3000\u3000"])
def test_one_bold_word_does_not_re_indent_the_article(space):
    plain = f"{space}第一段。\n\n{space}第二段。"
    assert plain_markdown_html(plain, lambda match: "") is not None  # the fast path
    bold = plain + "\n\n**粗体**。"  # python-markdown
    assert page(plain) == "<p>第一段。</p>\n<p>第二段。</p>"
    assert page(bold).startswith(page(plain) + "\n")


def test_markdown_indents_go_at_paragraph_starts_only():
    assert strip_markdown_indents(WORD_TEXT) == "第一段，平城区。\n\n第二段。\n\n第三段。\n"
    assert strip_markdown_indents("\u00a0\u2028正文\r\n\r\n \u3000正文") == "正文\n\n正文"
    # Inside a paragraph and in code the text is the writer's own.
    assert strip_markdown_indents("第一行\n\u3000第二行") == "第一行\n\u3000第二行"
    assert strip_markdown_indents("    \u3000代码") == "    \u3000代码"


@pytest.mark.parametrize("rest", ["1. 第一", "- 项目", "> 引用", "# 标题", "---", "<b>x</b>", "![x](a.jpg)", ""])
def test_an_indent_stays_where_removing_it_would_change_the_page(rest):
    body = f"前文\n\n\u3000\u3000{rest}\n\n后文"
    assert strip_markdown_indents(body) == body
    assert page(strip_markdown_indents(body)) == page(body)


def test_a_plain_body_is_returned_as_it_is():
    body = "第一段。\n\n    代码\n\n- 列表"
    assert strip_markdown_indents(body) is body


def test_markdown_import_keeps_no_indentation(store, tmp_path):
    outcome = import_markdown_file(store, write_markdown(tmp_path, body=WORD_TEXT), create_channels=True)
    assert outcome.ok, outcome.error
    stored = store.find_article("4709")
    assert stored.body == "第一段，平城区。\n\n第二段。\n\n第三段。\n"


def test_a_portal_page_from_elsewhere_keeps_no_indentation():
    html = "<p>\u3000\u3000第一段。</p>\n<p>\u00a0\u00a0第二段。</p>"
    document = parse_html(f'<div class="article-content">\n{html}\n</div>')
    result = body_to_markdown(document, document.find("div"), lambda img, caption: "", own_export=False)
    assert result.markdown == "第一段。\n\n第二段。\n"
