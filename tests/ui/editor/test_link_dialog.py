"""The link dialog is wide enough for a whole article address and its title."""

from __future__ import annotations

from dayuan_desktop.ui import i18n
from dayuan_desktop.ui.editor.body_link_dialog import LinkDialog

ADDRESS = "https://www.sxdygbjy.com/gsyl/lzgs/4709.html"


def test_a_whole_article_address_fits_in_the_field(qtbot):
    dialog = LinkDialog(None, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    needed = dialog.url_edit.fontMetrics().horizontalAdvance(ADDRESS)
    assert dialog.url_edit.width() > needed + 10  # the field's frame and margins take a few pixels
    # The title bar's text gets at least several times its own width (a bare dialog gave ~200 px).
    assert dialog.width() > 4 * dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())


def test_the_title_says_insert_or_edit_in_chinese(qtbot, qapp):
    assert i18n.install_translator(qapp, "zh_CN") == "zh_CN"
    try:
        new, existing = LinkDialog(None, ""), LinkDialog(None, ADDRESS)
        qtbot.addWidget(new)
        qtbot.addWidget(existing)
        assert (new.windowTitle(), existing.windowTitle()) == ("插入链接", "编辑链接")
        assert existing.url_edit.text() == ADDRESS
    finally:
        i18n.install_translator(qapp, "en")
