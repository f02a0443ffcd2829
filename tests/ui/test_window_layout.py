"""The editor's layout: the body gets the room on real screen sizes, every field and the photo
panel stay reachable with the keyboard, the layout is remembered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

PROBE = Path(__file__).with_name("layout_probe.py")


def _probe(tmp_path: Path, screen: str, *, scale: str | None = None, maximize: bool = False) -> dict:
    env = {**os.environ, "PYTHONPATH": str(PROBE.parents[2]), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_SCALE_FACTOR", None)
    if scale is not None:
        env["QT_SCALE_FACTOR"] = scale  # before the QApplication exists: hence the process of its own
    command = [sys.executable, str(PROBE), screen, str(tmp_path / "data")] + (["--maximize"] if maximize else [])
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    return json.loads(lines[-1])


@pytest.mark.parametrize(("screen", "scale", "maximize", "wanted"), [
    ("1366x768", None, False, 15),  # the default does not fit: the window opens maximized by itself
    ("1920x1080", None, True, 30),
    ("1920x1080", "1.5", False, 12),  # 1280×720 logical pixels, the usual Windows laptop
])
def test_the_body_shows_many_lines_and_the_window_fits_the_screen(tmp_path, screen, scale, maximize, wanted):
    seen = _probe(tmp_path, screen, scale=scale, maximize=maximize)
    assert seen["lines"] >= wanted, seen  # body viewport height / the body font's line spacing
    assert seen["chinese_lines"] >= wanted, seen  # also counted with a laid-out line of Chinese text
    x, y, width, height = seen["window"]
    sx, sy, swidth, sheight = seen["screen"]
    assert x >= sx and y >= sy and x + width <= sx + swidth and y + height <= sy + sheight, seen
    assert seen["status_bar_bottom"] < sheight, seen  # the status bar is on the screen


def _tab_through(qtbot, window, start, stop, limit: int = 60) -> list:
    from PySide6.QtWidgets import QApplication

    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=2_000)
    seen = [start]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        seen.append(focused)
        if focused is stop:
            break
    return seen


def test_every_field_and_the_photos_are_reachable_with_the_keyboard(qtbot, open_window):
    from PySide6.QtWidgets import QApplication

    window = open_window
    form = window.editor.form
    fields = [form.subtitle, form.author, form.source, form.channel, form.status, form.number,
              form.has_time, form.published_at, form.tags, form.summary]
    window.activateWindow()
    # Folded: Tab goes from the title to the fold button and on to the body.
    form.details.set_folded(True)
    seen = _tab_through(qtbot, window, form.title, window.editor.body.text_edit())
    assert form.details.toggle in seen and seen[-1] is window.editor.body.text_edit()
    # The fold button opens with the keyboard; then Tab walks every field, in reading order.
    form.details.toggle.setFocus()
    qtbot.keyClick(form.details.toggle, Qt.Key.Key_Space)
    assert not form.details.folded
    seen = _tab_through(qtbot, window, form.title, window.editor.body.text_edit())
    order = [seen.index(field) for field in fields]
    assert order == sorted(order), [type(w).__name__ for w in seen]
    # Ctrl+Shift+D folds and opens the details (the cursor goes to the subtitle when they open).
    form.details.set_folded(True)
    window.editor.body.text_edit().setFocus()
    qtbot.keyClick(window.editor.body.text_edit(), Qt.Key.Key_D,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not form.details.folded
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.subtitle, timeout=2_000)
    # Ctrl+Shift+I brings up the photo panel with the cursor in the photo list.
    qtbot.keyClick(form.subtitle, Qt.Key.Key_I,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.side_area.photos_shown and window.photo_area.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.photo_area.view, timeout=2_000)
    # Alt+the underlined letter of a label puts the cursor in its field.
    qtbot.keyClick(window.photo_area.view, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.tags, timeout=2_000)


def test_folded_details_and_the_photo_tab_are_remembered(qtbot, open_window):
    window = open_window
    assert not window.editor.form.details.folded and not window.side_area.photos_shown  # a new user's layout
    window.details_action.trigger()
    window.photos_action.trigger()
    assert window.editor.form.details.folded and window.side_area.photos_shown
    assert window.editor.form.details.summary.isVisible()  # folded, the header says what the fields hold
    assert "4709" in window.editor.form.details.summary.text()
    window.save_layout()
    stored = QSettings(window.qsettings.fileName(), QSettings.Format.IniFormat)
    from dayuan_desktop.ui.main_window import MainWindow

    again = MainWindow(window.settings, window.editor.form._zone, stored)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.is_built, timeout=5_000)
    assert again.editor.form.details.folded
    assert again.side_area.photos_shown and again.photos_action.isChecked()
    assert not again.details_action.isChecked()


def test_the_photo_tab_counts_the_photos(qtbot, open_window):
    window = open_window
    qtbot.waitUntil(lambda: window.photo_area.model.rowCount() == 1, timeout=5_000)  # the sample's photo
    assert "1" in window.side_area.tabText(1)


def test_a_layout_saved_on_a_large_screen_still_fits_a_laptop(tmp_path):
    big = _probe(tmp_path, "1920x1080")  # opens at its default size, which is remembered on close
    assert not big["maximized"] and big["window"][2] >= 1400 and big["window"][3] >= 860  # (with its frame)
    small = _probe(tmp_path, "1366x768")  # the same settings on a smaller screen
    x, y, width, height = small["window"]
    assert width <= 1366 and height <= 768 and x >= 0 and y >= 0, small
    assert small["lines"] >= 15, small


def test_a_photo_splitter_remembered_from_the_old_layout_does_not_turn_the_side_panel_sideways(qtbot, tmp_path):
    from zoneinfo import ZoneInfo

    from PySide6.QtWidgets import QSplitter

    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.main_window import MainWindow

    old = QSplitter(Qt.Orientation.Horizontal)  # the photo panel beside its form, under the body
    old.addWidget(QSplitter())
    old.addWidget(QSplitter())
    stored = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    stored.setValue("splitters/photoSplitter", old.saveState())
    window = MainWindow(load_settings(tmp_path / "home"), ZoneInfo("Asia/Shanghai"), stored)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_built, timeout=5_000)
    assert window.photo_area.splitter.orientation() == Qt.Orientation.Vertical
