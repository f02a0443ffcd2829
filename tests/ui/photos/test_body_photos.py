"""Placing a photo in the body at the cursor, and taking it out again, in both views of the body."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from dayuan_desktop.ui.editor.body_editor import BodyEditor
from dayuan_desktop.ui.photos.body_photos import insert_photo, remove_photo, update_photo_alt

SHA = "ab" * 32
LINE = f"![图为大同古城墙。](photo:{SHA})"


@pytest.fixture
def body(qtbot):
    widget = BodyEditor()
    qtbot.addWidget(widget)
    widget.set_markdown("## 小标题\n\n第一段文字。第二句。\n\n最后一段。\n")
    return widget


def _cursor_after(body, text: str) -> None:
    edit = body.text_edit()
    cursor = edit.document().find(text)
    assert not cursor.isNull()
    cursor.clearSelection()
    edit.setTextCursor(cursor)


def test_photo_in_the_middle_of_a_paragraph_gets_its_own_line(body):
    _cursor_after(body, "第一段文字。")
    changes = []
    body.contentChanged.connect(lambda: changes.append(1))
    insert_photo(body, SHA, "大同古城墙")
    assert body.markdown() == f"## 小标题\n\n第一段文字。\n\n{LINE}\n\n第二句。\n\n最后一段。\n"
    assert changes  # an edit: autosave and preview follow
    body.text_edit().undo()  # one undo step takes it out again
    assert body.markdown() == "## 小标题\n\n第一段文字。第二句。\n\n最后一段。\n"


def test_photo_at_the_end_of_a_paragraph_and_at_the_start(body):
    _cursor_after(body, "最后一段。")
    insert_photo(body, SHA, "图为大同古城墙。")  # a caption typed with 图为 is not doubled
    assert body.markdown().endswith(f"最后一段。\n\n{LINE}\n")
    edit = body.text_edit()
    edit.moveCursor(QTextCursor.MoveOperation.Start)
    insert_photo(body, "cd" * 32, "城墙")
    assert body.markdown().startswith(f"![图为城墙。](photo:{'cd' * 32})\n\n## 小标题\n")


def test_removing_a_photo_takes_out_each_of_its_paragraphs(body):
    _cursor_after(body, "第一段文字。")
    insert_photo(body, SHA, "大同古城墙")
    _cursor_after(body, "最后一段。")
    insert_photo(body, SHA, "大同古城墙")
    assert body.markdown().count(LINE) == 2
    assert remove_photo(body, SHA) == 2
    assert body.markdown() == "## 小标题\n\n第一段文字。\n\n第二句。\n\n最后一段。\n"
    assert remove_photo(body, SHA) == 0


def test_in_the_markdown_source_the_line_itself_is_inserted_and_removed(body):
    body.set_source_mode(True)
    source = body.source_edit()
    cursor = source.document().find("第一段文字。第二句。")
    cursor.clearSelection()
    source.setTextCursor(cursor)
    insert_photo(body, SHA, "大同古城墙")
    assert f"第一段文字。第二句。\n\n{LINE}\n\n" in body.markdown()
    assert remove_photo(body, SHA) == 1
    assert LINE not in body.markdown()


def test_a_changed_caption_reaches_the_photo_lines_alt_text(body):
    _cursor_after(body, "第一段文字。")
    insert_photo(body, SHA, "大同古城墙")
    assert update_photo_alt(body, SHA, "大同古城墙上的游客") == 1
    assert f"![图为大同古城墙上的游客。](photo:{SHA})" in body.markdown()
    assert update_photo_alt(body, SHA, "大同古城墙上的游客") == 0  # nothing to change: no edit
    body.set_source_mode(True)
    assert update_photo_alt(body, SHA, "城墙") == 1
    assert f"![图为城墙。](photo:{SHA})" in body.markdown()
