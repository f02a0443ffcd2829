"""Tag suggestion chips under the tag field: loaded off the window's thread, one click adds a tag."""

from __future__ import annotations

import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.autosave import SaveState
from dayuan_desktop.ui.editor.article_editor import ArticleEditor
from dayuan_desktop.ui.editor.tag_chips import TagChips
from dayuan_desktop.ui.editor.tag_suggestions import tag_pool
from tests.ui.conftest import type_text


@pytest.fixture
def editor(qtbot, sample_store: Store, tmp_path: Path):
    editor = ArticleEditor(ZoneInfo("Asia/Shanghai"))
    qtbot.addWidget(editor)
    editor.resize(700, 600)
    editor.show()
    editor.set_article(sample_store.find_article("4709"))
    yield editor
    editor.tag_suggestions.stop()


def test_the_window_stays_responsive_while_the_dictionary_loads(qtbot, editor, sample_store, tmp_path):
    # Every attach starts a fresh worker process: the whole dictionary load happens in this test.
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=10, timeout=tick)
    editor.attach_tag_suggestions(sample_store, tmp_path / "data", delay_ms=0)
    chips = editor.form.tag_chips
    assert chips.status.isVisible() and chips.status.text() == "Loading the dictionary…"
    last[0] = time.perf_counter()
    timer.start()
    qtbot.waitUntil(lambda: bool(chips.tags()), timeout=90_000)
    timer.stop()
    assert len(gaps) > 20  # the event loop ran all along
    assert max(gaps) < 0.100, f"the window's thread stalled {max(gaps) * 1000:.0f} ms"
    assert chips.tags()[0] == "下沉" and len(chips.tags()) <= 8
    assert not {"防控", "疫情", "党员干部"} & set(chips.tags())  # the article's own tags


def test_a_click_adds_the_tag_and_the_chip_goes(qtbot, editor, sample_store, tmp_path):
    editor.attach_tag_suggestions(sample_store, tmp_path / "data", delay_ms=0)
    chips = editor.form.tag_chips
    qtbot.waitUntil(lambda: bool(chips.tags()), timeout=90_000)
    first = chips.tags()[0]
    with qtbot.waitSignal(editor.edited):
        qtbot.mouseClick(chips.chips[0], Qt.MouseButton.LeftButton)
    assert editor.form.tags.text() == f"防控, 疫情, 党员干部, {first}"
    assert first not in chips.tags()
    assert editor.values()["tags"] == ["防控", "疫情", "党员干部", first]


def test_suggestions_follow_the_text_after_it_settles(qtbot, editor, sample_store, tmp_path):
    editor.attach_tag_suggestions(sample_store, tmp_path / "data", delay_ms=0)
    chips = editor.form.tag_chips
    qtbot.waitUntil(lambda: bool(chips.tags()), timeout=90_000)
    editor.form.title.clear()
    type_text(editor.form.title, "桥头堡桥头堡桥头堡")
    qtbot.waitUntil(lambda: "桥头堡" in chips.tags(), timeout=10_000)


def test_chips_fit_a_narrow_column_without_widening_it(qtbot, editor, sample_store, tmp_path):
    narrowest = editor.minimumSizeHint().width()
    editor.attach_tag_suggestions(sample_store, tmp_path / "data", delay_ms=0)
    chips = editor.form.tag_chips
    qtbot.waitUntil(lambda: bool(chips.tags()), timeout=90_000)
    assert editor.minimumSizeHint().width() == narrowest  # eight chips do not widen the column
    column = QWidget()  # a narrow editor column
    qtbot.addWidget(column)
    row = TagChips(column)
    QVBoxLayout(column).addWidget(row)
    row.show_tags(["疫情防控", "党员干部", "桥头堡", "核酸检测", "群防群治", "网格员", "场所码", "下沉"])
    column.resize(280, 60)
    column.show()
    qtbot.waitUntil(lambda: column.width() == 280 and row.width() < 280)
    shown = [chip.text() for chip in row.chips if chip.isVisible()]
    assert shown == row.tags()[: len(shown)] and 1 <= len(shown) < 8  # the best ones; the rest wait for room
    assert all(chip.geometry().right() <= row.width() for chip in row.chips if chip.isVisible())


def test_the_main_window_suggests_and_saves_the_clicked_tag(qtbot, open_window):
    window = open_window
    chips = window.editor.form.tag_chips
    qtbot.waitUntil(lambda: bool(chips.tags()), timeout=90_000)
    tag = chips.tags()[0]
    qtbot.mouseClick(chips.chips[0], Qt.MouseButton.LeftButton)
    assert window.session.flush()
    qtbot.waitUntil(lambda: window.session.state == SaveState.SAVED, timeout=10_000)
    assert tag in window.store.find_article("4709").tags
    tag_pool().waitForDone(10_000)
