"""Looking at the Markdown source and back keeps the editor's undo history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.ui.editor.keys import press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
START = "## 小标题\n\n第一段正文。\n"


def _undo(editor) -> None:
    press(editor.current_edit(), Qt.Key.Key_Z, CTRL)


def _type_at_end(edit, text: str) -> None:
    edit.setFocus()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    type_text(edit, text)


def test_a_look_at_the_source_leaves_undo_as_it_was(editor):
    editor.set_markdown(START)
    _type_at_end(editor.text_edit(), "补充一句。")
    typed = editor.markdown()
    assert "补充一句。" in typed
    editor.action("source").trigger()
    editor.action("source").trigger()  # back, nothing changed in the source
    assert not editor.is_source_mode() and editor.markdown() == typed
    assert editor.action("undo").isEnabled()
    _undo(editor)
    assert editor.markdown() == START  # the typing before the look is undone


def test_edits_made_in_the_source_undo_in_one_step_then_the_earlier_typing(editor):
    editor.set_markdown(START)
    _type_at_end(editor.text_edit(), "补充一句。")
    before_source = editor.markdown()
    editor.action("source").trigger()
    _type_at_end(editor.source_edit(), "\n另起一段 **加粗**\n")
    editor.action("source").trigger()
    assert "另起一段" in editor.markdown() and "**加粗**" in editor.markdown()
    _undo(editor)
    assert editor.markdown() == before_source  # the source edits, as one step
    _undo(editor)
    assert editor.markdown() == START  # and the typing before them


def test_the_source_view_keeps_its_own_undo_across_a_round_trip(editor):
    editor.set_markdown(START)
    editor.action("source").trigger()
    _type_at_end(editor.source_edit(), "\n源码里加的。\n")
    edited = editor.source_edit().toPlainText()
    editor.action("source").trigger()
    editor.action("source").trigger()  # formatted and back to the source, nothing changed
    assert editor.source_edit().toPlainText() == edited
    _undo(editor)
    assert "源码里加的" not in editor.source_edit().toPlainText()
