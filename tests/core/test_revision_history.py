"""The history as the window lists it, and comparisons of stored versions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dayuan_desktop.core.enums import RevisionKind
from dayuan_desktop.core.errors import ConflictError
from dayuan_desktop.core.records import RevisionRecord
from dayuan_desktop.core.revision_compare import compare_versions, values_as_snapshot
from dayuan_desktop.core.revision_history import group_history, previous_revision
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.text_diff import Mark


def _revision(number: int, kind: str, who: str = "张三") -> RevisionRecord:
    when = datetime(2026, 12, 2, 10, 0, tzinfo=UTC) + timedelta(minutes=number)
    return RevisionRecord(number, 1, number, kind, when, who, {})


def test_consecutive_autosaves_fold_into_one_editing_session():
    kinds = ["create", "autosave", "autosave", "autosave", "save", "autosave", "restore", "autosave", "autosave"]
    newest_first = [_revision(i, kind) for i, kind in enumerate(kinds)][::-1]
    entries = group_history(newest_first)
    assert [(e.kind, len(e.revisions)) for e in entries] == [
        ("autosave", 2), ("restore", 1), ("autosave", 1), ("save", 1), ("autosave", 3), ("create", 1)]
    session = entries[4]
    assert session.is_session and session.started_at < session.ended_at
    assert session.newest.id == 3 and session.oldest.id == 1
    assert previous_revision(newest_first, 1).kind == "create" and previous_revision(newest_first, 0) is None


def test_a_session_names_everyone_who_wrote_in_it_once():
    entry = group_history([_revision(3, "autosave", "李四"), _revision(2, "autosave", "张三"),
                           _revision(1, "autosave", "李四")])[0]
    assert entry.authors == ("李四", "张三")


def test_fields_beyond_the_body_are_compared():
    old = {"title": "太原新闻", "tags": ["太原", "天气"], "channel_path": "news/local", "body": "正文。"}
    new = {"title": "晋中新闻", "tags": ["晋中", "天气"], "channel_path": "news/local", "body": "正文。"}
    comparison = compare_versions(old, new)
    assert [change.name for change in comparison.fields] == ["title", "tags"]
    tags = comparison.fields[1]
    assert (tags.old, tags.new) == ("太原、天气", "晋中、天气")
    assert not comparison.body.changed and comparison.changed


@pytest.fixture
def article(store: Store):
    store.create_channel("news/local", name="本地")
    created = store.create_article(title="初稿", channel_path="news/local", body="太原今天下雨。")
    for n, body in enumerate(["太原今天下大雨。", "太原今天下大雨，气温骤降。"]):
        store.update_article(created.id, {"body": body}, expected_version=created.version + n,
                             kind=RevisionKind.AUTOSAVE)
    return store.update_article(created.id, {"title": "定稿"}, expected_version=created.version + 2)


def test_stored_history_folds_autosaves_and_names_the_user(store, article):
    entries = group_history(store.list_revisions(article.id))
    assert [(e.kind, len(e.revisions)) for e in entries] == [("save", 1), ("autosave", 2), ("create", 1)]
    assert entries[1].authors == ("tester",)


def test_a_stored_revision_compares_against_the_current_article(store, article):
    first = store.list_revisions(article.id)[-1]
    current = values_as_snapshot(store.get_article(article.id).editable_values())
    comparison = compare_versions(first.snapshot, current)
    assert [c.name for c in comparison.fields] == ["title"]
    [row] = comparison.body.rows
    assert [s.text for s in row.new if s.mark == Mark.INSERTED] == ["大", "，气温骤降"]


def test_restore_from_a_stale_window_is_a_conflict_not_an_overwrite(store, article):
    first = store.list_revisions(article.id)[-1]
    colleague = Store(store.db, user_name="李四")
    colleague.update_article(article.id, {"body": "同事的新正文。"}, expected_version=article.version)
    with pytest.raises(ConflictError):
        store.restore_revision(first.id, expected_version=article.version)
    assert store.get_article(article.id).body == "同事的新正文。"
    restored = store.restore_revision(first.id, expected_version=article.version + 1)
    assert restored.body == "太原今天下雨。" and restored.title == "初稿"
    kinds = [r.kind for r in store.list_revisions(article.id)]
    assert kinds[0] == "restore" and "conflict" in kinds and len(kinds) == 7  # nothing deleted


def test_one_publish_time_kept_with_another_offset_is_no_change_and_reads_in_the_site_zone():
    from zoneinfo import ZoneInfo

    old = {"published_at": "2022-12-13T14:46:28+08:00", "body": ""}
    same = {"published_at": "2022-12-13T06:46:28+00:00", "body": ""}
    assert not compare_versions(old, same).changed
    later = {"published_at": "2022-12-13T07:00:00+00:00", "body": ""}
    [change] = compare_versions(old, later, ZoneInfo("Asia/Shanghai")).fields
    assert (change.old, change.new) == ("2022-12-13 14:46:28", "2022-12-13 15:00:00")
    [bad] = compare_versions({"published_at": "昨天"}, later).fields
    assert bad.old == "昨天"
