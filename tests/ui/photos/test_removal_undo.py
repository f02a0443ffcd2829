"""Undo after removing a photo never leaves a caption without its picture.

The sample article 4709 has one photo, the lead, placed in the body. Removing it from the
panel takes it out of the article and its line out of the body; then either the panel's
*Undo remove* puts everything back, or Ctrl+Z in the body brings the line back and the photo
is attached again by itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from dayuan_desktop.ui.photos.body_photos import insert_photo
from dayuan_desktop.ui.photos.removal_undo import REATTACH_DELAY_MS
from tests.ui.conftest import type_text
from tests.ui.photos.photofiles import captioned_jpeg
from tests.ui.photos.test_panel import wait_import


def attached(window) -> list[str]:
    return [link.photo.sha256 for link in window.current_record().photos]


def stored_photos(window) -> list[tuple[str, bool]]:
    record = window.store.get_article(window.editor.article_id)
    return [(link.photo.sha256, link.is_lead) for link in record.photos]


def with_second_photo(qtbot, window, tmp_path) -> tuple[str, str]:
    """Add a second photo after the sample's own (which stays the lead); (sample sha, new sha)."""
    panel = window.photo_area
    sample = panel.model.shas()[0]
    panel.import_files([captioned_jpeg(tmp_path / "b.jpg", "晋祠圣母殿", "王芳")])
    wait_import(qtbot, panel)
    second = panel.model.shas()[1]
    qtbot.waitUntil(lambda: len(stored_photos(window)) == 2, timeout=5_000)
    return sample, second


def remove(window, sha: str) -> None:
    window.photo_area.select(sha)
    window.photo_area.remove_action.trigger()


def test_undo_remove_on_the_panel_restores_photo_place_lead_and_body_line(qtbot, open_window, tmp_path):
    window = open_window
    panel = window.photo_area
    sample, second = with_second_photo(qtbot, window, tmp_path)
    body_before = window.editor.body.markdown()
    photo_before = window.store.photos.get_photo(sample)
    assert not panel.undo_remove_action.isEnabled()

    remove(window, sample)
    assert attached(window) == [second] and f"photo:{sample}" not in window.editor.body.markdown()
    qtbot.waitUntil(lambda: stored_photos(window) == [(second, True)], timeout=5_000)
    assert panel.undo_remove_action.isEnabled() and panel.undo_remove_action.text() == "Undo remove"

    panel.undo_remove_action.trigger()
    assert attached(window) == [sample, second]  # its place
    assert window.current_record().lead_photo.photo.sha256 == sample  # its lead mark
    assert window.editor.body.markdown() == body_before  # its body line, where it was
    assert panel.model.photo(0) == photo_before  # its caption data
    qtbot.waitUntil(lambda: stored_photos(window) == [(sample, True), (second, False)], timeout=5_000)
    qtbot.waitUntil(lambda: window.store.get_article(window.editor.article_id).body == body_before, timeout=5_000)
    assert not panel.undo_remove_action.isEnabled()


def test_ctrl_z_on_the_photo_list_undoes_the_removal(qtbot, open_window):
    window = open_window
    panel = window.photo_area
    [sample] = panel.model.shas()
    window.side_area.show_photos(True)  # the editor works on the photo list in its tab
    qtbot.waitUntil(panel.view.isVisible, timeout=5_000)
    remove(window, sample)
    assert attached(window) == []
    panel.view.setFocus()
    assert panel.undo_remove_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert attached(window) == [sample]
    assert f"photo:{sample}" in window.editor.body.markdown()


def test_ctrl_z_in_the_body_attaches_the_photo_again(qtbot, open_window, tmp_path):
    window = open_window
    sample, second = with_second_photo(qtbot, window, tmp_path)
    remove(window, sample)
    qtbot.waitUntil(lambda: stored_photos(window) == [(second, True)], timeout=5_000)

    body = window.editor.body.text_edit()
    body.setFocus()
    with qtbot.waitSignal(window.photo_undo.reattached, timeout=5_000) as back:
        body.undo()  # what Ctrl+Z in the body does: the photo line returns
    assert back.args[0] == [sample]
    assert f"photo:{sample}" in window.editor.body.markdown()
    assert attached(window) == [sample, second]
    assert window.current_record().lead_photo.photo.sha256 == sample
    qtbot.waitUntil(lambda: stored_photos(window) == [(sample, True), (second, False)], timeout=5_000)
    assert not window.photo_area.undo_remove_action.isEnabled()  # nothing left to undo


def test_a_body_photo_the_removals_do_not_know_is_attached_from_the_library(qtbot, open_window, tmp_path):
    window = open_window
    sample, second = with_second_photo(qtbot, window, tmp_path)
    remove(window, second)
    window.photo_undo._removed.clear()  # forgotten (as after opening the article again)
    with qtbot.waitSignal(window.photo_undo.reattached, timeout=5_000) as back:
        insert_photo(window.editor.body, second, "晋祠圣母殿")  # e.g. a photo line pasted from another article
    assert back.args[0] == [second]
    assert attached(window) == [sample, second]
    qtbot.waitUntil(lambda: stored_photos(window) == [(sample, True), (second, False)], timeout=5_000)


def test_a_body_photo_not_in_the_library_blocks_publishing(qtbot, open_window):
    window = open_window
    first = window.editor.article_id
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.editor.article_id not in (None, first), timeout=10_000)
    form = window.editor.form
    type_text(form.title, "有图无片")
    form.channel.setCurrentIndex(form.channel.findData("gsyl/lzgs"))
    type_text(form.summary, "提要")
    type_text(window.editor.body.text_edit(), "正文。")
    unknown = "ab" * 32
    insert_photo(window.editor.body, unknown, "不在图片库里的图")
    qtbot.wait(REATTACH_DELAY_MS + 300)
    assert attached(window) == []  # nothing to attach
    form.status.setCurrentIndex(form.status.findData("published"))
    dialog = window.publish_guard.dialog
    assert dialog is not None and dialog.blocked
    assert [dialog.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(dialog.list.count())] == [
        "photo_not_attached"]
    dialog.back_button.click()
    assert form.status.currentData() == "draft"
