"""The photo grid: portrait and landscape thumbnails keep their labels; three columns fit 1366×768."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from dayuan_desktop.ui.photos.panel import PhotoPanel
from tests.ui.photos.photofiles import captioned_jpeg

LIGHT = (235, 225, 150)  # a light picture: the black label text stands out from it


@pytest.fixture
def panel(qtbot, ui_store, tmp_path):
    widget = PhotoPanel()
    qtbot.addWidget(widget)
    widget.set_store(ui_store, tmp_path / "cache")
    article = ui_store.create_article(title="图片新闻", body="正文。\n")
    widget.set_article(ui_store.get_article(article.id))
    widget.resize(480, 320)  # the photo panel's share of a 1366×768 window
    widget.show()
    qtbot.waitExposed(widget)
    files = [captioned_jpeg(tmp_path / "tall.jpg", "晋祠", "王芳", width=800, height=1200, color=LIGHT),
             captioned_jpeg(tmp_path / "wide.jpg", "古城", "李明", width=1200, height=800, color=LIGHT),
             captioned_jpeg(tmp_path / "wide2.jpg", "汾河", "李明", width=1200, height=700, color=(200, 220, 240)),
             # no caption: the label is "⚠ " and the file name, two lines in a 90 px cell
             captioned_jpeg(tmp_path / "landscape2.jpg", "", "", width=1200, height=800, color=LIGHT)]
    with qtbot.waitSignal(widget.importFinished, timeout=60_000):
        widget.import_files(files)
    qtbot.waitUntil(lambda: all(widget.model.has_thumbnail(s) for s in widget.model.shas()), timeout=20_000)
    return widget


def _dark_pixels(image, rect) -> int:
    return sum(1 for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom())
               if QColor(image.pixel(x, y)).lightness() < 90)


def test_a_portrait_thumbnail_keeps_its_label_inside_its_cell(panel, qtbot):
    view = panel.view
    view.clearSelection()  # a selected label is white on blue
    shot = view.viewport().grab().toImage()
    for row in range(panel.model.rowCount()):
        cell = view.visualRect(panel.model.index(row))
        assert cell.height() <= view.gridSize().height()
        label_strip = cell.adjusted(0, cell.height() - 20, 0, 0)  # where the caption label is drawn
        assert _dark_pixels(shot, label_strip) > 15, f"row {row}: no label text under the thumbnail"
        picture = cell.adjusted(0, 0, 0, -(cell.height() - view.iconSize().height()))
        assert _dark_pixels(shot, picture) < 0.05 * picture.width() * picture.height()  # no text over the photo


def test_three_photos_side_by_side_in_the_panel_at_1366(panel):
    view = panel.view
    assert view.viewport().width() <= 300  # the list's share beside the caption form
    tops = {view.visualRect(panel.model.index(row)).top() for row in range(3)}
    assert len(tops) == 1  # one row of three


def test_labels_of_photos_added_later_are_not_cut_to_the_first_photos_height(qtbot, ui_store, tmp_path):
    # The article had one captioned photo (a one-line label); photos without a caption added
    # later get two lines ("⚠" and the file name), not the first photo's one line ("⚠ ...").
    widget = PhotoPanel()
    qtbot.addWidget(widget)
    widget.set_store(ui_store, tmp_path / "cache")
    article = ui_store.create_article(title="图片新闻", body="正文。\n")
    widget.set_article(ui_store.get_article(article.id))
    widget.resize(800, 320)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitSignal(widget.importFinished, timeout=60_000):
        widget.import_files([captioned_jpeg(tmp_path / "lead.jpg", "图为防控人员在道路卡口", "李明", color=LIGHT)])
    with qtbot.waitSignal(widget.importFinished, timeout=60_000):
        widget.import_files([captioned_jpeg(tmp_path / "landscape2.jpg", "", "", color=LIGHT)])
    view = widget.view
    view.clearSelection()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2)
    cell = view.visualRect(widget.model.index(1))
    shot = view.viewport().grab().toImage()
    below_icon = cell.adjusted(0, view.iconSize().height(), 0, 0)
    assert _dark_pixels(shot, below_icon) > 60  # the file name is written, not just "⚠ ..."
