"""Two laptops and one newsroom (SQLite and real PostgreSQL): what sync sends, merges and keeps."""

from __future__ import annotations

from sqlalchemy import func, select

from dayuan_desktop.core.article_list import ArticleQuery
from dayuan_desktop.core.models import Photo, Revision
from dayuan_desktop.core.sync.engine import sync_stores
from dayuan_desktop.core.sync.scope import SyncScope
from tests.helpers import jpeg_bytes

BODY = "第一段：县城的早晨。\n\n第二段：集市开张。\n\n第三段：记者手记。\n"


def edit(store, uuid, **changes):
    article = store.get_article(uuid)
    return store.update_article(article.id, changes, expected_version=article.version)


def line(summary) -> str:
    return str(summary)


def test_field_draft_reaches_the_newsroom_and_second_sync_is_all_zero(sites):
    draft = sites.zhang.create_article(title="野外稿：乡村振兴", author="记者 zhang", body=BODY)
    assert line(sync_stores(sites.zhang, sites.news)) == "1 sent, 0 received, 0 merged, 0 conflicts"
    there = sites.news.get_article(draft.uuid)
    assert there.body == BODY and there.number is None  # a field draft stays without a number
    assert sites.news.list_revisions(there.id)[0].kind == "sync"
    assert line(sync_stores(sites.zhang, sites.news)) == "0 sent, 0 received, 0 merged, 0 conflicts"


def test_edits_to_different_paragraphs_on_both_sides_merge(sites):
    draft = sites.zhang.create_article(title="稿件", author="记者 zhang", body=BODY)
    sync_stores(sites.zhang, sites.news)
    edit(sites.zhang, draft.uuid, body=BODY.replace("县城的早晨", "县城的清晨"))
    edit(sites.news, draft.uuid, body=BODY.replace("记者手记", "编辑按语"), title="稿件（编辑改）")
    assert line(sync_stores(sites.zhang, sites.news)) == "0 sent, 0 received, 1 merged, 0 conflicts"
    for store in (sites.zhang, sites.news):
        article = store.get_article(draft.uuid)
        assert "县城的清晨" in article.body and "编辑按语" in article.body
        assert article.title == "稿件（编辑改）"
    assert line(sync_stores(sites.zhang, sites.news)) == "0 sent, 0 received, 0 merged, 0 conflicts"


def test_same_paragraph_conflicts_newsroom_version_stays_and_both_texts_are_found(sites):
    draft = sites.zhang.create_article(title="稿件", author="记者 zhang", body=BODY)
    sync_stores(sites.zhang, sites.news)
    edit(sites.zhang, draft.uuid, body=BODY.replace("集市开张", "集市开张，人山人海"))
    edit(sites.news, draft.uuid, body=BODY.replace("集市开张", "集市开张，摊位林立"))
    summary = sync_stores(sites.zhang, sites.news)
    assert line(summary) == "0 sent, 0 received, 0 merged, 1 conflicts"
    [(original, copy_uuid)] = summary.conflict_copies
    for store in (sites.zhang, sites.news):
        assert "摊位林立" in store.get_article(draft.uuid).body
        copy = store.get_article(copy_uuid)
        assert "人山人海" in copy.body and copy.number is None and copy.status == "draft"
        assert {a.uuid for a in store.search("人山人海")} == {copy_uuid}
        assert {a.uuid for a in store.search("摊位林立")} == {draft.uuid}
        assert [a.uuid for a in store.list_articles(ArticleQuery(conflicts=True)).items] == [copy_uuid]
    assert line(sync_stores(sites.zhang, sites.news)) == "0 sent, 0 received, 0 merged, 0 conflicts"


def photo_rows(store) -> int:
    with store.db.session() as session:
        return session.scalar(select(func.count(Photo.id)))


def test_photos_arrive_once_and_only_what_is_missing_is_sent(sites):
    data = jpeg_bytes()
    photo = sites.zhang.photos.add_photo(data, format="JPEG", width=1200, height=800, caption="集市", photographer="张")
    first = sites.zhang.create_article(title="图一", author="记者 zhang", body=f"![集市](photo:{photo.sha256})\n")
    second = sites.zhang.create_article(title="图二", author="记者 zhang", body=f"![集市](photo:{photo.sha256})\n")
    for article in (first, second):
        sites.zhang.photos.set_article_photos(article.id, [photo.sha256])
    summary = sync_stores(sites.zhang, sites.news)
    assert (summary.sent, summary.photos_sent, summary.photo_bytes) == (2, 1, len(data))
    assert photo_rows(sites.news) == 1
    assert sites.news.photos.photo_bytes(photo.sha256) == data
    assert sites.news.get_article(first.uuid).photos[0].photo.caption == "集市"
    # The other laptop receives the articles it holds; the photo comes with them once.
    sync_stores(sites.li, sites.news)
    assert photo_rows(sites.li) == 0  # li holds none of zhang's articles
    assert sync_stores(sites.zhang, sites.news).photos_sent == 0


def test_laptop_receives_its_own_drafts_and_what_it_holds_not_the_rest(sites):
    mine = sites.news.create_article(title="派给张的稿", author="记者 zhang", body=BODY)
    sites.news.create_article(title="别人的稿", author="记者 wang", body=BODY)
    assert line(sync_stores(sites.zhang, sites.news)) == "0 sent, 1 received, 0 merged, 0 conflicts"
    assert sites.zhang.get_article(mine.uuid).title == "派给张的稿"
    assert sites.zhang.count_articles() == 1
    edit(sites.news, mine.uuid, status="review")  # no longer a draft: still held, so still received
    assert line(sync_stores(sites.zhang, sites.news)) == "0 sent, 1 received, 0 merged, 0 conflicts"
    assert sites.zhang.get_article(mine.uuid).status == "review"


def test_channel_option_widens_what_is_received(sites):
    sites.news.create_article(title="频道稿", author="编辑", body=BODY, channel_path="gsyl/lzgs")
    assert sync_stores(sites.li, sites.news).received == 0
    assert sync_stores(sites.li, sites.news, scope=SyncScope(user="li", channel="gsyl")).received == 1


def test_number_used_on_the_other_side_is_reported_never_overwritten(sites):
    held = sites.news.create_article(title="编辑部的4709", body=BODY, number=4709, status="published")
    field = sites.zhang.create_article(title="现场的4709", author="记者 zhang", body=BODY, number=4709)
    summary = sync_stores(sites.zhang, sites.news)
    assert summary.sent == 1 and [c.number for c in summary.clashes] == [4709]
    assert sites.news.find_article("4709").uuid == held.uuid
    assert sites.news.get_article(field.uuid).number is None
    assert line(sync_stores(sites.zhang, sites.news)) == "0 sent, 0 received, 0 merged, 0 conflicts"


def test_trash_travels_as_trash_never_a_purge(sites):
    draft = sites.zhang.create_article(title="要删的稿", author="记者 zhang", body=BODY)
    sync_stores(sites.zhang, sites.news)
    sites.zhang.trash_article(sites.zhang.get_article(draft.uuid).id)
    assert sync_stores(sites.zhang, sites.news).sent == 1
    there = sites.news.get_article(draft.uuid)
    assert there.deleted_at is not None and there.body == BODY


def test_channels_and_site_settings_come_from_the_newsroom(sites):
    from dayuan_desktop.core.site import SiteSettings, load_site_settings, save_site_settings

    save_site_settings(sites.news.db, SiteSettings(site_name="编辑部的站名"))
    sync_stores(sites.li, sites.news)
    assert "gsyl/lzgs" in [c.path for c in sites.li.list_channels()]
    assert load_site_settings(sites.li.db).site_name == "编辑部的站名"


def test_receive_only_never_writes_the_other_side(sites):
    sites.news.create_article(title="包里的稿", author="编辑", body=BODY)
    sites.zhang.create_article(title="留在本机", author="记者 zhang", body=BODY)
    with sites.news.db.session() as session:
        before = session.scalar(select(func.count(Revision.id)))
    assert line(sync_stores(sites.zhang, sites.news, receive_only=True)) == "0 sent, 1 received, 0 merged, 0 conflicts"
    assert sites.news.count_articles() == 1
    with sites.news.db.session() as session:
        assert session.scalar(select(func.count(Revision.id))) == before
    assert line(sync_stores(sites.zhang, sites.news, receive_only=True)) == "0 sent, 0 received, 0 merged, 0 conflicts"


def test_two_laptops_edit_one_article_through_the_newsroom(sites):
    shared = sites.news.create_article(title="合写稿", author="记者 zhang 记者 li", body=BODY)
    sync_stores(sites.zhang, sites.news)
    sync_stores(sites.li, sites.news)
    edit(sites.zhang, shared.uuid, body=BODY.replace("县城的早晨", "张改的早晨"))
    edit(sites.li, shared.uuid, body=BODY.replace("记者手记", "李改的手记"))
    assert sync_stores(sites.zhang, sites.news).sent == 1
    assert sync_stores(sites.li, sites.news).merged == 1
    assert sync_stores(sites.zhang, sites.news).received == 1
    bodies = {store.get_article(shared.uuid).body for store in (sites.zhang, sites.li, sites.news)}
    assert bodies == {BODY.replace("县城的早晨", "张改的早晨").replace("记者手记", "李改的手记")}


def test_same_database_is_refused(sites):
    import pytest

    from dayuan_desktop.core.errors import ValidationError

    with pytest.raises(ValidationError, match="same database"):
        sync_stores(sites.news, sites.news)


def test_since_narrows_the_new_articles_received(sites):
    from datetime import UTC, datetime, timedelta

    sites.news.create_article(title="旧派稿", author="记者 li", body=BODY)
    future = datetime.now(UTC) + timedelta(days=1)
    assert sync_stores(sites.li, sites.news, scope=SyncScope(user="li", since=future)).received == 0
    assert sync_stores(sites.li, sites.news, scope=SyncScope(user="li")).received == 1


def test_photo_bytes_travel_in_chunks_and_arrive_whole(sites, monkeypatch):
    from dayuan_desktop.core.sync import photos

    monkeypatch.setattr(photos, "CHUNK_BYTES", 4096)  # many chunks: the streaming path, not one read
    data = jpeg_bytes(1600, 1200, color=(12, 200, 90))
    assert len(data) > 3 * 4096
    photo = sites.zhang.photos.add_photo(data, format="JPEG", width=1600, height=1200)
    article = sites.zhang.create_article(title="大图", author="记者 zhang", body=BODY)
    sites.zhang.photos.set_article_photos(article.id, [photo.sha256])
    assert sync_stores(sites.zhang, sites.news).photo_bytes == len(data)
    assert sites.news.photos.photo_bytes(photo.sha256) == data
    # And back to another laptop (SQLite receiving: blob I/O into a zeroblob).
    sync_stores(sites.li, sites.news, scope=SyncScope(user="zhang"))
    assert sites.li.photos.photo_bytes(photo.sha256) == data


def test_cancel_stops_between_articles_and_the_next_sync_finishes(sites):
    import threading

    import pytest

    from dayuan_desktop.core.sync.engine import SyncCancelled

    for n in range(3):
        sites.zhang.create_article(title=f"稿{n}", author="记者 zhang", body=BODY)
    cancel = threading.Event()

    def progress(done, total, label):
        if done == 1:
            cancel.set()

    with pytest.raises(SyncCancelled, match="after 1 of 3"):
        sync_stores(sites.zhang, sites.news, progress=progress, cancel=cancel)
    assert sites.news.count_articles() == 1
    assert line(sync_stores(sites.zhang, sites.news)) == "2 sent, 0 received, 0 merged, 0 conflicts"
