"""Settling a conflict copy (SQLite and real PostgreSQL newsroom): keep the newsroom's, keep mine, or a
hand merge; the copy always goes to the trash, never away, and a stale pair changes nothing."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.errors import ConflictError, ValidationError
from dayuan_desktop.core.sync.engine import sync_stores
from dayuan_desktop.core.sync.resolve import (
    conflict_pair,
    keep_merged,
    keep_mine,
    keep_newsroom,
    suggested_merge,
)
from tests.helpers import jpeg_bytes

BODY = "第一段：县城的早晨。\n\n第二段：集市开张。\n\n第三段：记者手记。\n"


def edit(store, uuid, **changes):
    article = store.get_article(uuid)
    return store.update_article(article.id, changes, expected_version=article.version)


def _conflict(sites):
    """Both sides change the second paragraph; the newsroom's stays, the laptop's is the copy."""
    draft = sites.zhang.create_article(title="两边都改", author="记者 zhang", body=BODY)
    sync_stores(sites.zhang, sites.news)
    photo = sites.zhang.photos.add_photo(jpeg_bytes(), format="JPEG", width=1200, height=800, caption="集市。")
    sites.zhang.photos.set_article_photos(draft.id, [photo.sha256])
    edit(sites.zhang, draft.uuid, body=BODY.replace("集市开张", "本机的改法"), title="本机标题", tags=["集市"])
    edit(sites.news, draft.uuid, body=BODY.replace("集市开张", "编辑部的改法"))
    summary = sync_stores(sites.zhang, sites.news)
    assert summary.conflicts == 1
    [(original, copy)] = summary.conflict_copies
    return conflict_pair(sites.news, copy)


def test_keep_the_newsroom_version_trashes_the_copy(sites):
    pair = _conflict(sites)
    kept = keep_newsroom(sites.news, pair)
    assert "编辑部的改法" in sites.news.get_article(pair.original.uuid).body and kept.uuid == pair.original.uuid
    copy = sites.news.get_article(pair.copy.uuid)
    assert copy.deleted_at is not None and "本机的改法" in copy.body  # in the trash, not purged
    with pytest.raises(ValidationError, match="in the trash: it was settled already"):
        conflict_pair(sites.news, pair.copy.uuid)


def test_keep_mine_makes_the_copy_a_new_revision_of_the_original(sites):
    pair = _conflict(sites)
    kept = keep_mine(sites.news, pair)
    assert kept.version == pair.original.version + 1
    assert "本机的改法" in kept.body and kept.title == "本机标题" and kept.tags == ("集市",)
    assert len(kept.photos) == 1
    assert kept.number == pair.original.number and kept.status == pair.original.status
    assert sites.news.get_article(pair.copy.uuid).deleted_at is not None
    revisions = sites.news.list_revisions(kept.id)  # the newsroom's text is still in the history
    assert any("编辑部的改法" in r.snapshot.get("body", "") for r in revisions)


def test_a_hand_merge_is_saved_and_the_suggestion_keeps_both_texts(sites):
    pair = _conflict(sites)
    suggestion = suggested_merge(pair.original.body, pair.copy.body)
    assert "编辑部的改法" in suggestion and "本机的改法" in suggestion and "第一段" in suggestion
    assert suggestion.count("第一段") == 1 and suggestion.count("第三段") == 1
    kept = keep_merged(sites.news, pair, BODY.replace("集市开张", "合并后的第二段"))
    assert "合并后的第二段" in kept.body
    assert sites.news.get_article(pair.copy.uuid).deleted_at is not None


def test_a_stale_pair_changes_nothing_and_keeps_the_copy_live(sites):
    pair = _conflict(sites)
    edit(sites.news, pair.original.uuid, summary="又有人保存了")
    with pytest.raises(ConflictError):
        keep_mine(sites.news, pair)
    assert "编辑部的改法" in sites.news.get_article(pair.original.uuid).body
    assert sites.news.get_article(pair.copy.uuid).deleted_at is None


def test_an_ordinary_article_is_not_a_conflict_copy(sites):
    article = sites.news.create_article(title="普通稿", body=BODY)
    with pytest.raises(ValidationError, match="is not a conflict copy"):
        conflict_pair(sites.news, article.uuid)
