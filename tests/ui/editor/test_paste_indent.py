"""Pasted paragraphs lose the indentation the page would not show (core.paragraph_indent)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData

from dayuan_desktop.core.paragraph_indent import UNICODE_SPACES
from dayuan_desktop.core.render import render_body

SPACES = UNICODE_SPACES.replace("\u2028", "").replace("\u2029", "")  # those two are line/paragraph ends in Qt


def paste_html(editor, html: str) -> None:
    mime = QMimeData()
    mime.setHtml(html)
    mime.setText("备份")
    editor.text_edit().insertFromMimeData(mime)


def paste_text(editor, text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    editor.text_edit().insertFromMimeData(mime)


def test_word_html_paragraphs_lose_every_kind_of_leading_space(editor):
    html = "".join(f"<p>{space}{space}第{index}段。</p>" for index, space in enumerate(SPACES))
    paste_html(editor, html)
    assert editor.markdown() == "\n\n".join(f"第{index}段。" for index in range(len(SPACES))) + "\n"


def test_plain_text_from_wps_loses_the_indent_of_each_paragraph(editor):
    paste_text(editor, "\u3000\u3000第一段，平城区。\n\n\u3000\u3000第二段。\r\n\u00a0\u00a0第三段。\n")
    markdown = editor.markdown()
    assert markdown == "第一段，平城区。\n\n第二段。  \n第三段。\n"
    page = render_body(markdown, {}, lambda photo: "")
    assert "\u3000" not in page and "\xa0" not in page


def test_spaces_inside_a_paragraph_stay(editor):
    paste_html(editor, "<p>北京\u3000上海\u00a0广州</p>")
    assert editor.markdown() == "北京\u3000上海\u00a0广州\n"
