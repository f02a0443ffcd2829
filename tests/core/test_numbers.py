"""Page numbers given on publishing: two editors publishing at the same moment never get the same one."""

from __future__ import annotations

import threading

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.enums import ArticleStatus
from dayuan_desktop.core.store import Store


def test_simultaneous_publishes_from_two_machines_get_distinct_numbers(database_url):
    stores = [Store(open_database(database_url), user_name=name) for name in ("张三", "李四")]
    drafts = {store: [store.create_article(title=f"{store.user_name}的第{n}篇") for n in range(15)]
              for store in stores}
    start = threading.Barrier(len(stores))
    failures: list[BaseException] = []

    def publish_all(store: Store) -> None:
        start.wait()
        for draft in drafts[store]:
            try:
                store.update_article(draft.id, {"status": ArticleStatus.PUBLISHED.value}, expected_version=draft.version)
            except BaseException as exc:  # noqa: BLE001 — collected and shown by the assertion
                failures.append(exc)

    threads = [threading.Thread(target=publish_all, args=(store,)) for store in stores]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert failures == []
        numbers = [stores[0].get_article(d.id).number for store in stores for d in drafts[store]]
        assert len(numbers) == 30 and None not in numbers and len(set(numbers)) == 30
    finally:
        for store in stores:
            store.db.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_number_given_by_hand_is_kept_and_the_next_publish_follows_it(database_url):
    store = Store(open_database(database_url))
    try:
        kept = store.create_article(title="手工编号", number=4709, status=ArticleStatus.PUBLISHED.value)
        follows = store.create_article(title="自动编号", status=ArticleStatus.PUBLISHED.value)
        assert (kept.number, follows.number) == (4709, 4710)
    finally:
        store.db.dispose()
