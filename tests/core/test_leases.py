"""Leases on both backends, with two real stores on one database (two windows, two machines)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.enums import RevisionKind
from dayuan_desktop.core.errors import ConflictError, NotFoundError
from dayuan_desktop.core.live import change_marker, poll
from dayuan_desktop.core.store import Store


@pytest.fixture
def two_stores(store: Store, database_url: str, tmp_path):
    """The ``store`` fixture (user 张三) and a second store on the same database (user 李四)."""
    other_db = open_database(database_url, backup_dir=tmp_path / "backups2")
    store.user_name = "张三"
    other = Store(other_db, user_name="李四")
    yield store, other
    other_db.dispose()


def _article(store: Store, body: str = "原文。") -> int:
    return store.create_article(title="测试稿", body=body).id


def _age_lease(store: Store, article_id: int, seconds: int) -> None:
    """Set a lease's renewal back by ``seconds`` on the DATABASE's clock (a holder that crashed)."""
    back = ("datetime(CURRENT_TIMESTAMP, :s)" if store.db.dialect == "sqlite"
            else "CURRENT_TIMESTAMP + make_interval(secs => CAST(:s AS integer))")
    value = f"-{seconds} seconds" if store.db.dialect == "sqlite" else -seconds
    with store.db.engine.begin() as conn:
        conn.execute(text(f"UPDATE article_leases SET renewed_at = {back}, taken_at = {back} "
                          "WHERE article_id = :a"), {"s": value, "a": article_id})


def test_a_lease_taken_by_one_is_seen_by_the_other(two_stores):
    mine, other = two_stores
    article_id = _article(mine)
    taken = mine.leases.take(article_id)
    assert taken.mine and taken.holder.user_name == "张三"
    seen = other.leases.take(article_id)
    assert not seen.mine and seen.holder.user_name == "张三" and seen.holder.machine
    assert other.leases.active()[article_id].user_name == "张三"
    assert mine.leases.take(article_id).mine  # taking again is a renewal


def test_released_lease_is_free_for_the_other(two_stores):
    mine, other = two_stores
    article_id = _article(mine)
    mine.leases.take(article_id)
    other.leases.release(article_id)  # not the holder: nothing happens
    assert other.leases.check(article_id).holder.user_name == "张三"
    mine.leases.release(article_id)
    assert other.leases.check(article_id).holder is None
    assert other.leases.take(article_id).mine


def test_lease_of_a_crashed_holder_expires_by_the_database_clock(two_stores):
    mine, other = two_stores
    article_id = _article(mine)
    mine.leases.take(article_id)
    _age_lease(mine, article_id, 100)
    assert other.leases.check(article_id).holder.user_name == "张三"  # 100 s: still held
    assert other.leases.active()[article_id].held_seconds >= 99
    _age_lease(mine, article_id, 130)  # the 2 minutes passed without a heartbeat
    assert other.leases.check(article_id).holder is None
    assert article_id not in other.leases.active()
    taken = other.leases.take(article_id)
    assert taken.mine and taken.holder.user_name == "李四"
    lost = mine.leases.renew(article_id)  # the crashed window comes back: it is told who holds it now
    assert not lost.mine and lost.holder.user_name == "李四"
    with pytest.raises(ConflictError):  # and what it still had to save is a conflict, not an overwrite
        mine.update_article(article_id, {"body": "醒来后保存。"}, expected_version=1)
    assert other.get_article(article_id).body == "原文。"


def test_heartbeat_keeps_the_lease_alive(two_stores):
    mine, other = two_stores
    article_id = _article(mine)
    mine.leases.take(article_id)
    _age_lease(mine, article_id, 110)
    assert mine.leases.renew(article_id).mine
    assert other.leases.check(article_id).holder.idle_seconds < 10


def test_take_over_keeps_the_holders_text_and_refuses_its_next_save(two_stores):
    mine, other = two_stores
    article_id = _article(mine)
    mine.leases.take(article_id)
    opened = mine.get_article(article_id)
    mine.update_article(article_id, {"body": "张三自动保存的文字。"}, expected_version=opened.version,
                        kind=RevisionKind.AUTOSAVE)
    held = mine.get_article(article_id)

    taken_from = other.leases.take_over(article_id)
    assert taken_from.user_name == "张三"
    theirs = other.get_article(article_id)  # the taker loads after taking: the holder's autosave is there
    assert theirs.body == "张三自动保存的文字。"

    # The holder's heartbeat names the taker …
    check = poll(mine.leases, article_id).mine
    assert not check.mine and check.holder.user_name == "李四"
    # … and whatever it still sends is refused, its text kept as a conflict revision.
    with pytest.raises(ConflictError) as caught:
        mine.update_article(article_id, {"body": "张三最后敲的字。"}, expected_version=held.version)
    kept = [r for r in mine.list_revisions(article_id) if r.id == caught.value.kept_revision_id]
    assert kept and kept[0].kind == "conflict" and "张三最后敲的字。" in str(kept[0].snapshot)
    assert other.get_article(article_id).body == "张三自动保存的文字。"  # never applied
    # The taker saves normally.
    saved = other.update_article(article_id, {"body": "李四接着写。"}, expected_version=theirs.version)
    assert saved.updated_by == "李四"


def test_take_over_of_a_free_or_own_lease_changes_no_version(two_stores):
    mine, _other = two_stores
    article_id = _article(mine)
    version = mine.get_article(article_id).version
    assert mine.leases.take_over(article_id) is None
    assert mine.leases.take_over(article_id) is None
    assert mine.get_article(article_id).version == version


def test_take_or_take_over_of_a_missing_article_is_one_clear_error(two_stores):
    mine, _other = two_stores
    with pytest.raises(NotFoundError, match="no article 999999"):
        mine.leases.take_over(999999)
    with pytest.raises(NotFoundError, match="no article 999999"):
        mine.leases.take(999999)
    assert mine.leases.active() == {}
    assert mine.leases.check(999999).holder is None


def test_lease_goes_with_its_purged_article(two_stores):
    mine, other = two_stores
    article_id = _article(mine)
    other.leases.take(article_id)
    mine.trash_article(article_id)
    mine.purge_article(article_id)
    assert other.leases.active() == {}


def test_change_marker_sees_the_others_new_article_and_channel(two_stores):
    mine, other = two_stores
    before = change_marker(mine.db)
    assert change_marker(mine.db) == before  # nothing changed: same marker
    other.create_article(title="另一台电脑的新稿")
    after_article = change_marker(mine.db)
    assert after_article != before
    other.create_channel("jqhd", name="近期活动")
    assert change_marker(mine.db) != after_article


def test_user_name_is_read_at_each_take(two_stores):
    mine, other = two_stores
    article_id = _article(mine)
    mine.user_name = "王五"
    mine.leases.take(article_id)
    assert other.leases.check(article_id).holder.user_name == "王五"
