"""attach_photos: the one way to append photos to an article (lead kept, body placed, one transaction)."""

from __future__ import annotations

import dataclasses

import pytest

from dayuan_desktop.core.errors import NotFoundError
from dayuan_desktop.core.photos.attaching import attach_photos
from dayuan_desktop.core.store import Store


def _photo(store: Store, n: int, caption: str = ""):
    return store.photos.add_photo(bytes([n]) * 40, format="JPEG", width=1200, height=800, caption=caption)


def test_photos_are_appended_after_the_articles_own_and_the_lead_stays(store: Store):
    first, second, third = (_photo(store, n, f"说明{n}") for n in range(3))
    article = store.create_article(title="文章", body="正文。", status="draft")
    store.photos.set_article_photos(article.id, [first.sha256, second.sha256], lead=second.sha256)
    done = attach_photos(store, article.id, [third, first])
    assert done.attached == (third.sha256,) and done.placed == ()
    links = store.get_article(article.id).photos
    assert [link.photo.sha256 for link in links] == [first.sha256, second.sha256, third.sha256]
    assert [link.photo.sha256 for link in links if link.is_lead] == [second.sha256]
    assert store.get_article(article.id).version == article.version  # links only: no new version


def test_the_first_photo_of_an_article_without_photos_becomes_its_lead(store: Store):
    photo = _photo(store, 1)
    article = store.create_article(title="文章", body="正文。", status="draft")
    attach_photos(store, article.id, [photo])
    assert [link.is_lead for link in store.get_article(article.id).photos] == [True]


def test_placing_adds_one_line_per_photo_the_body_does_not_show_as_a_saved_revision(store: Store):
    shown, new = _photo(store, 1, "已在正文"), _photo(store, 2, "新到的照片")
    article = store.create_article(title="文章", body=f"正文。\n\n![图为已在正文。](photo:{shown.sha256})\n",
                                   status="draft")
    done = attach_photos(store, article.id, [shown, new, new], place_in_body=True)
    assert done.placed == (new.sha256,) and done.attached == (shown.sha256, new.sha256)
    saved = store.get_article(article.id)
    assert saved.body.endswith(f"\n\n![图为新到的照片。](photo:{new.sha256})\n")
    assert saved.body.count(f"photo:{shown.sha256}") == 1
    assert saved.version == article.version + 1 and done.article.version == saved.version
    assert store.list_revisions(article.id)[0].article_version == saved.version


def test_a_failure_half_way_changes_nothing(store: Store):
    real = _photo(store, 1, "真照片")
    ghost = dataclasses.replace(real, sha256="ab" * 32, caption="不在图库")
    article = store.create_article(title="文章", body="正文。", status="draft")
    with pytest.raises(NotFoundError):
        attach_photos(store, article.id, [real, ghost], place_in_body=True)  # the body was written first
    after = store.get_article(article.id)
    assert after.body == "正文。" and after.photos == () and after.version == article.version


def _refused_once(store: Store, article_id: int, photo_id: int, times: int):
    """Work that changes the article, then (the first ``times`` runs) breaks a unique constraint."""
    from sqlalchemy import insert

    from dayuan_desktop.core.models import ArticlePhoto

    runs = []

    def work(session):
        runs.append(1)
        new = store.photos.add_photo(b"\x07" * 40, format="JPEG", width=1200, height=800, caption="新照片", session=session)
        attach_photos(store, article_id, [new], place_in_body=True, session=session)
        if len(runs) <= times:  # the same photo linked twice: the database refuses the transaction
            session.execute(insert(ArticlePhoto).values(article_id=article_id, photo_id=photo_id, position=9))
        return len(runs)

    return work


def test_a_transaction_the_database_refuses_is_run_again_from_the_start(store: Store):
    from dayuan_desktop.core.photos.attaching import run_in_transaction

    photo = _photo(store, 1)
    article = store.create_article(title="文章", body="正文。", status="draft")
    store.photos.set_article_photos(article.id, [photo.sha256])
    assert run_in_transaction(store, _refused_once(store, article.id, photo.id, times=1)) == 2
    after = store.get_article(article.id)
    assert len(after.photos) == 2 and after.body.count("photo:") == 1  # the first run left nothing behind
    assert after.version == article.version + 1


def test_a_transaction_refused_every_time_fails_in_one_line_with_nothing_changed(store: Store):
    from dayuan_desktop.core.errors import DatabaseError
    from dayuan_desktop.core.photos.attaching import ATTEMPTS, run_in_transaction

    photo = _photo(store, 1)
    article = store.create_article(title="文章", body="正文。", status="draft")
    store.photos.set_article_photos(article.id, [photo.sha256])
    with pytest.raises(DatabaseError) as refused:
        run_in_transaction(store, _refused_once(store, article.id, photo.id, times=ATTEMPTS))
    assert str(refused.value).startswith("nothing was changed") and "\n" not in str(refused.value)
    after = store.get_article(article.id)
    assert after.body == "正文。" and len(after.photos) == 1 and after.version == article.version


def test_a_duplicate_keeps_the_lead_of_its_original(store: Store):
    first, second = _photo(store, 1), _photo(store, 2)
    copy = store.create_article(title="副本", body="正文。", status="draft")
    attach_photos(store, copy.id, [first, second], lead=second.sha256)
    links = store.get_article(copy.id).photos
    assert [link.photo.sha256 for link in links] == [first.sha256, second.sha256]
    assert [link.photo.sha256 for link in links if link.is_lead] == [second.sha256]


def test_reordering_and_removing_from_a_stale_view_keeps_a_photo_added_meanwhile(store: Store):
    from dayuan_desktop.core.photos.attaching import arrange_photos

    first, second, third, added = (_photo(store, n) for n in range(1, 5))
    article = store.create_article(title="文章", body="正文。", status="draft")
    attach_photos(store, article.id, [first, second, third])
    shown = [first.sha256, second.sha256, third.sha256]  # what the window read
    colleague = Store(store.db, user_name="colleague")  # a second store: a `photo add` elsewhere
    attach_photos(colleague, article.id, [added])
    arrange_photos(store, article.id, shown, [third.sha256, first.sha256], lead=third.sha256)  # second removed
    links = colleague.get_article(article.id).photos
    assert [link.photo.sha256 for link in links] == [third.sha256, first.sha256, added.sha256]
    assert [link.photo.sha256 for link in links if link.is_lead] == [third.sha256]
    arrange_photos(colleague, article.id, [third.sha256, first.sha256, added.sha256], [added.sha256],
                   lead=first.sha256)  # the lead went: the first one left leads
    assert [(link.photo.sha256, link.is_lead) for link in store.get_article(article.id).photos] == [
        (added.sha256, True)]
