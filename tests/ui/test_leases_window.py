"""Two real windows on one database: who is editing, take over, the live list, F5.

Each window has its own settings folder (its own user name, asked at first start in real
use and written to window.ini here) and its own store, exactly as two editors' machines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.store import Store
from tests.ui.conftest import add_articles, opened_window, type_text

TAKEOVER_NOTICED_MS = 5_000  # the brief: the holder's window turns read-only within 5 s


def _named_home(home: Path, name: str) -> Path:
    settings = QSettings(str(home / "data" / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue("user/name", name)
    settings.sync()
    return home


def _second_window(qtbot, home: Path, url: str) -> Iterator:
    """A window on a database that already has articles (no first-run article to wait for)."""
    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.app import create_application, create_main_window, dispose_window

    create_application()
    window = create_main_window(load_settings(home), url)
    with qtbot.waitSignal(window.workspaceReady, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: not window.article_list.model.is_loading, timeout=10_000)
    yield window
    window.close()
    store = window.store
    dispose_window(window)
    if store is not None:
        store.db.dispose()


@pytest.fixture
def two_windows(qtbot, tmp_path, database_url):
    first = opened_window(qtbot, _named_home(tmp_path / "a", "张三"), database_url)
    a = next(first)
    second = _second_window(qtbot, _named_home(tmp_path / "b", "李四"), database_url)
    b = next(second)
    yield a, b
    for windows in (second, first):
        next(windows, None)


def test_holder_is_shown_in_the_others_list_and_its_article_opens_read_only(qtbot, two_windows):
    a, b = two_windows
    article_id = a.editor.article_id
    assert a.store.user_name == "张三" and b.store.user_name == "李四"  # the names asked at first start
    model = b.article_list.model
    qtbot.waitUntil(lambda: model.holder(article_id) == "张三", timeout=5_000)
    index = model.index(model.row_of(article_id), model.COLUMNS.index("title"))
    assert "张三" in index.data() and index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert a.article_list.model.holder(article_id) is None  # my own lease carries no padlock

    b.open_article(article_id)
    qtbot.waitUntil(lambda: b.editor.article_id == article_id, timeout=5_000)
    assert b.editor.read_only and b.editor.form.title.isReadOnly()
    bar = b.editor.lease_bar
    assert bar.isVisible() and "张三" in bar.label.text() and bar.take_over_button.isEnabled()
    assert not a.editor.read_only


def test_take_over_keeps_the_holders_text_and_turns_its_window_read_only(qtbot, two_windows):
    a, b = two_windows
    article_id = a.editor.article_id
    b.open_article(article_id)
    qtbot.waitUntil(lambda: b.editor.lease_bar.isVisible(), timeout=5_000)

    type_text(a.editor.body.text_edit(), "张三最后敲的一句话。")  # not yet saved when B takes over
    assert a.session.is_dirty
    taken_by: list[str] = []  # listening before the click: on PostgreSQL A hears of it within milliseconds
    a.leases.lost.connect(taken_by.append)
    b.editor.lease_bar.take_over_button.click()
    qtbot.waitUntil(lambda: not b.editor.read_only and not b.editor.lease_bar.isVisible(), timeout=5_000)

    qtbot.waitUntil(lambda: bool(taken_by), timeout=TAKEOVER_NOTICED_MS)
    assert taken_by == ["李四"]
    assert a.editor.read_only and a.editor.lease_bar.isVisible() and "李四" in a.editor.lease_bar.label.text()

    def kept() -> bool:
        bodies = [str(r.snapshot.get("body", "")) for r in b.store.list_revisions(article_id)]
        return any("张三最后敲的一句话。" in body for body in bodies)

    qtbot.waitUntil(kept, timeout=5_000)  # nothing typed is lost: it is a revision
    version = b.store.get_article(article_id).version
    a.session.save_now()  # the old holder's window saves nothing more …
    assert a.session.flush()
    assert b.store.get_article(article_id).version == version
    assert "张三最后敲的一句话。" not in b.store.get_article(article_id).body  # … and never overwrote


def test_a_new_article_of_one_window_shows_in_the_other_within_5_s(qtbot, two_windows):
    a, b = two_windows
    selected = b.article_list.current_id()
    created = a.store.create_article(title="另一个窗口的新稿件")
    qtbot.waitUntil(lambda: b.article_list.model.row_of(created.id) is not None, timeout=5_000)
    assert b.article_list.current_id() == selected


def test_live_refresh_keeps_selection_and_scroll_position(qtbot, tmp_path):
    url = str(tmp_path / "live.sqlite3")
    database = open_database(url, backup_dir=tmp_path / "backups")
    other = Store(database, user_name="王五")
    ids = add_articles(other, 150)
    windows = _second_window(qtbot, tmp_path / "home", url)
    window = next(windows)
    try:
        table = window.article_list.table
        window.article_list.select_article(ids[40])
        table.verticalScrollBar().setValue(60)
        qtbot.waitUntil(lambda: window.editor.article_id == ids[40], timeout=5_000)
        other.update_article(ids[100], {"title": "同事改了标题"}, expected_version=1)
        model = window.article_list.model
        qtbot.waitUntil(lambda: model.data(model.index(0, 1)) == "同事改了标题", timeout=5_000)
        qtbot.wait(50)  # the scroll position is put back after the view's layout
        assert window.article_list.current_id() == ids[40]
        assert table.verticalScrollBar().value() == 60
    finally:
        next(windows, None)
        database.dispose()


def test_f5_refreshes_at_once(qtbot, tmp_path):
    url = str(tmp_path / "f5.sqlite3")
    database = open_database(url, backup_dir=tmp_path / "backups")
    other = Store(database, user_name="王五")
    add_articles(other, 3)
    windows = _second_window(qtbot, tmp_path / "home", url)
    window = next(windows)
    try:
        window.leases.pause_polling()  # no poll: only F5 can bring the new article
        created = other.create_article(title="按 F5 才出现")
        assert window.article_list.model.row_of(created.id) is None
        qtbot.keyClick(window, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: window.article_list.model.row_of(created.id) is not None, timeout=3_000)
    finally:
        next(windows, None)
        database.dispose()


def test_a_save_refused_after_a_takeover_turns_read_only_without_a_conflict_dialog(qtbot, two_windows):
    a, b = two_windows
    article_id = a.editor.article_id
    a.leases.pause_polling()  # the holder has not polled yet (no tick, no notice): its own save finds out first
    b.open_article(article_id)
    qtbot.waitUntil(lambda: b.editor.lease_bar.isVisible(), timeout=5_000)
    b.editor.lease_bar.take_over_button.click()
    qtbot.waitUntil(lambda: not b.editor.read_only, timeout=5_000)
    dialogs = []

    def close_any_dialog() -> None:  # a conflict dialog would be modal: note and close it
        modal = QApplication.activeModalWidget()
        if modal is not None:
            dialogs.append(modal.windowTitle())
            modal.reject()

    watcher = QTimer(interval=100, timeout=close_any_dialog)
    watcher.start()
    type_text(a.editor.body.text_edit(), "接管之后才保存的字。")
    with qtbot.waitSignal(a.leases.lost, timeout=TAKEOVER_NOTICED_MS):
        a.session.save_now()
    qtbot.wait(300)
    watcher.stop()
    assert dialogs == []
    assert a.editor.read_only and "李四" in a.editor.lease_bar.label.text()
    bodies = [str(r.snapshot.get("body", "")) for r in b.store.list_revisions(article_id)]
    assert any("接管之后才保存的字。" in body for body in bodies)
    assert "接管之后才保存的字。" not in b.store.get_article(article_id).body


def test_a_channel_made_elsewhere_shows_in_the_tree_within_5_s(qtbot, two_windows):
    _a, b = two_windows
    other = Store(b.store.db, user_name="王五")  # a third client on the same database
    other.create_channel("jqhd", name="近期活动")
    model = b.article_list.channel_model
    qtbot.waitUntil(lambda: model.index_of_path("jqhd") != model.index(0, 0), timeout=5_000)
    assert model.index_of_path("jqhd").data() == "近期活动"


@pytest.mark.parametrize(("seconds", "shown"), [(5, "张三 正在编辑（刚刚）"), (130, "张三 正在编辑（2 分钟前）"),
                                             (7300, "张三 正在编辑（2 小时前）")])
def test_the_bar_says_who_and_since_when_in_chinese(qtbot, seconds, shown):
    from dayuan_desktop.ui import i18n
    from dayuan_desktop.ui.editor.lease_bar import LeaseBar

    i18n.install_translator(QApplication.instance(), "zh_CN")
    try:
        bar = LeaseBar()
        qtbot.addWidget(bar)
        bar.show_holder("张三", seconds)
        assert bar.label.text() == shown and bar.take_over_button.text() == "接管(&T)"
    finally:
        i18n.install_translator(QApplication.instance(), "en")


def test_switching_article_releases_the_lease_and_the_viewer_may_edit(qtbot, two_windows):
    a, b = two_windows
    article_id = a.editor.article_id
    other_id = a.store.create_article(title="张三接着看的另一篇").id
    b.open_article(article_id)
    qtbot.waitUntil(lambda: b.editor.lease_bar.isVisible(), timeout=5_000)
    a.open_article(other_id)
    qtbot.waitUntil(lambda: a.editor.article_id == other_id, timeout=5_000)
    qtbot.waitUntil(lambda: not b.editor.read_only and not b.editor.lease_bar.isVisible(), timeout=5_000)
    assert b.store.leases.check(article_id).holder.user_name == "李四"
    qtbot.waitUntil(lambda: b.article_list.model.holder(other_id) == "张三", timeout=5_000)
    a.close()  # closing gives the lease back at once, not after two minutes
    assert b.store.leases.check(other_id).holder is None


@pytest.fixture
def ticks_off(monkeypatch):
    """Windows whose 2-second poll is as good as off: only the server's notices can make them look."""
    from dayuan_desktop.ui import editing_leases

    monkeypatch.setattr(editing_leases, "POLL_MS", 600_000)


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_on_postgresql_a_notice_shows_a_colleagues_article_without_waiting_for_the_poll(
        qtbot, ticks_off, two_windows):
    a, b = two_windows
    created = a.store.create_article(title="通知送来的新稿件")
    qtbot.waitUntil(lambda: b.article_list.model.row_of(created.id) is not None, timeout=3_000)
    b.open_article(a.editor.article_id)
    qtbot.waitUntil(lambda: b.editor.article_id == a.editor.article_id, timeout=5_000)
    assert b.editor.read_only  # held by 张三: the lease, too, came by notice or the opening's own check


def test_a_change_made_while_the_window_opens_shows_at_its_first_poll(qtbot, tmp_path):
    """The first poll compares with the marker read when the window loaded its channels, not with
    whatever it finds: a channel a colleague adds in between is not taken as the starting state."""
    from dayuan_desktop.core.live import change_marker

    url = str(tmp_path / "opening.sqlite3")
    database = open_database(url, backup_dir=tmp_path / "backups")
    other = Store(database, user_name="王五")
    add_articles(other, 2)
    windows = _second_window(qtbot, tmp_path / "home", url)
    window = next(windows)
    try:
        leases = window.leases
        leases.pause_polling()
        qtbot.waitUntil(lambda: not leases._busy, timeout=5_000)
        as_loaded = change_marker(window.store.db)  # what open_workspace read before the channels
        leases._marker = None  # as before the first poll came back
        other.create_channel("jqhd", name="近期活动")
        leases.start(as_loaded)
        model = window.article_list.channel_model
        qtbot.waitUntil(lambda: model.index_of_path("jqhd") != model.index(0, 0), timeout=5_000)
    finally:
        next(windows, None)
        database.dispose()
