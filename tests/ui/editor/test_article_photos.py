"""Pasted images become photos of the open article, with renditions made now; thumbnails come from the cache."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from dayuan_desktop.core.photos.rendition_cache import RenditionCache, rendition_key
from dayuan_desktop.core.photos.renditions import RenditionText
from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.editor.article_photos import ArticlePhotoBridge
from dayuan_desktop.ui.editor.paste_photos import PastedImage
from tests.helpers import jpeg_bytes, png_bytes


class _ThreadNotingStore(Store):
    """The real store, noting which thread reads a photo's original."""

    def __init__(self, database, gate: threading.Event | None = None) -> None:
        super().__init__(database, user_name="editor")
        self.read_on: list[threading.Thread] = []
        original = self.photos.photo_bytes

        def photo_bytes(sha256: str) -> bytes:
            self.read_on.append(threading.current_thread())
            assert gate is None or gate.wait(30)  # held until the test opens the gate
            return original(sha256)

        self.photos.photo_bytes = photo_bytes


class _Context:
    def __init__(self) -> None:
        self.cancel = threading.Event()
        self.reported: list[tuple[int, int, str]] = []

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def progress(self, done: int, total: int, label: str = "") -> None:
        self.reported.append((done, total, label))


def test_pasted_image_is_stored_once_and_attached(qapp, sample_store, tmp_path):
    article = sample_store.find_article("4709")
    bridge = ArticlePhotoBridge(sample_store, tmp_path / "cache", lambda: article.id)
    data = png_bytes(900, 600)
    sha = bridge.import_pasted(article.id, data, "clip.png")
    assert sha is not None and bridge.last_error == ""
    assert bridge.import_pasted(article.id, data, "clip.png") == sha  # pasted twice: one photo
    photos = [link.photo.sha256 for link in sample_store.get_article(article.id).photos]
    assert photos.count(sha) == 1 and len(photos) == 2
    lead = [link.photo.sha256 for link in sample_store.get_article(article.id).photos if link.is_lead]
    assert lead == [article.photos[0].photo.sha256]  # the lead photo stays the lead


def test_a_corrupt_or_unreadable_paste_says_why_and_stores_nothing(qapp, sample_store, tmp_path):
    article = sample_store.find_article("4709")
    bridge = ArticlePhotoBridge(sample_store, tmp_path / "cache", lambda: article.id)
    assert bridge.import_pasted(article.id, jpeg_bytes(400, 300)[:200], "broken.jpg") is None
    assert bridge.last_error
    assert bridge.import_pasted(article.id, None, "gone.jpg") is None
    assert "could not be read" in bridge.last_error
    assert len(sample_store.get_article(article.id).photos) == 1


def test_a_pasted_photo_gets_its_web_rendition_and_thumbnail_when_stored(qapp, sample_store, tmp_path):
    article = sample_store.find_article("4709")
    bridge = ArticlePhotoBridge(sample_store, tmp_path / "cache", lambda: article.id, lambda: 1200)
    data = jpeg_bytes(2400, 1600)
    work = bridge.paste_work([PastedImage(lambda: data, "clip.jpg"), PastedImage(lambda: None, "gone.png")])
    context = _Context()
    sha, failed = work(context)
    assert failed is None
    assert context.reported == [(0, 2, "clip.jpg"), (1, 2, "gone.png")]  # the status bar says which one
    photo = sample_store.photos.get_photo(sha)
    # What the next export asks for is ready: it only copies the rendition.
    assert RenditionCache(tmp_path / "cache").lookup(rendition_key(sha, 1200, RenditionText.of_photo(photo)))
    assert bridge.thumbnails.path_for(sha).is_file()  # the editor shows it without decoding the original


def test_without_an_open_article_a_paste_stores_nothing(qapp, sample_store, tmp_path):
    bridge = ArticlePhotoBridge(sample_store, tmp_path / "cache", lambda: None)
    assert bridge.paste_work([PastedImage(lambda: png_bytes(20, 20), "clip.png")]) is None
    assert sample_store.photos.list_photos().total == 1  # the sample's photo only


def test_thumbnails_are_small_images_made_off_the_ui_thread_and_unknown_hashes_give_none(qtbot, sample_store,
                                                                                         tmp_path):
    article = sample_store.find_article("4709")
    store = _ThreadNotingStore(sample_store.db)
    bridge = ArticlePhotoBridge(store, tmp_path / "cache", lambda: article.id)
    ready: list[bool] = []
    owner = QObject()
    bridge.when_thumbnail_ready(lambda: ready.append(True), owner)
    sha = article.photos[0].photo.sha256
    assert bridge.image(sha) is None  # not made yet: the placeholder meanwhile
    assert bridge.image(sha) is None and bridge.image("0" * 64) is None  # asked again: no second job
    qtbot.waitUntil(lambda: bool(ready), timeout=10_000)
    image = bridge.image(sha)
    assert image is not None and max(image.width(), image.height()) == 256
    assert store.read_on and threading.main_thread() not in store.read_on  # the original was read on a pool thread
    assert len(store.read_on) == 2  # once for the photo, once for the unknown hash
    assert bridge.image("0" * 64) is None  # unknown: no thumbnail, and not asked for again
    assert bridge.image("not a hash") is None
    qtbot.wait(100)
    assert ready == [True] and len(store.read_on) == 2


def test_a_thumbnail_made_after_its_editor_closed_calls_nothing(qtbot, sample_store, tmp_path):
    article = sample_store.find_article("4709")
    gate = threading.Event()
    bridge = ArticlePhotoBridge(_ThreadNotingStore(sample_store.db, gate), tmp_path / "cache", lambda: article.id)
    ready: list[bool] = []
    owner = QObject()
    bridge.when_thumbnail_ready(lambda: ready.append(True), owner)
    assert bridge.image(article.photos[0].photo.sha256) is None
    owner.deleteLater()  # the window closes while the original is read
    qtbot.wait(50)
    gate.set()
    # Made all the same (the cache has it for next time), and the job's end delivered to no one.
    qtbot.waitUntil(lambda: bridge.thumbnails.cached(article.photos[0].photo.sha256) is not None, timeout=10_000)
    qtbot.wait(200)
    assert ready == []
