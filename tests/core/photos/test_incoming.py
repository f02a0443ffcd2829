"""bring_in_photos: the one way photos come in (stored, attached, the article created with them, renditions made)."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.enums import RevisionKind
from dayuan_desktop.core.errors import NotFoundError
from dayuan_desktop.core.photos.importing import IncomingPhoto, read_photo
from dayuan_desktop.core.photos.incoming import NewArticle, WebRenditions, bring_in_photos
from dayuan_desktop.core.photos.rendition_cache import RenditionCache, rendition_key
from dayuan_desktop.core.photos.renditions import RenditionText
from dayuan_desktop.core.store import Store
from tests.core.photos.photokit import jpeg


def _file(n: int):
    return read_photo(jpeg(800, 600, color=(10 * n, 40, 40)), name=f"photo{n}.jpg")


def test_an_imported_article_is_created_with_its_photos_and_their_renditions(store: Store, tmp_path):
    first, second = _file(1), _file(2)
    incoming = [IncomingPhoto(first, "城墙", "李明", "a.jpg"), IncomingPhoto(second, "古城", "王芳", "b.jpg")]
    values = {"title": "导入", "channel_path": "gsyl/lzgs", "body": f"![城墙](photo:{first.sha256})\n"}
    came = bring_in_photos(store, NewArticle(values, create_channel=True), incoming,
                           renditions=WebRenditions(tmp_path / "cache", 600))
    article = store.get_article(came.article.id)
    assert [link.photo.sha256 for link in article.photos] == [first.sha256, second.sha256]
    assert [link.is_lead for link in article.photos] == [True, False]
    assert store.list_revisions(article.id)[0].kind == RevisionKind.IMPORT
    assert came.renditions.made == 2 and not came.renditions.failed
    photo = store.photos.get_photo(first.sha256)
    assert RenditionCache(tmp_path / "cache").lookup(rendition_key(first.sha256, 600, RenditionText.of_photo(photo)))


def test_a_refused_article_leaves_no_photo_behind(store: Store):
    photo = _file(3)
    with pytest.raises(NotFoundError, match="unknown channel"):
        bring_in_photos(store, NewArticle({"title": "导入", "channel_path": "nowhere"}),
                        [IncomingPhoto(photo, "", "", "c.jpg")])
    with pytest.raises(NotFoundError):
        store.photos.get_photo(photo.sha256)  # the photo and the article were one transaction


def test_given_texts_replace_a_stored_photos_and_file_texts_do_not(store: Store):
    photo = _file(4)
    article = store.create_article(title="文章", body="正文。", status="draft")
    bring_in_photos(store, article.id, [IncomingPhoto(photo, "编辑改过的说明", "李明", "d.jpg")])
    kept = bring_in_photos(store, article.id, [IncomingPhoto.of_file(photo)])
    assert kept.stored[0].record.caption == "编辑改过的说明"  # the file's own (empty) text does not win
    given = bring_in_photos(store, article.id, [IncomingPhoto.of_file(photo, caption="新说明")])
    assert given.stored[0].record.caption == "新说明" and given.attached == ()
    assert store.photos.get_photo(photo.sha256).photographer == "李明"


def test_a_wanted_address_name_another_photo_has_is_refused_and_a_new_one_made(store: Store):
    first, second = _file(5), _file(6)
    article = store.create_article(title="文章", body="正文。", status="draft")
    bring_in_photos(store, article.id, [IncomingPhoto(first, "", "", "e.jpg", web_name="2024/05/abc")])
    came = bring_in_photos(store, article.id, [IncomingPhoto(second, "", "", "f.jpg", web_name="2024/05/abc")])
    assert came.stored[0].web_name_refused
    assert store.photos.get_photo(second.sha256).web_name not in ("", "2024/05/abc")


def test_photos_already_stored_come_in_with_a_named_lead_as_a_duplicate_does(store: Store):
    photos = [store.photos.add_photo(bytes([n]) * 40, format="JPEG", width=1200, height=800) for n in range(3)]
    came = bring_in_photos(store, NewArticle({"title": "副本"}, kind=RevisionKind.CREATE), photos,
                           lead=photos[1].sha256)
    links = store.get_article(came.article.id).photos
    assert [link.photo.sha256 for link in links if link.is_lead] == [photos[1].sha256]
    assert came.renditions is None  # none asked for


def test_renditions_that_cannot_be_made_never_undo_the_import(store: Store, tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    photo = _file(7)
    article = store.create_article(title="文章", body="正文。", status="draft")
    came = bring_in_photos(store, article.id, [IncomingPhoto.of_file(photo)], place_in_body=True,
                           renditions=WebRenditions(blocked, 600))
    assert came.renditions is not None  # reported, never raised
    assert f"photo:{photo.sha256}" in store.get_article(article.id).body  # attached and placed all the same
