"""Emptying the trash (both backends): exactly the articles counted go, their photos stay."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.errors import NotFoundError
from dayuan_desktop.core.store import ArticleQuery, Store
from dayuan_desktop.core.trash import purge_trashed, trashed_ids
from tests.helpers import jpeg_bytes


def _trashed_article(store: Store, title: str, photo_sha: str | None = None) -> int:
    article = store.create_article(title=title, body="正文")
    if photo_sha is not None:
        store.photos.set_article_photos(article.id, [photo_sha])
    store.trash_article(article.id)
    return article.id


def test_empty_trash_purges_the_counted_articles_and_keeps_their_photos(store: Store):
    photo = store.photos.add_photo(jpeg_bytes(60, 40), format="JPEG", width=60, height=40, caption="卡口", photographer="马向英")
    kept = store.create_article(title="留着的", body="正文")
    store.photos.set_article_photos(kept.id, [photo.sha256])
    ids = [_trashed_article(store, f"旧稿{i}", photo.sha256 if i == 0 else None) for i in range(3)]
    counted = trashed_ids(store)
    assert sorted(counted) == sorted(ids)
    late = _trashed_article(store, "问过之后才删的")  # trashed after the confirmation: not purged
    outcome = purge_trashed(store, counted)
    assert (outcome.purged, outcome.skipped) == (3, 0)
    for article_id in ids:
        with pytest.raises(NotFoundError):
            store.get_article(article_id)
    assert trashed_ids(store) == [late]
    assert store.photos.get_photo(photo.sha256).caption == "卡口"  # the photo stays in the library
    assert store.photos.photo_bytes(photo.sha256)  # and its file
    assert [link.photo.sha256 for link in store.get_article(kept.id).photos] == [photo.sha256]
    assert store.search("旧稿") == []  # gone from the search index too


def test_an_article_restored_meanwhile_is_skipped_not_purged(store: Store):
    ids = [_trashed_article(store, f"稿{i}") for i in range(2)]
    counted = trashed_ids(store)
    store.restore_article(ids[0])  # a colleague restored it after the count
    outcome = purge_trashed(store, counted)
    assert (outcome.purged, outcome.skipped) == (1, 1)
    assert store.get_article(ids[0]).deleted_at is None
    with pytest.raises(NotFoundError):
        store.get_article(ids[1])


def test_purging_reports_progress_and_stops_when_cancelled(store: Store):
    ids = [_trashed_article(store, f"稿{i}") for i in range(4)]
    seen: list[tuple[int, int]] = []
    outcome = purge_trashed(store, trashed_ids(store), progress=lambda done, total: seen.append((done, total)),
                            cancelled=lambda: len(seen) >= 2)
    assert outcome.purged == 2 and seen == [(1, 4), (2, 4)]
    assert store.list_articles(ArticleQuery(trashed=True)).total == 2
    assert len(ids) == 4


def test_the_trash_is_counted_past_one_page(store: Store, monkeypatch):
    from dayuan_desktop.core import trash

    monkeypatch.setattr(trash, "_PAGE", 2)  # pages of two instead of a thousand
    ids = [_trashed_article(store, f"稿{i}") for i in range(5)]
    assert sorted(trashed_ids(store)) == sorted(ids)


def test_an_empty_trash_purges_nothing(store: Store):
    store.create_article(title="在用的", body="正文")
    assert trashed_ids(store) == []
    assert purge_trashed(store, []) == purge_trashed(store, trashed_ids(store))
    assert store.count_articles() == 1
