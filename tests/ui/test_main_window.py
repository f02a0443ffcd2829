"""The whole window on a real database: open the sample, edit, autosave, preview, layout."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from tests.ui.conftest import type_text


def test_first_run_opens_the_sample_article(qtbot, open_window):
    window = open_window
    assert window.editor.form.title.text() == "党旗飘扬筑起疫情防控“钢铁长城”"
    assert "## 党员干部集结下沉防疫一线" in window.editor.body.markdown()
    qtbot.waitUntil(lambda: window.article_list.model.rowCount() == 1, timeout=10_000)
    assert window.article_list.current_id() == window.editor.article_id
    assert window.save_label.text() == "Saved"
    assert int(window.count_label.text().split()[0]) > 1000  # 字数 of the sample body


def test_typed_title_and_body_reach_the_database_within_two_seconds(qtbot, open_window):
    window = open_window
    article_id = window.editor.article_id
    qtbot.waitUntil(lambda: window.article_list.model.rowCount() == 1, timeout=10_000)
    title = window.editor.form.title
    title.end(False)
    type_text(title, "（更新）")
    body = window.editor.body.text_edit()
    body.moveCursor(body.textCursor().MoveOperation.End)
    type_text(body, "\n\n记者补充：现场秩序良好。")
    assert window.article_list.model.summary(0).title.endswith("（更新）")  # the list follows at once

    def saved() -> bool:
        record = window.store.get_article(article_id)
        return record.title.endswith("（更新）") and record.body.rstrip().endswith("记者补充：现场秩序良好。")

    qtbot.waitUntil(saved, timeout=5_000)  # no Save pressed: the autosave after the typing pause did it
    kinds = [revision.kind for revision in window.store.list_revisions(article_id)]
    assert "autosave" in kinds
    qtbot.waitUntil(lambda: window.save_label.text() == "Saved", timeout=5_000)


def test_preview_follows_the_unsaved_text(qtbot, open_window):
    window = open_window
    if window.preview is None:
        with qtbot.waitSignal(window.previewReady, timeout=20_000):
            pass
    title = window.editor.form.title
    title.selectAll()
    with qtbot.waitSignal(window.preview.rendered, timeout=10_000):
        type_text(title, "预览里的新标题")
    assert window.current_record().title == "预览里的新标题"


def test_ctrl_s_saves_at_once_as_a_save_revision(qtbot, open_window):
    window = open_window
    article_id = window.editor.article_id
    type_text(window.editor.form.subtitle, "副题")
    window.save_action.trigger()
    qtbot.waitUntil(lambda: window.store.get_article(article_id).subtitle == "副题", timeout=5_000)
    assert window.store.list_revisions(article_id)[0].kind in ("save", "autosave")


def test_new_article_is_created_and_opened(qtbot, open_window):
    window = open_window
    first = window.editor.article_id
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.editor.article_id not in (None, first), timeout=10_000)
    assert window.editor.form.title.text() == ""
    qtbot.waitUntil(lambda: window.article_list.model.rowCount() == 2, timeout=10_000)


def test_layout_persists_between_runs(qtbot, open_window, tmp_path):
    window = open_window
    window.welcome.dismiss()  # the first-run welcome adds its own height while it is shown
    qtbot.waitUntil(lambda: window.minimumSizeHint().height() < 600, timeout=5_000)  # the layout let it go
    window.resize(790, 600)  # inside the offscreen screen (800×800), so nothing gets clamped
    qtbot.wait(50)
    window.main_splitter.setSizes([150, 480, 160])  # the editor's fields need about 380 px
    sizes = window.main_splitter.sizes()
    window.save_layout()
    stored = QSettings(window.qsettings.fileName(), QSettings.Format.IniFormat)
    assert stored.value("splitters/mainSplitter") is not None
    from dayuan_desktop.ui.main_window import MainWindow

    again = MainWindow(window.settings, window.editor.form._zone, stored)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    qtbot.waitUntil(lambda: again.is_built, timeout=5_000)  # the panels follow the first paint
    assert again.height() == window.height() == 600
    assert again.main_splitter.sizes()[:2] == sizes[:2]  # the last pane takes what the screen allows


def test_the_last_open_article_opens_again_on_the_next_start(qtbot, open_window):
    window = open_window
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.editor.article_id not in (None, 1), timeout=10_000)
    second = window.editor.article_id
    from dayuan_desktop.core.workspace import open_workspace
    from dayuan_desktop.ui.main_window import MainWindow

    again = MainWindow(window.settings, window.editor.form._zone, window.qsettings)
    workspace = open_workspace(window.settings, window.store.db.url)
    with qtbot.waitSignal(again.articleOpened, timeout=10_000) as opened:
        again.attach_workspace(workspace)
    assert opened.args == [second]
    from dayuan_desktop.ui.app import dispose_window

    again.close()
    dispose_window(again)
    workspace.store.db.dispose()


def _drive_dialog(dialog_type, action) -> dict:
    """Run ``action(dialog)`` once the modal dialog of ``dialog_type`` is up."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: dict = {}

    def poke() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, dialog_type):
            QTimer.singleShot(50, poke)
            return
        seen["dialog"] = dialog
        action(dialog)

    QTimer.singleShot(50, poke)
    return seen


def test_export_from_the_window_writes_the_edited_sample(qtbot, open_window, tmp_path):
    from dayuan_desktop.core.visible_text import visible_lines
    from dayuan_desktop.ui.export_dialog import ExportDialog

    window = open_window
    title = window.editor.form.title
    title.selectAll()
    type_text(title, "导出前改过的标题")
    site = tmp_path / "site"

    def export(dialog) -> None:
        dialog.folder_edit.setText(str(site))
        dialog.all_radio.setChecked(True)
        dialog.export_finished.connect(lambda _report: dialog.close_button.click())
        dialog.export_button.click()

    seen = _drive_dialog(ExportDialog, export)
    window.export_action.trigger()  # modal: returns when the dialog closed
    assert seen["dialog"].report is not None
    page = site / "gsyl" / "lzgs" / "4709.html"
    assert "导出前改过的标题" in visible_lines(page.read_text(encoding="utf-8"))  # unsaved edits were flushed
    cache = window.settings.cache_dir
    cached = [p for p in cache.rglob("*") if p.is_file() and p.stat().st_size > 1000
              and p.relative_to(cache).parts[0] not in ("preview", "thumbnails")]
    assert cached, "the photo's rendition is kept in the data folder's cache for the next export"


def test_preferences_site_name_reaches_the_preview(qtbot, open_window):
    from dayuan_desktop.core.site import load_site_settings
    from dayuan_desktop.ui.preferences import PreferencesDialog

    window = open_window
    if window.preview is None:
        with qtbot.waitSignal(window.previewReady, timeout=20_000):
            pass

    def rename(dialog) -> None:
        dialog.site_name_edit.setText("大院测试网")
        dialog.accept()

    _drive_dialog(PreferencesDialog, rename)
    window.preferences_action.trigger()
    assert load_site_settings(window.store.db).site_name == "大院测试网"
    qtbot.waitUntil(lambda: "大院测试网" in (window.preview.shown_html() or ""), timeout=20_000)
