"""Find and replace in the body's rich view and its Markdown source view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from dayuan_desktop.ui.editor.body_editor import BodyEditor
from dayuan_desktop.ui.editor.find_replace import FindReplaceBar
from tests.ui.editor.keys import press, type_text

BODY = "平城区是我市疫情防控的“桥头堡”。\n\n## 平城区党员\n\n平城区18个街道，PingCheng 与 pingcheng。\n"


@pytest.fixture
def setup(qtbot):
    window = QWidget()
    editor = BodyEditor()
    bar = FindReplaceBar(editor.text_edit())
    layout = QVBoxLayout(window)
    layout.addWidget(editor)
    layout.addWidget(bar)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    editor.set_markdown(BODY)
    yield editor, bar  # (the window stays referenced until the test ends)


def selected(editor) -> tuple[int, str]:
    cursor = editor.current_edit().textCursor()
    return cursor.selectionStart(), cursor.selectedText()


def test_find_next_and_previous_wrap_around_and_count(setup):
    editor, bar = setup
    bar.show_find()
    type_text(bar.find_edit, "平城区")
    assert bar.status_label.text() == "3 matches"
    positions = []
    for _ in range(3):
        assert bar.find_next()
        positions.append(selected(editor)[0])
    assert positions == sorted(positions) and len(set(positions)) == 3
    assert bar.status_label.text() == "3 of 3"
    assert bar.find_next()  # wraps to the first
    assert selected(editor)[0] == positions[0] and "wrapped" in bar.status_label.text()
    assert bar.find_previous()  # and back round to the last
    assert selected(editor)[0] == positions[2]


def test_enter_and_shift_enter_in_the_search_field(setup):
    editor, bar = setup
    bar.show_find()
    type_text(bar.find_edit, "平城区")
    press(bar.find_edit, Qt.Key.Key_Return)
    first = selected(editor)[0]
    press(bar.find_edit, Qt.Key.Key_Return)
    assert selected(editor)[0] > first
    press(bar.find_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert selected(editor)[0] == first


def test_match_case(setup):
    editor, bar = setup
    bar.find_edit.setText("pingcheng")
    assert bar.match_count() == 2
    bar.case_box.setChecked(True)
    assert bar.match_count() == 1 and bar.status_label.text() == "1 matches"
    assert bar.find_next() and selected(editor)[1] == "pingcheng"


def test_no_match_is_said(setup):
    _editor, bar = setup
    bar.find_edit.setText("太原")
    assert not bar.find_next()
    assert bar.status_label.text() == "No match"
    assert bar.replace_all() == 0


def test_replace_one_then_the_next(setup):
    editor, bar = setup
    bar.find_edit.setText("平城区")
    bar.replace_edit.setText("平城")
    assert bar.replace()  # first press only selects the first match
    assert editor.markdown() == BODY
    bar.replace()
    assert editor.markdown() == BODY.replace("平城区", "平城", 1)
    assert selected(editor)[1] == "平城区"  # the next one is selected, ready


def test_replace_all_is_one_undo_step_and_keeps_formats(setup):
    editor, bar = setup
    editor.set_markdown("**平城区**和平城区\n\n## 平城区\n")
    bar.find_edit.setText("平城区")
    bar.replace_edit.setText("大同市平城区")
    assert bar.replace_all() == 3
    assert editor.markdown() == "**大同市平城区**和大同市平城区\n\n## 大同市平城区\n"
    assert bar.status_label.text() == "Replaced 3"
    editor.text_edit().undo()
    assert editor.markdown() == "**平城区**和平城区\n\n## 平城区\n"


def test_works_on_the_markdown_source_view(setup):
    editor, bar = setup
    editor.set_source_mode(True)
    bar.set_editor(editor.current_edit())
    assert isinstance(bar.editor(), QPlainTextEdit)
    bar.find_edit.setText("## ")
    bar.replace_edit.setText("### ")
    assert bar.replace_all() == 1
    assert editor.markdown() == BODY.replace("## ", "### ")


def test_escape_hides_the_bar_and_returns_to_the_editor(setup, qtbot):
    editor, bar = setup
    editor.text_edit().setFocus()
    cursor = editor.text_edit().textCursor()
    cursor.setPosition(0)
    cursor.setPosition(3, cursor.MoveMode.KeepAnchor)
    editor.text_edit().setTextCursor(cursor)
    bar.show_find()
    assert bar.find_edit.text() == "平城区"  # the selection is what is searched for
    qtbot.waitUntil(lambda: bar.find_edit.hasFocus())
    with qtbot.waitSignal(bar.closed):
        qtbot.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    qtbot.waitUntil(lambda: editor.text_edit().hasFocus())
