"""The caption field grows to several lines with a long caption and stays one paragraph."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from dayuan_desktop.ui.photos.caption_edit import MAX_LINES
from dayuan_desktop.ui.photos.panel import PhotoPanel
from tests.ui.conftest import type_text
from tests.ui.photos.photofiles import captioned_jpeg

LONG_CAPTION = ("12月13日，太原市迎泽区柳巷街道的党员干部在辖区卡口查验过往车辆、登记出行信息，"
                "并为排队等候的居民讲解最新的疫情防控政策。连日来，全市各级机关党员干部下沉一线，"
                "与社区工作人员、志愿者一道坚守岗位，用实际行动筑起疫情防控的“钢铁长城”，"
                "守护群众的生命安全和身体健康，受到了辖区群众的广泛好评和一致称赞。（记者 王芳 通讯员 李明 摄）")


@pytest.fixture
def form(qtbot, ui_store, tmp_path):
    panel = PhotoPanel()
    qtbot.addWidget(panel)
    panel.set_store(ui_store, tmp_path / "cache")
    article = ui_store.create_article(title="图片新闻", body="正文。\n")
    panel.set_article(ui_store.get_article(article.id))
    panel.resize(900, 500)
    panel.show()
    qtbot.waitExposed(panel)
    with qtbot.waitSignal(panel.importFinished, timeout=60_000):
        panel.import_files([captioned_jpeg(tmp_path / "a.jpg", LONG_CAPTION, "李明")])
    return panel.form


def _lines_shown(edit) -> float:
    return (edit.viewport().height()) / edit.fontMetrics().lineSpacing()


def test_a_171_character_caption_shows_on_several_lines_whole(form, qtbot):
    assert len(LONG_CAPTION) >= 160
    edit = form.caption
    assert edit.text() == LONG_CAPTION
    qtbot.waitUntil(lambda: edit.line_count() >= 3)
    assert 3 <= edit.line_count() <= MAX_LINES
    qtbot.waitUntil(lambda: _lines_shown(edit) >= edit.line_count())  # every line visible, no scrolling
    assert edit.height() > 2.5 * form.photographer.height()


def test_a_short_caption_is_one_line_high_and_grows_as_one_types(form, qtbot):
    edit = form.caption
    edit.setText("晋祠圣母殿")
    assert edit.line_count() == 1
    qtbot.waitUntil(lambda: edit.height() < 1.6 * form.photographer.height())  # the layout follows
    one_line_height = edit.height()
    edit.setCursorPosition(len(edit.text()))
    type_text(edit, "，" + LONG_CAPTION[:90])
    assert edit.line_count() >= 2
    qtbot.waitUntil(lambda: edit.height() > one_line_height)
    assert form.values()["caption"] == "晋祠圣母殿，" + LONG_CAPTION[:90]  # the form saw the typing


def test_enter_moves_on_and_pasted_line_breaks_become_spaces(form, qtbot):
    edit = form.caption
    edit.setText("大同古城墙")
    edit.setFocus()
    edit.setCursorPosition(len(edit.text()))
    enter = QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
    QApplication.sendEvent(edit, enter)
    assert edit.text() == "大同古城墙" and "\n" not in edit.toPlainText()
    qtbot.waitUntil(lambda: form.photographer.hasFocus())
    edited = []
    form.edited.connect(lambda _sha, values: edited.append(values["caption"]))
    pasted = QMimeData()
    pasted.setText("上的游客\r\n（资料图）\n")
    edit.setCursorPosition(len(edit.text()))
    edit.insertFromMimeData(pasted)
    assert edit.text() == "大同古城墙上的游客 （资料图）"
    assert edited[-1] == "大同古城墙上的游客 （资料图）"


def test_in_a_short_panel_the_form_scrolls_and_the_caption_keeps_its_lines(form, qtbot):
    panel = form.parentWidget()
    while not hasattr(panel, "splitter"):
        panel = panel.parentWidget()
    panel.resize(900, 180)
    edit = form.caption
    qtbot.waitUntil(lambda: _lines_shown(edit) >= edit.line_count() >= 3)
    assert panel.minimumSizeHint().height() < 180  # a long caption does not make the window taller
