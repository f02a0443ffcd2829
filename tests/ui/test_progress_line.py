"""The status bar's progress line: it clears itself and nothing shown after it."""

from __future__ import annotations

from PySide6.QtWidgets import QStatusBar

from dayuan_desktop.ui.progress_line import ProgressLine


def test_the_progress_line_clears_itself_but_not_a_notice_shown_meanwhile(qtbot):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    line = ProgressLine(bar)
    line.show("正在保存粘贴的图片：1/2…")
    assert bar.currentMessage() == "正在保存粘贴的图片：1/2…"
    line.show("")
    assert bar.currentMessage() == ""
    line.show("正在保存粘贴的图片…")
    bar.showMessage("有 1 张图片未能加入：broken.jpg")
    line.show("")
    assert bar.currentMessage() == "有 1 张图片未能加入：broken.jpg"
