"""The photo panel in the whole window: drop, caption, place in the body, preview, stored Markdown, export."""

from __future__ import annotations

from dayuan_desktop.core.export.site_export import SiteExporter
from tests.ui.conftest import type_text
from tests.ui.photos.photofiles import captioned_jpeg
from tests.ui.photos.test_panel import drop_files, wait_import


def _preview(qtbot, window):
    if window.preview is None:
        with qtbot.waitSignal(window.previewReady, timeout=20_000):
            pass
    qtbot.waitUntil(lambda: not window.preview.is_loading(), timeout=20_000)
    return window.preview


def test_drop_caption_place_and_export(qtbot, open_window, tmp_path):
    window = open_window
    panel = window.photo_area
    article_id = window.editor.article_id
    assert panel.model.rowCount() == 1  # the sample's own photo, as the lead
    assert panel.article_photos()[0].is_lead
    preview = _preview(qtbot, window)

    photo = captioned_jpeg(tmp_path / "DSC_0042.JPG", "大同古城墙上的游客", "李明摄")
    drop_files(panel.view, [photo])
    wait_import(qtbot, panel)
    assert panel.model.rowCount() == 2
    sha = panel.selected_sha()
    assert panel.form.composed.text() == "图为大同古城墙上的游客。李明摄"  # the file's byline, not doubled

    # Correct the caption in the house style: the list, preview and database follow.
    panel.form.caption.selectAll()
    type_text(panel.form.caption, "图为大同古城墙上游览的市民")
    assert panel.form.composed.text() == "图为大同古城墙上游览的市民。李明摄"
    qtbot.waitUntil(lambda: window.store.photos.get_photo(sha).caption == "图为大同古城墙上游览的市民", timeout=5_000)

    # Place it at the cursor, after the body's first paragraph.
    body = window.editor.body.text_edit()
    first = body.document().begin()
    while not first.text().strip():
        first = first.next()
    cursor = body.textCursor()
    cursor.setPosition(first.position() + first.length() - 1)
    body.setTextCursor(cursor)
    with qtbot.waitSignal(preview.rendered, timeout=10_000):
        panel.insert_action.trigger()
    line = f"![图为大同古城墙上游览的市民。](photo:{sha})"
    assert f"\n\n{line}\n\n" in window.editor.body.markdown()
    # The page with the photo (a render for the caption's new rendition may have come first).
    qtbot.waitUntil(lambda: "图为大同古城墙上游览的市民。李明摄" in (preview.shown_html() or ""), timeout=10_000)
    assert f"photo:{sha}" in body.document().toHtml() and body.document().image_for(f"photo:{sha}").width() == 256

    def saved() -> bool:
        record = window.store.get_article(article_id)
        return f"\n\n{line}\n\n" in record.body and sha in [link.photo.sha256 for link in record.photos]

    qtbot.waitUntil(saved, timeout=5_000)
    qtbot.waitUntil(lambda: window.save_label.text() == "Saved", timeout=5_000)

    # A caption corrected after placing: the body's photo line follows once the caption is stored.
    panel.form.caption.selectAll()
    type_text(panel.form.caption, "大同古城墙上游览的外地游客")
    line = f"![图为大同古城墙上游览的外地游客。](photo:{sha})"
    qtbot.waitUntil(lambda: line in window.editor.body.markdown(), timeout=5_000)
    qtbot.waitUntil(lambda: line in window.store.get_article(article_id).body, timeout=5_000)
    qtbot.waitUntil(lambda: window.save_label.text() == "Saved", timeout=5_000)

    site = tmp_path / "site"
    SiteExporter(window.store, window.site, site).run()
    page = (site / "gsyl" / "lzgs" / "4709.html").read_text(encoding="utf-8")
    assert '<p class="caption">图为大同古城墙上游览的外地游客。李明摄</p>' in page
    assert page.count('<p class="photo"><img') == 2


def test_lead_and_removal_show_in_the_preview_and_the_body(qtbot, open_window, tmp_path):
    window = open_window
    panel = window.photo_area
    article_id = window.editor.article_id
    preview = _preview(qtbot, window)
    panel.import_files([captioned_jpeg(tmp_path / "a.jpg", "晋祠圣母殿", "王芳")])
    wait_import(qtbot, panel)
    sha = panel.selected_sha()
    panel.make_selected_lead()
    assert window.current_record().lead_photo.photo.sha256 == sha
    qtbot.waitUntil(lambda: window.store.get_article(article_id).lead_photo.photo.sha256 == sha, timeout=5_000)

    sample = window.store.get_article(article_id).photos[0].photo
    sample_sha = sample.sha256
    assert sample.web_name in preview.shown_html()
    assert f"photo:{sample_sha}" in window.editor.body.markdown()
    panel.select(sample_sha)
    panel.remove_action.trigger()
    assert f"photo:{sample_sha}" not in window.editor.body.markdown()  # its line left the body too
    assert sample_sha not in [link.photo.sha256 for link in window.current_record().photos]
    qtbot.waitUntil(lambda: sample.web_name not in (preview.shown_html() or sample.web_name), timeout=5_000)
    qtbot.waitUntil(lambda: [link.photo.sha256 for link in window.store.get_article(article_id).photos] == [sha],
                    timeout=5_000)
    qtbot.waitUntil(lambda: f"photo:{sample_sha}" not in window.store.get_article(article_id).body, timeout=5_000)
    assert window.store.photos.get_photo(sample_sha)  # the photo stays in the library


def test_a_photo_pasted_into_the_body_joins_the_panel(qtbot, open_window):
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QImage

    window = open_window
    panel = window.photo_area
    image = QImage(900, 600, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    data = QMimeData()
    data.setImageData(image)
    window.editor.body.text_edit().insertFromMimeData(data)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5_000)


def test_pasted_photos_being_stored_are_said_in_the_status_bar_and_a_damaged_one_after(qtbot, open_window, tmp_path):
    import hashlib

    from PySide6.QtCore import QMimeData, QUrl

    from tests.helpers import jpeg_bytes

    window = open_window
    good, broken = tmp_path / "good.jpg", tmp_path / "broken.jpg"
    good.write_bytes(jpeg_bytes(1600, 1200))
    broken.write_bytes(jpeg_bytes(800, 600)[:300])
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(good)), QUrl.fromLocalFile(str(broken))])
    window.editor.body.text_edit().insertFromMimeData(data)
    assert window.statusBar().currentMessage() == "Storing pasted photos: 1 of 2…"  # at once, before any is stored
    qtbot.waitUntil(lambda: not window.editor.body.is_importing_pasted(), timeout=30_000)
    # The damaged file is named, and that notice outlives the progress line; the good photo is in.
    assert window.statusBar().currentMessage() == \
        "Images that could not be read as photos were left out (1): broken.jpg."
    assert f"photo:{hashlib.sha256(good.read_bytes()).hexdigest()}" in window.editor.body.markdown()
    qtbot.waitUntil(lambda: window.photo_area.model.rowCount() == 2, timeout=5_000)  # beside the article's own
