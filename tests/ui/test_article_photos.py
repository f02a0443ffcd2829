"""Pasted images become photos of the open article; thumbnails come from the cache."""

from __future__ import annotations

from dayuan_desktop.ui.editor.article_photos import ArticlePhotoBridge
from tests.helpers import jpeg_bytes, png_bytes


def test_pasted_image_is_stored_once_and_attached(qapp, sample_store, tmp_path):
    article = sample_store.find_article("4709")
    bridge = ArticlePhotoBridge(sample_store, tmp_path / "cache", lambda: article.id)
    data = png_bytes(900, 600)
    sha = bridge.import_pasted(data, "clip.png")
    assert sha is not None and bridge.last_error == ""
    assert bridge.import_pasted(data, "clip.png") == sha  # pasted twice: one photo
    photos = [link.photo.sha256 for link in sample_store.get_article(article.id).photos]
    assert photos.count(sha) == 1 and len(photos) == 2
    lead = [link.photo.sha256 for link in sample_store.get_article(article.id).photos if link.is_lead]
    assert lead == [article.photos[0].photo.sha256]  # the lead photo stays the lead


def test_a_corrupt_paste_says_why_and_stores_nothing(qapp, sample_store, tmp_path):
    article = sample_store.find_article("4709")
    bridge = ArticlePhotoBridge(sample_store, tmp_path / "cache", lambda: article.id)
    assert bridge.import_pasted(jpeg_bytes(400, 300)[:200], "broken.jpg") is None
    assert bridge.last_error
    assert len(sample_store.get_article(article.id).photos) == 1


def test_thumbnails_are_small_images_and_unknown_hashes_give_none(qapp, sample_store, tmp_path):
    article = sample_store.find_article("4709")
    bridge = ArticlePhotoBridge(sample_store, tmp_path / "cache", lambda: article.id)
    image = bridge.image(article.photos[0].photo.sha256)
    assert image is not None and max(image.width(), image.height()) == 256
    assert bridge.image("0" * 64) is None
    assert bridge.image("not a hash") is None
