"""The photo panel on a real store: drops, import in the background, captions, lead, order, library."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from dayuan_desktop.ui.photos.panel import PhotoPanel
from tests.ui.conftest import type_text
from tests.ui.photos.photofiles import broken_files, camera_batch, captioned_jpeg


@pytest.fixture
def panel(qtbot, ui_store, tmp_path):
    widget = PhotoPanel()
    qtbot.addWidget(widget)
    QAbstractItemModelTester(widget.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    widget.set_store(ui_store, tmp_path / "cache")
    article = ui_store.create_article(title="图片新闻", body="正文。\n")
    widget.set_article(ui_store.get_article(article.id))
    widget.resize(900, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def drop_files(view, paths) -> None:
    """Drop files on the list the way the file manager does (drag enter, move, drop)."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    target = view.viewport()
    where = QPointF(target.rect().center())
    actions = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where.toPoint(), actions, data, buttons, keys)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, QDragMoveEvent(where.toPoint(), actions, data, buttons, keys))
    drop = QDropEvent(where, actions, data, buttons, keys)
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()


def wait_import(qtbot, panel, timeout=60_000):
    with qtbot.waitSignal(panel.importFinished, timeout=timeout) as blocker:
        pass
    return blocker.args[0]


def test_dropped_files_import_with_their_captions_and_bad_files_say_why(qtbot, panel, ui_store, tmp_path):
    wall = captioned_jpeg(tmp_path / "wall.jpg", "大同古城墙上的游客", "李明")
    temple = captioned_jpeg(tmp_path / "temple.jpg", "晋祠圣母殿", "王芳", color=(30, 120, 60))
    files = [wall, *broken_files(tmp_path), temple]
    with qtbot.waitSignal(panel.importFinished, timeout=30_000) as blocker:
        drop_files(panel.view, files)
        assert panel.progress_row.isVisible()
    outcome = blocker.args[0]
    assert [name for name, _ in outcome.failed] == ["truncated.jpg", "notes.jpg"]
    assert all(reason for _, reason in outcome.failed)
    assert panel.failures.isVisible() and "truncated.jpg" in panel.failures.text()
    assert not panel.progress_row.isVisible()
    assert panel.model.rowCount() == 2
    article = ui_store.get_article(panel.article_id())
    assert [link.photo.caption for link in article.photos] == ["大同古城墙上的游客", "晋祠圣母殿"]
    assert [link.photo.photographer for link in article.photos] == ["李明", "王芳"]
    assert article.photos[0].is_lead
    qtbot.waitUntil(lambda: all(panel.model.has_thumbnail(s) for s in panel.model.shas()), timeout=10_000)
    # The last imported photo is selected; its form shows what the file said.
    assert panel.form.caption.text() == "晋祠圣母殿" and panel.form.photographer.text() == "王芳"
    assert panel.form.composed.text() == "图为晋祠圣母殿。王芳摄"

    again = tmp_path / "copy-of-wall.jpg"
    again.write_bytes(wall.read_bytes())
    panel.import_files([again])
    outcome = wait_import(qtbot, panel)
    assert outcome.known == [outcome.imported[0].photo.sha256]  # recognised, not stored twice
    assert panel.model.rowCount() == 2 and ui_store.photos.list_photos().total == 2


def test_caption_form_shows_the_line_and_problems_live_and_autosaves(qtbot, panel, ui_store, tmp_path):
    small = captioned_jpeg(tmp_path / "small.jpg", "", "", width=640, height=480, gps=True)
    panel.import_files([small])
    wait_import(qtbot, panel)
    form = panel.form
    assert form.sha256() == panel.model.shas()[0]
    assert set(form.problem_codes()) == {"missing_caption", "missing_photographer", "too_narrow", "gps_present"}
    assert "640" in form.problems.text() and "GPS" in form.problems.text()
    changes = []
    panel.photosChanged.connect(lambda: changes.append(1))
    form.caption.setFocus()
    type_text(form.caption, "图为汾河公园的晨练市民")
    type_text(form.photographer, "张三")
    assert form.composed.text() == "图为汾河公园的晨练市民。张三摄"
    assert set(form.problem_codes()) == {"too_narrow", "gps_present"}
    assert changes  # the preview follows at once
    assert panel.article_photos()[0].photo.caption == "图为汾河公园的晨练市民"
    type_text(form.credit, "大院网")
    type_text(form.copyright, "© 大院网")
    sha = form.sha256()

    def stored() -> bool:
        photo = ui_store.photos.get_photo(sha)
        return (photo.caption, photo.photographer, photo.credit, photo.copyright) == (
            "图为汾河公园的晨练市民", "张三", "大院网", "© 大院网")

    qtbot.waitUntil(stored, timeout=5_000)
    type_text(form.caption, "（资料图）" * 30)
    assert "caption_too_long" in form.problem_codes()


def test_lead_order_and_removal_reach_the_database(qtbot, panel, ui_store, tmp_path):
    paths = [captioned_jpeg(tmp_path / f"p{n}.jpg", f"第{n}张", "李明", color=(40 * n, 80, 90)) for n in range(3)]
    panel.import_files(paths)
    wait_import(qtbot, panel)
    shas = panel.model.shas()
    article_id = panel.article_id()

    def stored():
        article = ui_store.get_article(article_id)
        return [link.photo.sha256 for link in article.photos], article.lead_photo.photo.sha256

    panel.select(shas[2])
    panel.make_selected_lead()
    qtbot.waitUntil(lambda: stored() == (shas, shas[2]), timeout=5_000)
    assert panel.model.data(panel.model.index(2)).startswith("★")
    data = panel.model.mimeData([panel.model.index(0)])
    panel.model.dropMimeData(data, Qt.DropAction.CopyAction, 3, 0, panel.model.index(-1))  # first to the end
    qtbot.waitUntil(lambda: stored() == ([shas[1], shas[2], shas[0]], shas[2]), timeout=5_000)
    removed = []
    panel.removed.connect(removed.append)
    panel.select(shas[2])
    panel.remove_selected()
    assert removed == [shas[2]]
    qtbot.waitUntil(lambda: stored() == ([shas[1], shas[0]], shas[1]), timeout=5_000)
    assert ui_store.photos.get_photo(shas[2]).sha256 == shas[2]  # still in the library


def test_window_keeps_ticking_while_fifty_camera_files_import_and_cancel_keeps_what_is_done(
        qtbot, panel, ui_store, tmp_path):
    paths = camera_batch(tmp_path, 50)
    ticks = []
    timer = QTimer(interval=20, timeout=lambda: ticks.append(1))
    timer.start()
    job = panel.import_files(paths)
    assert job is not None and panel.is_importing()
    qtbot.waitUntil(lambda: panel.progress.value() >= 3, timeout=60_000)
    ticks_during = len(ticks)
    panel.cancel_import()
    outcome = wait_import(qtbot, panel, timeout=60_000)
    timer.stop()
    assert ticks_during >= 3  # the event loop ran while files were read and stored
    assert outcome.cancelled and 3 <= len(outcome.imported) < 50
    assert panel.model.rowCount() == len(outcome.imported)
    assert len(ui_store.get_article(panel.article_id()).photos) == len(outcome.imported)


def test_whole_batch_of_camera_files_imports_while_the_ui_runs(qtbot, panel, ui_store, tmp_path):
    paths = camera_batch(tmp_path, 50)
    ticks = []
    timer = QTimer(interval=20, timeout=lambda: ticks.append(1))
    timer.start()
    panel.import_files(paths)
    outcome = wait_import(qtbot, panel, timeout=180_000)
    timer.stop()
    assert len(outcome.imported) == 50 and not outcome.failed
    assert panel.model.rowCount() == 50
    assert len(ticks) >= 10  # the UI thread kept running the whole time
    assert outcome.imported[0].photo.caption == "太原汾河公园" and outcome.imported[0].photo.width == 6000


def test_paste_of_a_bitmap_adds_a_photo(qtbot, panel, ui_store):
    image = QImage(1000, 700, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    QGuiApplication.clipboard().setImage(image)
    panel.paste()
    wait_import(qtbot, panel)
    assert panel.model.rowCount() == 1
    assert ui_store.get_article(panel.article_id()).photos[0].photo.width == 1000


def test_library_dialog_finds_photos_by_caption_and_adds_them(qtbot, panel, ui_store, tmp_path):
    from dayuan_desktop.ui.photos.library_dialog import LibraryDialog

    for n, (caption, who) in enumerate([("大同古城墙", "李明"), ("晋祠圣母殿", "王芳"), ("汾河公园", "李明")]):
        data = (tmp_path / f"l{n}.jpg")
        captioned_jpeg(data, caption, who, color=(n * 60, 20, 20))
        from dayuan_desktop.core.photos.importing import import_photo

        import_photo(ui_store, data)
    dialog = LibraryDialog(ui_store, panel.thumbnails, panel)
    qtbot.addWidget(dialog)
    QAbstractItemModelTester(dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=5_000)
    type_text(dialog.search, "李明")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2 and not dialog.is_loading(), timeout=5_000)
    type_text(dialog.search, " 城墙")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and not dialog.is_loading(), timeout=5_000)
    assert "1 of 1" in dialog.count.text()
    dialog.view.setCurrentIndex(dialog.model.index(0))
    chosen = dialog.chosen()
    assert [p.caption for p in chosen] == ["大同古城墙"]
    panel.add_existing(chosen)
    qtbot.waitUntil(lambda: len(ui_store.get_article(panel.article_id()).photos) == 1, timeout=5_000)
    assert ui_store.get_article(panel.article_id()).photos[0].photo.caption == "大同古城墙"


def test_nothing_to_do_without_an_article(qtbot, ui_store, tmp_path):
    widget = PhotoPanel()
    qtbot.addWidget(widget)
    widget.set_store(ui_store, tmp_path / "cache")
    widget.set_article(None)
    assert widget.import_files([tmp_path / "x.jpg"]) is None
    assert not widget.add_action.isEnabled() and not widget.insert_action.isEnabled()


def test_quick_successive_changes_end_in_the_newest_state(qtbot, panel, ui_store, tmp_path):
    paths = [captioned_jpeg(tmp_path / f"q{n}.jpg", f"第{n}张", "李明", color=(50 * n, 60, 90)) for n in range(3)]
    panel.import_files(paths)
    wait_import(qtbot, panel)
    shas = panel.model.shas()
    for sha in (shas[1], shas[2], shas[0], shas[2]):  # four writes in a row, none waited for
        panel.select(sha)
        panel.make_selected_lead()
    panel.model.dropMimeData(panel.model.mimeData([panel.model.index(2)]), Qt.DropAction.CopyAction, 0, 0,
                             panel.model.index(-1))
    panel.select(shas[0])
    for text in ("一", "一二", "一二三"):
        panel.form.caption.setText(text)
        panel.form.caption.textEdited.emit(text)
        panel.saver.save_now()
    qtbot.waitUntil(lambda: not panel.is_writing(), timeout=5_000)
    article = ui_store.get_article(panel.article_id())
    assert [link.photo.sha256 for link in article.photos] == [shas[2], shas[0], shas[1]]
    assert article.lead_photo.photo.sha256 == shas[2]
    assert ui_store.photos.get_photo(shas[0]).caption == "一二三"


def test_dragging_a_thumbnail_onto_another_moves_it_in_the_article(qtbot, panel, ui_store, tmp_path):
    paths = [captioned_jpeg(tmp_path / f"d{n}.jpg", f"第{n}张", "李明", color=(50 * n, 90, 60)) for n in range(3)]
    panel.import_files(paths)
    wait_import(qtbot, panel)
    shas = panel.model.shas()
    view = panel.view
    target = view.visualRect(panel.model.index(0))
    view.drop_rows(target.topLeft() + QPoint(2, 2), panel.model.mimeData([panel.model.index(2)]))
    assert panel.model.shas() == [shas[2], shas[0], shas[1]]
    view.drop_rows(QPoint(view.viewport().width() - 2, view.viewport().height() - 2),
                   panel.model.mimeData([panel.model.index(0)]))  # empty space: to the end
    assert panel.model.shas() == [shas[0], shas[1], shas[2]]
    qtbot.waitUntil(lambda: not panel.is_writing(), timeout=5_000)
    assert [link.photo.sha256 for link in ui_store.get_article(panel.article_id()).photos] == shas


def test_imported_and_recaptioned_photos_get_the_rendition_the_export_will_ask_for(qtbot, ui_store, tmp_path):
    from dayuan_desktop.core.photos.rendition_cache import RenditionCache, rendition_key
    from dayuan_desktop.core.photos.renditions import RenditionText

    widget = PhotoPanel()
    qtbot.addWidget(widget)
    widget.set_store(ui_store, tmp_path / "cache", rendition_width=1200)
    article = ui_store.create_article(title="图片新闻", body="正文。\n")
    widget.set_article(ui_store.get_article(article.id))
    widget.show()
    qtbot.waitExposed(widget)
    cache = RenditionCache(tmp_path / "cache")

    def prepared(sha: str) -> bool:
        return cache.lookup(rendition_key(sha, 1200, RenditionText.of_photo(ui_store.photos.get_photo(sha)))) is not None

    widget.import_files([captioned_jpeg(tmp_path / "wall.jpg", "大同古城墙上的游客", "李明")])
    wait_import(qtbot, widget)
    [sha] = widget.model.shas()
    qtbot.waitUntil(lambda: prepared(sha), timeout=20_000)
    widget.select(sha)
    widget.form.caption.setFocus()
    type_text(widget.form.caption, "，夕阳下")
    qtbot.waitUntil(lambda: ui_store.photos.get_photo(sha).caption.startswith("，夕阳下"), timeout=5_000)
    qtbot.waitUntil(lambda: prepared(sha), timeout=20_000)  # the new caption's rendition, not the old one
    assert len(list((tmp_path / "cache" / "renditions").rglob("*.img"))) == 2


def test_a_changed_rendition_size_is_what_the_next_import_prepares(qtbot, panel, ui_store, tmp_path):
    from dayuan_desktop.core.photos.rendition_cache import RenditionCache, rendition_key
    from dayuan_desktop.core.photos.renditions import RenditionText

    panel.set_rendition_width(800)  # as the window does when Preferences save a new size
    panel.import_files([captioned_jpeg(tmp_path / "wall.jpg", "大同古城墙上的游客", "李明")])
    wait_import(qtbot, panel)
    [sha] = panel.model.shas()
    text = RenditionText.of_photo(ui_store.photos.get_photo(sha))
    found = RenditionCache(tmp_path / "cache").lookup(rendition_key(sha, 800, text))
    assert found is not None and max(found.width, found.height) == 800


def test_reordering_and_removing_keep_a_photo_a_colleague_attached_meanwhile(qtbot, panel, ui_store, tmp_path):
    from dayuan_desktop.core.photos.incoming import add_photos_to_article
    from dayuan_desktop.core.store import Store

    paths = [captioned_jpeg(tmp_path / f"r{n}.jpg", f"第{n}张", "李明", color=(50 * n, 70, 90)) for n in range(3)]
    panel.import_files(paths)
    wait_import(qtbot, panel)
    shas = panel.model.shas()
    extra = captioned_jpeg(tmp_path / "extra.jpg", "同事加的", "王芳", color=(200, 30, 30))
    colleague = Store(ui_store.db, user_name="colleague")  # a `photo add` elsewhere; the panel does not know
    added = add_photos_to_article(colleague, ui_store.get_article(panel.article_id()).uuid, [extra]).photos[0].photo.sha256
    panel.model.dropMimeData(panel.model.mimeData([panel.model.index(0)]), Qt.DropAction.CopyAction, 3, 0,
                             panel.model.index(-1))  # first to the end
    panel.select(shas[1])
    panel.remove_selected()
    qtbot.waitUntil(lambda: not panel.is_writing(), timeout=5_000)
    stored = [link.photo.sha256 for link in ui_store.get_article(panel.article_id()).photos]
    assert stored == [shas[2], shas[0], added]
