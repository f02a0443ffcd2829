"""The conflict message names the article as the editor knows it: #4709, or its title before it
has a number; never the database's internal id."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.errors import ConflictError
from dayuan_desktop.core.store import Store


def _conflict(store: Store, article) -> str:
    Store(store.db, user_name="alice").update_article(article.id, {"body": "alice 的修改"}, expected_version=1)
    with pytest.raises(ConflictError) as caught:
        Store(store.db, user_name="bob").update_article(article.id, {"body": "bob 的修改"}, expected_version=1)
    return str(caught.value)


def test_conflict_message_names_the_article_number(store: Store):
    store.create_article(title="占位", body="让编号与内部编号不同")
    article = store.create_article(title="两人同时编辑", body="原文", number=4709)
    message = _conflict(store, article)
    assert message.startswith("Article #4709 was saved by alice")
    assert f"Article {article.id} " not in message


def test_conflict_message_names_the_title_of_an_article_without_number(store: Store):
    article = store.create_article(title="还没有编号的稿件", body="原文")
    assert _conflict(store, article).startswith("Article “还没有编号的稿件” was saved by alice")
