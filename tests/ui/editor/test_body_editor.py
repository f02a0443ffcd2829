"""The body editor as a user drives it: typing Chinese, shortcuts, toolbar, source view, links."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from dayuan_desktop.ui.editor.body_link_dialog import LinkDialog, check_link_url
from tests.ui.editor.keys import press, type_text

SHA = "ab" * 32
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def select_all(editor):
    cursor = editor.text_edit().textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    editor.text_edit().setTextCursor(cursor)


def test_typed_chinese_is_the_markdown_and_the_count(editor, qtbot):
    with qtbot.waitSignal(editor.contentChanged):
        type_text(editor.text_edit(), "党旗飘扬，筑起“钢铁长城”")
    press(editor.text_edit(), Qt.Key.Key_Return)
    type_text(editor.text_edit(), "截至4月19日共6247人")
    assert editor.markdown() == "党旗飘扬，筑起“钢铁长城”\n\n截至4月19日共6247人\n"
    assert editor.character_count() == 10 + 6 + 3


def test_set_markdown_is_not_an_edit_and_cannot_be_undone(editor, qtbot):
    type_text(editor.text_edit(), "草稿")
    with qtbot.assertNotEmitted(editor.contentChanged):
        editor.set_markdown("## 标题\n\n正文\n")
    assert editor.markdown() == "## 标题\n\n正文\n"
    assert not editor.text_edit().document().isUndoAvailable()
    assert not editor.action("undo").isEnabled()
    press(editor.text_edit(), Qt.Key.Key_Z, CTRL)
    assert editor.markdown() == "## 标题\n\n正文\n"


def test_shortcuts_format_the_current_block_and_selection(editor, qtbot):
    edit = editor.text_edit()
    type_text(edit, "小标题")
    qtbot.keyClick(edit, Qt.Key.Key_2, CTRL)
    assert editor.markdown() == "## 小标题\n"
    assert editor.action("heading2").isChecked()
    press(edit, Qt.Key.Key_Return)  # after a heading comes a body paragraph
    type_text(edit, "正文")
    qtbot.keyClick(edit, Qt.Key.Key_3, CTRL)
    assert editor.markdown() == "## 小标题\n\n### 正文\n"
    qtbot.keyClick(edit, Qt.Key.Key_0, CTRL)
    assert editor.markdown() == "## 小标题\n\n正文\n"
    cursor = edit.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    qtbot.keyClick(edit, Qt.Key.Key_B, CTRL)
    assert editor.markdown() == "## 小标题\n\n**正文**\n"
    qtbot.keyClick(edit, Qt.Key.Key_I, CTRL)
    assert editor.markdown() == "## 小标题\n\n***正文***\n"
    qtbot.keyClick(edit, Qt.Key.Key_B, CTRL)
    assert editor.markdown() == "## 小标题\n\n*正文*\n"


def test_lists_and_quotes_from_the_toolbar_actions(editor):
    editor.set_markdown("一\n\n二\n\n三\n")
    select_all(editor)
    editor.action("bullet_list").trigger()
    assert editor.markdown() == "- 一\n- 二\n- 三\n"
    editor.action("numbered_list").trigger()
    assert editor.markdown() == "1. 一\n2. 二\n3. 三\n"
    editor.action("numbered_list").trigger()
    assert editor.markdown() == "一\n\n二\n\n三\n"
    editor.action("quote").trigger()
    assert editor.markdown() == "> 一\n>\n> 二\n>\n> 三\n"
    editor.action("quote").trigger()
    assert editor.markdown() == "一\n\n二\n\n三\n"


def test_list_shortcuts_and_undo_redo_keys(editor, qtbot):
    edit = editor.text_edit()
    type_text(edit, "要点")
    qtbot.keyClick(edit, Qt.Key.Key_8, CTRL | SHIFT)
    assert editor.markdown() == "- 要点\n"
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)
    assert editor.markdown() == "要点\n"
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL | SHIFT)
    assert editor.markdown() == "- 要点\n"


def test_shift_enter_is_a_hard_line_break(editor, qtbot):
    edit = editor.text_edit()
    type_text(edit, "诗句一")
    qtbot.keyClick(edit, Qt.Key.Key_Return, SHIFT)
    type_text(edit, "诗句二")
    assert editor.markdown() == "诗句一  \n诗句二\n"


def test_source_view_round_trip_loses_nothing(editor, qtbot):
    body = "## 标题\n\n- 一\n    - 二\n\n> 引用 [链接](https://example.com/)\n\n" f"![图说](photo:{SHA})\n"
    editor.set_markdown(body)
    editor.action("source").trigger()
    assert editor.is_source_mode()
    assert editor.source_edit().toPlainText() == body
    assert not editor.action("bold").isEnabled()
    with qtbot.waitSignal(editor.contentChanged):
        editor.source_edit().moveCursor(QTextCursor.MoveOperation.End)
        type_text(editor.source_edit(), "\n新段落 *强调*\n")
    assert editor.markdown() == body + "\n新段落 *强调*\n"
    with qtbot.assertNotEmitted(editor.contentChanged):
        editor.action("source").trigger()
    assert not editor.is_source_mode()
    assert editor.markdown() == body + "\n新段落 *强调*\n"
    assert editor.action("bold").isEnabled()


def test_photos_are_drawn_by_the_provider_or_a_placeholder(editor):
    asked = []
    red = QImage(40, 30, QImage.Format.Format_RGB32)
    red.fill(QColor("red"))

    def provider(sha):
        asked.append(sha)
        return red if sha == SHA else None

    editor.set_image_provider(provider)
    editor.set_markdown(f"![一](photo:{SHA})\n\n![二](photo:{'cd' * 32})\n\n![三](https://example.com/x.jpg)\n")
    document = editor.text_edit().body_document()
    assert document.image_for(f"photo:{SHA}").pixelColor(5, 5) == QColor("red")
    placeholder = document.image_for(f"photo:{'cd' * 32}")
    assert placeholder.width() > 40 and placeholder.pixelColor(5, 5) != QColor("red")
    assert document.image_for("https://example.com/x.jpg").size() == placeholder.size()
    assert set(asked) == {SHA, "cd" * 32}  # the web image was never asked for, nor fetched
    editor.text_edit().grab()  # painting with the images does not fail


def test_link_dialog_sets_the_link_and_refuses_scripts(editor, qtbot):
    edit = editor.text_edit()
    type_text(edit, "大院网")
    select_all(editor)
    qtbot.keyClick(edit, Qt.Key.Key_K, CTRL)
    dialog = editor.findChild(LinkDialog, "linkDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.url_edit.setText("javascript:alert(1)")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and "javascript" in dialog.error_label.text()
    dialog.url_edit.setText("www.sxdygbjy.com")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert editor.markdown() == "[大院网](https://www.sxdygbjy.com)\n"


def test_link_without_selection_inserts_the_address(editor):
    type_text(editor.text_edit(), "见")
    from dayuan_desktop.ui.editor import body_actions

    body_actions.set_link(editor.text_edit(), "https://example.com/a")
    type_text(editor.text_edit(), "。")
    assert editor.markdown() == "见[https://example.com/a](https://example.com/a)。\n"


def test_link_addresses_are_checked():
    assert check_link_url(" https://example.com/x ") == ("https://example.com/x", None)
    assert check_link_url("/gsyl/4709.html") == ("/gsyl/4709.html", None)
    assert check_link_url("mailto:news@example.cn")[1] is None
    assert check_link_url("")[1] is None  # removes the link
    for bad in ("javascript:alert(1)", "java\tscript:alert(1)", " JaVaScRiPt:x", "data:text/html,x",
                "file:///etc/passwd", "vbscript:x", "https://exa mple.com", "https://"):
        assert check_link_url(bad)[1], bad


def test_actions_are_offered_with_shortcuts_for_the_menus(editor):
    names = {a.objectName(): a.shortcut().toString() for a in editor.actions()}
    every = {a.objectName(): [k.toString() for k in a.shortcuts()] for a in editor.actions()}
    assert names["body_bold"] == "Ctrl+B" and names["body_italic"] == "Ctrl+I"
    assert names["body_heading2"] == "Ctrl+2" and names["body_paragraph"] == "Ctrl+0"
    assert names["body_link"] == "Ctrl+K" and names["body_undo"] == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in every["body_redo"]
    assert all(a.text() for a in editor.actions())


def test_deeply_nested_markdown_opens_in_the_source_view(editor, qtbot):
    body = "> " * 300 + "深\n"
    with qtbot.waitSignal(editor.pasteNotice):
        editor.set_markdown(body)
    assert editor.is_source_mode() and editor.markdown() == body
    QApplication.processEvents()


def test_tab_nests_list_items_and_shift_tab_brings_them_out(editor, qtbot):
    editor.set_markdown("- 一\n- 二\n- 三\n")
    edit = editor.text_edit()
    cursor = edit.textCursor()
    cursor.setPosition(edit.document().findBlockByNumber(1).position())
    edit.setTextCursor(cursor)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert editor.markdown() == "- 一\n    - 二\n- 三\n"
    cursor.setPosition(edit.document().findBlockByNumber(2).position())
    edit.setTextCursor(cursor)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert editor.markdown() == "- 一\n    - 二\n    - 三\n"
    qtbot.keyClick(edit, Qt.Key.Key_Backtab, SHIFT)
    qtbot.keyClick(edit, Qt.Key.Key_Backtab, SHIFT)
    assert editor.markdown() == "- 一\n    - 二\n\n三\n"
    edit.undo()
    assert editor.markdown() == "- 一\n    - 二\n- 三\n"


def test_formatting_is_an_edit_but_new_thumbnails_are_not(editor, qtbot):
    editor.set_markdown(f"正文\n\n![图](photo:{SHA})\n")
    with qtbot.waitSignal(editor.contentChanged):
        editor.action("heading2").trigger()
    with qtbot.assertNotEmitted(editor.contentChanged):
        editor.set_image_provider(lambda sha: QImage())
        editor.refresh_images()
        editor.set_source_mode(True)
        editor.set_source_mode(False)


def test_paragraph_shortcut_keeps_bold_words_of_a_paragraph(editor, qtbot):
    editor.set_markdown("正文**重点**\n")
    qtbot.keyClick(editor.text_edit(), Qt.Key.Key_0, CTRL)
    assert editor.markdown() == "正文**重点**\n"


def test_enter_on_an_empty_quoted_line_ends_the_quote(editor):
    edit = editor.text_edit()
    editor.set_markdown("> 引语\n")
    edit.moveCursor(QTextCursor.MoveOperation.End)
    press(edit, Qt.Key.Key_Return)
    press(edit, Qt.Key.Key_Return)
    type_text(edit, "正文")
    assert editor.markdown() == "> 引语\n\n正文\n"


def test_a_line_break_in_a_heading_never_puts_a_space_between_chinese(editor):
    edit = editor.text_edit()
    type_text(edit, "党旗")
    press(edit, Qt.Key.Key_Return, SHIFT)
    type_text(edit, "飘扬 news")
    press(edit, Qt.Key.Key_Return, SHIFT)
    type_text(edit, "today")
    editor.action("heading2").trigger()
    assert editor.markdown() == "## 党旗飘扬 news today\n"
