"""In the window: a published article keeps its number and publish time through every save,
and changing its address is a confirmed act that leaves a redirect at the old one."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.editor.address_guard import CONFIRM_BOX_NAME, PUBLIC_STATUSES
from tests.ui.conftest import type_text

REPO = Path(__file__).resolve().parents[3]
OLD, NEW = "gsyl/lzgs/4709.html", "gsyl/lzgs/4800.html"


def _open(qtbot, window, article_id: int) -> None:
    with qtbot.waitSignal(window.articleOpened, timeout=10_000):
        window.open_article(article_id)


def _answer_address_box(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Click ``button`` of the address confirmation as soon as it shows (and note its text)."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if box is None or box.objectName() != CONFIRM_BOX_NAME:
            QTimer.singleShot(50, click)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(50, click)


def _colleague_publishes(db_path: Path, count: int) -> None:
    """Another editor's process on the same database publishes ``count`` articles."""
    script = textwrap.dedent(f"""
        from dayuan_desktop.core.db import open_database
        from dayuan_desktop.core.store import Store
        db = open_database({str(db_path)!r})
        store = Store(db, user_name="colleague")
        for i in range({count}):
            store.create_article(title=f"同事的稿件{{i}}", body="正文", channel_path="gsyl/lzgs", status="published")
        db.dispose()
    """)
    subprocess.run([sys.executable, "-c", script], check=True, cwd=REPO, env={"PYTHONPATH": str(REPO)}, timeout=120)


def _export(store: Store, out: Path, cache: Path):
    return SiteExporter(store, SiteSettings(), out, workers=1, cache_dir=cache).run()


def test_publishing_shows_the_number_and_time_and_every_save_keeps_them(qtbot, open_window, tmp_path):
    window = open_window
    store = window.store
    # complete (title, channel, body, summary), so the pre-publish checks let it through at once
    draft = store.create_article(title="新稿件", body="第一段。", summary="摘要。", channel_path="gsyl/lzgs")
    window.article_list.refresh(select_id=draft.id)
    _open(qtbot, window, draft.id)
    form = window.editor.form
    assert form.number.text() == "" and not form.has_time.isChecked()
    form.status.setCurrentIndex(form.status.findData("published"))  # the editor publishes
    qtbot.waitUntil(lambda: form.number.text() != "", timeout=10_000)
    published = store.get_article(draft.id)
    assert form.number.text() == str(published.number) and form.has_time.isChecked()
    assert int(form.published_at.dateTime().toSecsSinceEpoch()) == int(published.published_at.timestamp())
    site, cache = tmp_path / "site", tmp_path / "cache"
    page = f"gsyl/lzgs/{published.number}.html"
    _export(store, site, cache)
    assert (site / page).is_file()

    body = window.editor.body.current_edit()
    for i in range(10):
        _colleague_publishes(Path(store.db.sqlite_path), 1) if i < 2 else store.create_article(
            title=f"另一篇{i}", body="正文", channel_path="gsyl/lzgs", status="published")
        type_text(body, f"补充{i}。")
        if i % 3 == 0:
            window.session.save_now()  # Ctrl+S
        elif i % 3 == 1:
            _open(qtbot, window, store.find_article("4709").id)  # switching article saves
            _open(qtbot, window, draft.id)
            body = window.editor.body.current_edit()
        else:
            assert window.session.flush()  # what Ctrl+E does first
        qtbot.waitUntil(lambda: not window.session.is_dirty and window.session.state == "saved", timeout=10_000)
        now = store.get_article(draft.id)
        assert (now.number, now.published_at) == (published.number, published.published_at)
        assert form.number.text() == str(published.number)
    assert "补充9。" in store.get_article(draft.id).body
    report = _export(store, site, cache)
    assert page not in report.removed and (site / page).is_file() and report.redirects == []


def test_renumbering_a_published_article_asks_first_and_leaves_a_redirect(qtbot, open_window, tmp_path):
    window = open_window
    store = window.store
    article = store.find_article("4709")
    form = window.editor.form
    assert window.editor.article_id == article.id and form.number.text() == "4709"
    seen: list[str] = []
    _answer_address_box(QMessageBox.StandardButton.Cancel, seen)
    form.number.selectAll()
    qtbot.keyClicks(form.number, "4800")
    qtbot.keyClick(form.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=10_000)
    assert OLD in seen[0] and NEW in seen[0]
    assert form.number.text() == "4709"  # cancelled: nothing changes
    qtbot.wait(2500)  # past any autosave
    assert store.get_article(article.id).number == 4709

    _answer_address_box(QMessageBox.StandardButton.Yes, seen)
    form.number.selectAll()
    qtbot.keyClicks(form.number, "4800")
    qtbot.keyClick(form.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.get_article(article.id).number == 4800, timeout=10_000)
    assert store.get_article(article.id).published_at == article.published_at
    report = _export(store, tmp_path / "site", tmp_path / "cache")
    assert report.redirects == [(OLD, NEW)]
    assert 'content="0; url=4800.html"' in (tmp_path / "site" / OLD).read_text(encoding="utf-8")


def test_emptying_the_number_of_a_published_article_is_refused(qtbot, open_window):
    window = open_window
    store = window.store
    form = window.editor.form
    article = store.find_article("4709")
    form.number.selectAll()
    qtbot.keyClick(form.number, Qt.Key.Key_Backspace)
    qtbot.keyClick(form.number, Qt.Key.Key_Return)
    assert form.number.text() == "4709"
    assert "4709" in window.statusBar().currentMessage()
    type_text(window.editor.body.current_edit(), "又一段。")
    window.session.save_now()
    qtbot.waitUntil(lambda: window.session.state == "saved" and not window.session.is_dirty, timeout=10_000)
    assert store.get_article(article.id).number == 4709


def test_moving_a_published_article_to_another_channel_asks_first(qtbot, open_window, tmp_path):
    window = open_window
    store = window.store
    store.create_channel("news", "新闻")
    window.editor.set_channels(store.list_channels())
    form = window.editor.form
    article = store.find_article("4709")
    seen: list[str] = []
    _answer_address_box(QMessageBox.StandardButton.Cancel, seen)
    form.channel.setCurrentIndex(form.channel.findData("news"))
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=10_000)
    assert form.channel.currentData() == "gsyl/lzgs" and "news/4709.html" in seen[0]
    _answer_address_box(QMessageBox.StandardButton.Yes, seen)
    form.channel.setCurrentIndex(form.channel.findData("news"))
    qtbot.waitUntil(lambda: store.get_article(article.id).channel_path == "news", timeout=10_000)
    assert store.redirects() == [(OLD, article.id, "news/4709.html")]


@pytest.mark.parametrize("status", ["published", "withdrawn"])
def test_the_window_and_the_store_agree_on_public_statuses(status):
    from dayuan_desktop.core.addresses import PUBLIC_STATUSES as CORE_PUBLIC

    assert status in PUBLIC_STATUSES and tuple(CORE_PUBLIC) == PUBLIC_STATUSES


def test_a_draft_number_emptied_by_hand_is_cleared(qtbot, open_window):
    window = open_window
    store = window.store
    draft = store.create_article(title="草稿", body="正文", channel_path="gsyl/lzgs", number=9001)
    window.article_list.refresh(select_id=draft.id)
    _open(qtbot, window, draft.id)
    form = window.editor.form
    assert form.number.text() == "9001"
    form.number.selectAll()
    qtbot.keyClick(form.number, Qt.Key.Key_Backspace)  # no question for a draft: it has no page yet
    qtbot.waitUntil(lambda: store.get_article(draft.id).number is None, timeout=10_000)
    assert form.number.text() == ""


def test_a_taken_number_is_not_saved_and_going_back_needs_no_question(qtbot, open_window):
    window = open_window
    store = window.store
    store.create_article(title="别的稿件", body="正文", channel_path="gsyl/lzgs", status="published", number=4710)
    form = window.editor.form
    article = store.find_article("4709")
    seen: list[str] = []
    _answer_address_box(QMessageBox.StandardButton.Yes, seen)
    form.number.selectAll()
    qtbot.keyClicks(form.number, "4710")
    qtbot.keyClick(form.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.state == "failed", timeout=10_000)
    assert "4710" in window.statusBar().currentMessage() and store.get_article(article.id).number == 4709
    form.number.selectAll()
    qtbot.keyClicks(form.number, "4709")
    qtbot.keyClick(form.number, Qt.Key.Key_Return)  # back to the stored address: no question
    type_text(window.editor.body.current_edit(), "再改一句。")
    qtbot.waitUntil(lambda: window.session.state == "saved" and not window.session.is_dirty, timeout=10_000)
    assert len(seen) == 1 and store.get_article(article.id).number == 4709
    assert "再改一句。" in store.get_article(article.id).body
