"""Pasting photos never holds the window: they are stored in the background and placed when ready.

A real editor on a real SQLite store through the window's own bridge (``ArticlePhotoBridge``):
the photo is read, stored, attached, given its web rendition and thumbnail on a pool thread.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, Qt, QTimer, QUrl
from PySide6.QtGui import QImage

from dayuan_desktop.ui.editor.article_photos import ArticlePhotoBridge
from tests.helpers import jpeg_bytes


def camera_jpeg(path: Path, width: int = 6000, height: int = 4000) -> Path:
    """A 24-megapixel JPEG that decodes like a camera's (~12 MB): a gradient under noise in
    each channel, so neither the file nor its PNG re-encoding is trivially small."""
    base = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", [Image.blend(base, Image.effect_noise((width, height), 40), 0.5) for _ in range(3)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="module")
def camera_photo(tmp_path_factory) -> Path:
    """One noisy 24 MP JPEG for the module (it takes seconds to make)."""
    return camera_jpeg(tmp_path_factory.mktemp("camera") / "DSC_0001.jpg")


def longest_ui_gap(qtbot, paste: Callable[[], None], done: Callable[[], bool]) -> float:
    """The longest wait (seconds) between ticks of a 10 ms timer on the UI thread, from just
    before ``paste()`` until ``done()``: how long the window was held, not how long the work took."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    qtbot.wait(30)
    ticks.append(time.monotonic())  # the gap the paste itself makes counts too
    paste()
    qtbot.waitUntil(done, timeout=120_000)
    ticks.append(time.monotonic())
    timer.stop()
    return max(later - earlier for earlier, later in zip(ticks, ticks[1:], strict=False))


def files_mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def wired(editor, store, tmp_path, article_id: int) -> ArticlePhotoBridge:
    """The editor with the window's bridge: photos of ``article_id``, renditions of the site's width."""
    bridge = ArticlePhotoBridge(store, tmp_path / "cache", lambda: article_id, lambda: 1200)
    bridge.when_thumbnail_ready(editor.refresh_images, editor)
    editor.set_image_provider(bridge.image)
    editor.set_photo_importer(bridge.paste_work)
    return bridge


def _ready_to_paste(qtbot, editor, sample_store, tmp_path):
    """Article 4709 open in a wired editor, painted, its cursor at the end of the body."""
    article = sample_store.find_article("4709")
    wired(editor, sample_store, tmp_path, article.id)
    editor.set_markdown(article.body)  # with its photo shown, as in the window (Qt's JPEG reader is loaded)
    qtbot.wait(300)  # the article is painted (its thumbnail made) before the paste: only the paste is measured
    editor.text_edit().moveCursor(editor.text_edit().textCursor().MoveOperation.End)
    return article


def test_pasting_a_24_megapixel_photo_never_blocks_the_ui_thread_over_100_ms(qtbot, editor, sample_store, tmp_path,
                                                                             camera_photo):
    _ready_to_paste(qtbot, editor, sample_store, tmp_path)
    reference = "photo:" + hashlib.sha256(camera_photo.read_bytes()).hexdigest()  # stored as it is
    gap = longest_ui_gap(qtbot, lambda: editor.text_edit().insertFromMimeData(files_mime(camera_photo)),
                         lambda: reference in editor.markdown())
    assert gap < 0.100, f"the UI thread was blocked for {gap * 1000:.0f} ms during the paste"


def test_pasting_a_24_megapixel_bitmap_never_blocks_the_ui_thread_over_100_ms(qtbot, editor, sample_store, tmp_path,
                                                                              camera_photo):
    article = _ready_to_paste(qtbot, editor, sample_store, tmp_path)
    mime = QMimeData()
    mime.setImageData(QImage(str(camera_photo)))  # a bitmap, as an image copied in another program
    attached, shown = len(sample_store.get_article(article.id).photos), editor.markdown().count("photo:")
    gap = longest_ui_gap(qtbot, lambda: editor.text_edit().insertFromMimeData(mime),
                         lambda: editor.markdown().count("photo:") == shown + 1)
    assert gap < 0.100, f"the UI thread was blocked for {gap * 1000:.0f} ms during the paste"
    assert len(sample_store.get_article(article.id).photos) == attached + 1


def test_text_typed_while_the_photo_is_stored_is_kept_after_it(qtbot, editor, sample_store, tmp_path):
    article = sample_store.find_article("4709")
    wired(editor, sample_store, tmp_path, article.id)
    editor.set_markdown("")
    photo = tmp_path / "clip.jpg"
    photo.write_bytes(jpeg_bytes(1600, 1200))
    progress: list[str] = []
    editor.pasteProgress.connect(progress.append)
    editor.text_edit().insertFromMimeData(files_mime(photo))
    assert progress == ["Storing the pasted photo…"]  # for the status bar, at once
    qtbot.keyClicks(editor.text_edit(), "typed meanwhile")  # before the job has ended
    assert editor.is_importing_pasted()
    qtbot.waitUntil(lambda: not editor.is_importing_pasted(), timeout=30_000)
    sha = sample_store.get_article(article.id).photos[-1].photo.sha256
    markdown = editor.markdown()
    assert "typed meanwhile" in markdown and f"photo:{sha}" in markdown
    assert markdown.index(f"photo:{sha}") < markdown.index("typed meanwhile")  # where it was pasted
    assert progress[-1] == ""  # the status bar's line goes when the photo is in


def test_a_body_opened_meanwhile_gets_nothing_and_the_photo_stays_attached(qtbot, editor, sample_store, tmp_path):
    article = sample_store.find_article("4709")
    wired(editor, sample_store, tmp_path, article.id)
    pasted: list[list[str]] = []
    editor.photosPasted.connect(pasted.append)
    photo = tmp_path / "clip.jpg"
    photo.write_bytes(jpeg_bytes(1600, 1200))
    editor.text_edit().insertFromMimeData(files_mime(photo))
    editor.set_markdown("另一篇稿件。\n")  # another article opened before the photo was stored
    qtbot.waitUntil(lambda: not editor.is_importing_pasted(), timeout=30_000)
    assert editor.markdown() == "另一篇稿件。\n"
    (sha,), = pasted  # the window reloads the photo panel on this
    assert sha in [link.photo.sha256 for link in sample_store.get_article(article.id).photos]


def test_a_corrupt_pasted_photo_is_left_out_with_a_notice_and_typing_is_kept(qtbot, editor, sample_store, tmp_path):
    article = sample_store.find_article("4709")
    wired(editor, sample_store, tmp_path, article.id)
    editor.set_markdown("")
    notices: list[str] = []
    editor.pasteNotice.connect(notices.append)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(jpeg_bytes(800, 600)[:300])
    editor.text_edit().insertFromMimeData(files_mime(broken))
    qtbot.keyClicks(editor.text_edit(), "abc")
    qtbot.waitUntil(lambda: not editor.is_importing_pasted(), timeout=30_000)
    assert editor.markdown() == "abc\n"
    assert notices[-1] == "Images that could not be read as photos were left out (1): broken.jpg."
    assert len(sample_store.get_article(article.id).photos) == 1  # nothing attached
