"""The channel tree in the window: names (path as tooltip), a proper item model, and the right-click
edits driven through their dialogs on a real window and database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QMenu, QMessageBox

from dayuan_desktop.core.records import ChannelRecord
from dayuan_desktop.ui.article_list.channels import ChannelTreeModel
from tests.ui.conftest import type_text


def _tree(model) -> list[tuple[int, str, str]]:
    """(depth, shown text, tooltip) of every item, in the tree's order."""
    rows = []

    def walk(parent, depth):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            rows.append((depth, index.data(), index.data(Qt.ItemDataRole.ToolTipRole) or ""))
            walk(index, depth + 1)

    from PySide6.QtCore import QModelIndex
    walk(QModelIndex(), 0)
    return rows


def test_tree_shows_names_in_the_editors_order_with_the_path_as_tooltip(qtbot):
    model = ChannelTreeModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_channels([
        ChannelRecord(1, "wlty", "文旅体育", None, 2), ChannelRecord(2, "news", "新闻", None, 1),
        ChannelRecord(3, "wlty/jqhd", "节庆活动", 1, 1), ChannelRecord(4, "zz", "zz", 99, 0),
    ])
    assert _tree(model) == [
        (0, "All articles", ""), (0, "zz", "zz"), (0, "新闻", "news"), (0, "文旅体育", "wlty"),
        (1, "节庆活动", "wlty/jqhd"), (0, "Conflict copies", ""), (0, "Trash", ""),
    ]
    model.set_channels([])
    assert [text for _d, text, _t in _tree(model)] == ["All articles", "Conflict copies", "Trash"]


def _aim(window, path):
    panel = window.article_list
    panel.channel_actions.target(panel.channel_model.index_of_path(path))
    return panel.channel_actions


def _edit(qtbot, actions, action, fill):
    """Trigger ``action``, fill its dialog, press OK; returns the signal blocker of the edit."""
    action.trigger()
    fill(actions.dialog)
    with qtbot.waitSignal(actions.channelsChanged, timeout=10_000) as blocker:
        actions.dialog.accept()
    return blocker


def test_menu_offers_the_edits(qtbot, open_window):
    actions = open_window.article_list.channel_actions
    menu = QMenu()
    actions.add_to_menu(menu, open_window.article_list.channel_model.index_of_path("gsyl"))
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["New channel…", "Rename…", "Change URL path…", "Move to…", "Move up", "Move down"]
    assert all(a.isEnabled() for a in menu.actions())
    top = QMenu()
    actions.add_to_menu(top, open_window.article_list.channel_model.index(0, 0))  # "All articles"
    assert [a.text() for a in top.actions() if a.isEnabled() and not a.isSeparator()] == ["New channel…"]


def test_rename_shows_the_new_name_in_tree_and_list(qtbot, open_window):
    window = open_window
    actions = _aim(window, "gsyl/lzgs")
    _edit(qtbot, actions, actions.rename_action, lambda d: d.name_field.setText("理政公开"))
    index = window.article_list.channel_model.index_of_path("gsyl/lzgs")
    assert index.data() == "理政公开" and index.data(Qt.ItemDataRole.ToolTipRole) == "gsyl/lzgs"
    assert window.store.channels.get("gsyl/lzgs").name == "理政公开"
    model = window.article_list.model
    qtbot.waitUntil(lambda: model.rowCount() > 0 and model.index(0, 2).data() == "理政公开", timeout=10_000)
    assert model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == "gsyl/lzgs"


def test_path_change_asks_first_and_the_open_article_follows(qtbot, open_window):
    window = open_window
    QAbstractItemModelTester(window.article_list.channel_model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    actions = _aim(window, "gsyl")
    actions.path_action.trigger()
    assert actions.dialog.segment_field.text() == "gsyl"
    actions.dialog.segment_field.setText("gongshi")
    actions.dialog.accept()
    qtbot.waitUntil(lambda: isinstance(actions.dialog, QMessageBox), timeout=10_000)
    assert "gsyl to gongshi changes the address of 1 published article(s)" in actions.dialog.text()
    actions.dialog.button(QMessageBox.StandardButton.Cancel).click()  # first: cancel changes nothing
    assert actions.dialog is None and window.store.channels.get("gsyl").path == "gsyl"

    actions.path_action.trigger()
    actions.dialog.segment_field.setText("gongshi")
    actions.dialog.accept()
    qtbot.waitUntil(lambda: isinstance(actions.dialog, QMessageBox), timeout=10_000)
    with qtbot.waitSignal(actions.channelsChanged, timeout=10_000) as blocker:
        actions.dialog.button(QMessageBox.StandardButton.Yes).click()
    assert blocker.args[1] == {"gsyl": "gongshi", "gsyl/lzgs": "gongshi/lzgs"}
    assert [(old, new) for old, _id, new in window.store.redirects()] == [("gsyl/lzgs/4709.html",
                                                                          "gongshi/lzgs/4709.html")]
    assert window.article_list.channel_model.index_of_path("gongshi/lzgs").data() == "理政公示"
    assert window.editor.form.channel.currentData() == "gongshi/lzgs"  # the open sample article 4709
    # Its next save keeps it where it now is (not "unknown channel gsyl/lzgs"), and adds no redirect.
    article_id = window.editor.article_id
    type_text(window.editor.form.subtitle, "副题")
    window.save_action.trigger()
    qtbot.waitUntil(lambda: window.store.get_article(article_id).subtitle == "副题", timeout=5_000)
    assert window.store.get_article(article_id).channel_path == "gongshi/lzgs"
    assert len(window.store.redirects()) == 1


def test_new_channel_move_and_reorder_and_a_refusal(qtbot, open_window):
    window = open_window
    actions = _aim(window, None)  # "All articles": a top-level channel
    ok = actions.dialog  # nothing open yet
    assert ok is None
    _edit(qtbot, actions, actions.new_action, lambda d: (d.name_field.setText("文旅体育"), d.segment_field.setText("wlty")))
    assert window.article_list.channel_model.index_of_path("wlty").data() == "文旅体育"

    actions = _aim(window, "wlty")
    blocker = _edit(qtbot, actions, actions.move_action,
                    lambda d: d.parent_box.setCurrentIndex(d.parent_box.findData(window.store.channels.get("gsyl").id)))
    assert blocker.args[1] == {"wlty": "gsyl/wlty"}  # no published article there: no question asked

    actions = _aim(window, "gsyl/wlty")
    with qtbot.waitSignal(actions.channelsChanged, timeout=10_000):
        actions.up_action.trigger()
    parent = window.article_list.channel_model.index_of_path("gsyl")
    assert [parent.model().index(r, 0, parent).data() for r in range(2)] == ["文旅体育", "理政公示"]

    actions = _aim(window, None)
    actions.new_action.trigger()
    actions.dialog.name_field.setText("重复")
    actions.dialog.segment_field.setText("gsyl")
    with qtbot.waitSignal(actions.failed, timeout=10_000) as refused:
        actions.dialog.accept()
    assert refused.args == ["a channel with path gsyl already exists"]
    assert isinstance(actions.dialog, QMessageBox) and actions.dialog.text() == refused.args[0]
    assert {c.path for c in window.store.list_channels()} == {"gsyl", "gsyl/lzgs", "gsyl/wlty"}


def test_dialog_ok_needs_a_name_and_a_valid_segment(qtbot, open_window):
    actions = _aim(open_window, None)
    actions.new_action.trigger()
    dialog = actions.dialog
    from PySide6.QtWidgets import QDialogButtonBox
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.name_field.setText("文旅")
    dialog.segment_field.setText("Wl Ty")  # the validator keeps what fits: nothing here
    assert not ok.isEnabled()
    dialog.segment_field.setText("wlty")
    assert ok.isEnabled()
    dialog.reject()
