"""A published article keeps its address: number and publish time never change by themselves.

On both backends, with a second client (another Store, and a real second process) taking
higher numbers on the same database meanwhile.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.errors import PublishedAddressError, ValidationError
from dayuan_desktop.core.store import Store

REPO = Path(__file__).resolve().parents[2]


def _published(store: Store, title: str = "大同古城墙夜景"):
    store.create_channel("gsyl/lzgs", "旅游攻略")
    draft = store.create_article(title=title, body="第一段。", channel_path="gsyl/lzgs")
    # What the editor window sent before the fix: status published, number and time still empty.
    return store.update_article(
        draft.id, {"status": "published", "number": None, "published_at": None}, expected_version=draft.version
    )


def _publish_elsewhere(database_url: str, count: int) -> None:
    """Another editor's process publishes ``count`` new articles (each takes the next number)."""
    script = textwrap.dedent(f"""
        from dayuan_desktop.core.db import open_database
        from dayuan_desktop.core.store import Store
        db = open_database({database_url!r})
        store = Store(db, user_name="colleague")
        for i in range({count}):
            store.create_article(title=f"同事的稿件{{i}}", body="正文", channel_path="gsyl/lzgs", status="published")
        db.dispose()
    """)
    subprocess.run([sys.executable, "-c", script], check=True, cwd=REPO, env={"PYTHONPATH": str(REPO)},
                   timeout=120)


def test_saving_ten_times_with_empty_number_and_time_keeps_them(store: Store, database_url: str, tmp_path: Path):
    article = _published(store)
    number, published_at = article.number, article.published_at
    assert number is not None and published_at is not None
    _publish_elsewhere(database_url, 3)  # a real second process takes higher numbers
    colleague_db = open_database(database_url, backup_dir=tmp_path / "b2")
    colleague = Store(colleague_db, user_name="colleague")
    try:
        for i in range(10):
            colleague.create_article(title=f"另一篇{i}", body="正文", channel_path="gsyl/lzgs", status="published")
            article = store.update_article(
                article.id, {"body": f"第一段。第{i}次修改。", "number": None, "published_at": None},
                expected_version=article.version,
            )
            assert (article.number, article.published_at) == (number, published_at)
    finally:
        colleague_db.dispose()
    assert store.get_article(article.id).number == number
    assert store.find_article(str(number)).id == article.id
    numbers = {revision.snapshot["number"] for revision in store.list_revisions(article.id)}
    assert numbers == {None, number}  # the draft's first revision, then always the same number
    assert store.redirects() == []  # nothing moved


def test_a_save_without_number_and_time_while_unpublishing_keeps_them(store: Store):
    article = _published(store)
    draft = store.update_article(article.id, {"status": "draft", "number": None, "published_at": None},
                                 expected_version=article.version)
    assert (draft.number, draft.published_at) == (article.number, article.published_at)
    again = store.update_article(draft.id, {"status": "published"}, expected_version=draft.version)
    assert (again.number, again.published_at) == (article.number, article.published_at)


@pytest.mark.parametrize("status", ["published", "withdrawn"])
@pytest.mark.parametrize("field", ["number", "published_at"])
def test_clearing_the_address_of_a_public_article_is_refused(store: Store, status: str, field: str):
    article = _published(store)
    if status != "published":
        article = store.update_article(article.id, {"status": status}, expected_version=article.version)
    with pytest.raises(PublishedAddressError, match="cannot be cleared") as caught:
        store.update_article(article.id, {"body": "改过的正文", field: None}, expected_version=article.version,
                             clear=[field])
    assert caught.value.number == article.number
    assert "\n" not in str(caught.value)
    assert store.get_article(article.id) == article  # nothing of the refused save was stored


def test_a_draft_number_can_still_be_cleared_on_purpose(store: Store):
    store.create_channel("gsyl/lzgs")
    draft = store.create_article(title="草稿", number=77, channel_path="gsyl/lzgs",
                                 published_at=datetime(2024, 5, 1, tzinfo=UTC))
    kept = store.update_article(draft.id, {"number": None}, expected_version=draft.version)
    assert kept.number == 77
    cleared = store.update_article(draft.id, {}, expected_version=kept.version, clear=["number", "published_at"])
    assert (cleared.number, cleared.published_at) == (None, None)
    with pytest.raises(ValidationError, match="only number and published_at"):
        store.update_article(draft.id, {}, expected_version=cleared.version, clear=["title"])


def test_renumbering_and_moving_a_published_article_records_its_old_paths(store: Store):
    article = _published(store)
    store.create_channel("xwzx/sxyw", "山西要闻")
    old = f"gsyl/lzgs/{article.number}.html"
    moved = store.update_article(article.id, {"number": 4800}, expected_version=article.version)
    assert store.redirects() == [(old, article.id, "gsyl/lzgs/4800.html")]
    moved = store.update_article(moved.id, {"channel_path": "xwzx/sxyw"}, expected_version=moved.version)
    assert sorted(store.redirects()) == sorted([
        ("gsyl/lzgs/4800.html", article.id, "xwzx/sxyw/4800.html"),
        (old, article.id, "xwzx/sxyw/4800.html"),
    ])
    # Back where it was: its own page is at the old path again, so no redirect stays there.
    back = store.update_article(moved.id, {"channel_path": "gsyl/lzgs", "number": article.number},
                                expected_version=moved.version)
    assert [row[0] for row in store.redirects()] == ["gsyl/lzgs/4800.html", "xwzx/sxyw/4800.html"]
    assert {row[2] for row in store.redirects()} == {old}
    store.trash_article(back.id)
    assert store.redirects() == []  # a trashed article's old addresses lead nowhere
    store.purge_article(back.id)
    with store.db.session() as session:  # purged: its rows went with it
        assert session.execute(text("SELECT COUNT(*) FROM article_redirects")).scalar() == 0


def test_a_draft_that_was_never_public_records_no_redirect(store: Store):
    store.create_channel("gsyl/lzgs")
    draft = store.create_article(title="草稿", number=77, channel_path="gsyl/lzgs")
    store.update_article(draft.id, {"number": 78}, expected_version=draft.version)
    assert store.redirects() == []
