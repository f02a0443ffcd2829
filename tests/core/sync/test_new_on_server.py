"""An article the newsroom lacks, sent in one statement on PostgreSQL (core.sync.new_on_server):
it must arrive exactly as the general write (and a search-index rebuild) would leave it, or not
at all."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from dayuan_desktop.core.models import Article, SyncBase
from dayuan_desktop.core.search.text import make_sort_key
from dayuan_desktop.core.snapshots import article_snapshot
from dayuan_desktop.core.sync.batch import channel_ids
from dayuan_desktop.core.sync.content import article_content, load_article
from dayuan_desktop.core.sync.engine import sync_stores
from dayuan_desktop.core.sync.new_on_server import ServerIds, prepare, send_new
from tests.helpers import jpeg_bytes

BODY = "第一段：县城的早晨。\n\n第二段：集市开张。\n\n第三段：记者手记。\n"


def _field_work(zhang):
    """Drafts that take every path: plain, with known tags and photos, with a new tag, trashed."""
    zhang.create_channel("gsyl/lzgs", "临泽")
    red = zhang.photos.add_photo(jpeg_bytes(64, 48, color=(200, 10, 10)), format="JPEG", width=64, height=48,
                                 caption="枣园晨雾", photographer="摄影 王")
    green = zhang.photos.add_photo(jpeg_bytes(64, 48, color=(10, 200, 10)), format="JPEG", width=64, height=48,
                                   caption="集市一角", photographer="摄影 李")
    plain = zhang.create_article(title="野外稿一", author="记者 zhang", body=BODY, channel_path="gsyl/lzgs")
    pictured = zhang.create_article(title="野外稿二", author="记者 zhang", body=BODY, tags=["乡村振兴", "农业"],
                                    published_at=datetime(2026, 11, 30, 8, 15, tzinfo=UTC), channel_path="gsyl/lzgs")
    zhang.photos.set_article_photos(pictured.id, [green.sha256, red.sha256])
    tagged = zhang.create_article(title="野外稿三", author="记者 zhang", body=BODY, tags=["新词条"])
    trashed = zhang.create_article(title="野外稿四", author="记者 zhang", body=BODY)
    zhang.trash_article(trashed.id)
    return [plain.uuid, pictured.uuid, tagged.uuid, trashed.uuid]


def test_sent_articles_hold_what_the_store_and_a_search_rebuild_would_give(sites):
    sites.news.create_article(title="旧稿", body=BODY, tags=["乡村振兴", "农业"])  # the tags exist there
    uuids = _field_work(sites.zhang)
    assert str(sync_stores(sites.zhang, sites.news)).startswith("4 sent,")
    with sites.news.db.session() as there, sites.zhang.db.session() as here:
        conn = there.connection()
        for uuid in uuids:
            article = load_article(there, uuid)
            assert article_content(article) == article_content(load_article(here, uuid))
            assert article.sort_key == make_sort_key(article.published_at or article.created_at, article.id)
            (revision,) = article.id and sites.news.list_revisions(article.id)
            assert revision.kind == "sync" and revision.snapshot == article_snapshot(article)
            held = sites.news.search_index.texts(conn, [article.id])[article.id]
            if sites.news.db.dialect != "sqlite":
                stored = conn.exec_driver_sql(f"SELECT content FROM search_docs WHERE article_id = {article.id}")
                assert stored.scalar() == held.text  # what a rebuild of the index would write
    assert {a.title for a in sites.news.search("枣园晨雾")} == {"野外稿二"}  # a photo caption is searched
    assert {a.title for a in sites.news.search("新词条")} == {"野外稿三"}
    assert str(sync_stores(sites.zhang, sites.news)) == "0 sent, 0 received, 0 merged, 0 conflicts"


def _server(sites):
    if sites.news.db.dialect == "sqlite":
        pytest.skip("the one-statement send is PostgreSQL's")
    return sites.news.db.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def _counts(store):
    with store.db.session() as session:
        return (session.scalar(select(func.count()).select_from(Article)),
                session.scalar(select(func.count()).select_from(SyncBase)))


def test_an_article_that_arrived_there_meanwhile_is_not_written_twice(sites):
    server = _server(sites)
    draft = sites.zhang.create_article(title="野外稿", author="记者 zhang", body=BODY)
    with sites.zhang.db.session() as here:
        content = article_content(load_article(here, draft.uuid))
    ids = ServerIds(channel_ids(sites.news), set(), {})
    with server:
        assert send_new(server, prepare(content, ids), uuid=draft.uuid, user="editor", peer="p", peer_version=1)
        before = _counts(sites.news)
        assert not send_new(server, prepare(content, ids), uuid=draft.uuid, user="editor", peer="p", peer_version=1)
    assert _counts(sites.news) == before
    assert len(sites.news.list_revisions(sites.news.get_article(draft.uuid).id)) == 1


def test_a_photo_gone_there_fails_the_whole_statement_and_writes_nothing(sites):
    server = _server(sites)
    photo = sites.zhang.photos.add_photo(jpeg_bytes(64, 48), format="JPEG", width=64, height=48)
    draft = sites.zhang.create_article(title="带图稿", author="记者 zhang", body=BODY)
    sites.zhang.photos.set_article_photos(draft.id, [photo.sha256])
    with sites.zhang.db.session() as here:
        content = article_content(load_article(here, draft.uuid))
    params = prepare(content, ServerIds({}, set(), {photo.sha256: ("", "")}))  # believed there, but it is not
    before = _counts(sites.news)
    with server, pytest.raises(Exception, match="photo_id"):
        send_new(server, params, uuid=draft.uuid, user="editor", peer="p", peer_version=1)
    assert _counts(sites.news) == before


def test_what_does_not_fit_takes_the_general_path(sites):
    sites.zhang.create_channel("gsyl/lzgs", "临泽")
    draft = sites.zhang.create_article(title="野外稿", author="记者 zhang", body=BODY, channel_path="gsyl/lzgs")
    with sites.zhang.db.session() as here:
        content = article_content(load_article(here, draft.uuid))
    known = ServerIds(channel_ids(sites.news), set(), {})
    assert prepare(content, known) is not None
    assert prepare({**content, "number": 7}, known) is None  # numbers: checked for clashes there
    assert prepare({**content, "channel_path": "gsyl/new"}, known) is None  # a channel to make first
    assert prepare({**content, "tags": ["没有的"]}, known) is None  # a tag to make first
    assert prepare({**content, "photos": [["0" * 64, True]]}, known) is None  # a photo not known there


def test_photo_bytes_damaged_on_the_laptop_are_refused_and_nothing_arrives(sites):
    from sqlalchemy import text

    from dayuan_desktop.core.errors import ValidationError
    from dayuan_desktop.core.models import Photo

    data = jpeg_bytes(64, 48, color=(1, 2, 3))
    photo = sites.zhang.photos.add_photo(data, format="JPEG", width=64, height=48)
    draft = sites.zhang.create_article(title="带图稿", author="记者 zhang", body=BODY)
    sites.zhang.photos.set_article_photos(draft.id, [photo.sha256])
    with sites.zhang.db.session(write=True) as session:  # one byte flipped on the laptop's disk
        session.execute(text("UPDATE photos SET data = :d WHERE sha256 = :s"),
                        {"d": data[:-1] + bytes([data[-1] ^ 1]), "s": photo.sha256})
    before = _counts(sites.news)
    with pytest.raises(ValidationError, match="does not match its sha256"):
        sync_stores(sites.zhang, sites.news)
    assert _counts(sites.news) == before
    with sites.news.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Photo)) == 0
