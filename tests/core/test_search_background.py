"""The search index rebuilt in the background (SQLite): exact scan meanwhile, no save lost.

A format upgrade is simulated by marking the index as built by another format; the build
runs in small batches so that saves fall before, between and after them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.search import building, normalize
from dayuan_desktop.core.search.background import build_in_steps, start_build
from dayuan_desktop.core.store import Store

WORDS = ["大同古城墙", "北京新闻", "ＣＯＶＩＤ-19疫苗", "5G网络", "防控", "太原", "\uf900止", "山西省", "灯光秀", "会议"]
QUERIES = ["大同", "北京", "covid-19", "5g", "防", "太原 山西", "\u8c48", "\u8c48止", "岂止", "灯光秀", "无此词", "会议 北京"]


def make_store(path: Path, count: int = 40) -> Store:
    store = Store(open_database(path), user_name="tester")
    store.ensure_search_index()
    for n in range(count):
        store.create_article(
            title=f"{WORDS[n % len(WORDS)]}第{n}篇", body=WORDS[(n * 3) % len(WORDS)] + "。" * (n % 3),
            summary=WORDS[(n * 7) % len(WORDS)] if n % 2 else "", tags=[WORDS[n % 4]] if n % 5 == 0 else [],
        )
    return store


def make_stale(store: Store) -> None:
    """As if the index had been built by an older format."""
    with store.db.session(write=True) as session:
        session.connection().exec_driver_sql("UPDATE app_meta SET value = 'old' WHERE key = 'search_format'")


def reference(store: Store, query: str) -> set[int]:
    """What a plain scan of every live article finds (the contract of core.search)."""
    terms = normalize(query).split()
    found = set()
    for article in store.all_articles():
        joined = "\n".join(normalize(p) for p in (article.title, article.subtitle, article.summary, article.body,
                                                    *article.tags) if p)
        if all(t in joined for t in terms):
            found.add(article.id)
    return found


def results(store: Store, query: str) -> list[int]:
    return [a.id for a in store.search(query, limit=500)]


@pytest.fixture
def stale_store(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("dayuan_desktop.core.search.background.BACKGROUND_FROM", 1)
    store = make_store(tmp_path / "news.sqlite3")
    make_stale(store)
    yield store
    store.db.dispose()


def test_search_during_the_build_equals_the_indexed_search_after(stale_store: Store) -> None:
    store = stale_store
    assert start_build(store.db, store.search_index)
    during = {q: results(store, q) for q in QUERIES}
    with store.db.session() as session:
        assert building.building(session.connection())
    assert build_in_steps(store.db, store.search_index, batch=7)
    with store.db.session() as session:
        assert not building.building(session.connection())
        assert building.meta(session.connection()) == {"search_format": building.SEARCH_FORMAT}
    for q in QUERIES:
        assert during[q] == results(store, q), q
        assert set(during[q]) == reference(store, q), q
    assert during["\u8c48止"] and during["大同"]  # one match only through NFKC (U+F900 → U+8C48)


def test_saves_during_the_build_end_up_in_the_index(stale_store: Store) -> None:
    store = stale_store
    assert start_build(store.db, store.search_index)
    steps: list[int] = []
    created: list[int] = []

    def save_meanwhile(done: int, total: int) -> None:
        steps.append(done)
        n = len(steps)
        if n == 1:  # one already indexed, one not yet, a new one, one trashed, one purged
            for article_id in (2, 39):
                article = store.get_article(article_id)
                store.update_article(article_id, {"title": f"改写标题{article_id}", "tags": ["新标签"]},
                                     expected_version=article.version)
            created.append(store.create_article(title="新建文章甲", body="建成于重建之中").id)
            store.trash_article(5)
        if n == 3:
            article = store.get_article(2)
            store.update_article(2, {"body": "第二次改写"}, expected_version=article.version)
            created.append(store.create_article(title="新建文章乙").id)

    assert build_in_steps(store.db, store.search_index, batch=5, progress=save_meanwhile)
    assert len(steps) >= 3
    assert results(store, "改写标题2") == [2]
    assert results(store, "改写标题39") == [39]
    assert results(store, "第二次改写") == [2]
    assert results(store, "新标签") == [39, 2]
    assert results(store, "新建文章") == sorted(created, reverse=True)
    assert 5 not in results(store, WORDS[5 % len(WORDS)][:2])
    for q in [*QUERIES, "第2篇", "第39篇"]:
        assert set(results(store, q)) == reference(store, q), q
    with store.db.session() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("SELECT v FROM search_grams_config WHERE k = 'automerge'").scalar() == 4
        docs = conn.exec_driver_sql("SELECT count(*) FROM search_docs").scalar()
        assert docs == conn.exec_driver_sql("SELECT count(*) FROM articles").scalar()
        conn.exec_driver_sql("INSERT INTO search_grams(search_grams) VALUES ('integrity-check')")


def test_a_one_go_rebuild_ends_a_build_under_way(stale_store: Store) -> None:
    """The CLI rebuilds in one transaction: the build's tables and marker go with it."""
    store = stale_store
    assert start_build(store.db, store.search_index)
    assert store.ensure_search_index()
    with store.db.session() as session:
        conn = session.connection()
        assert building.meta(conn) == {"search_format": building.SEARCH_FORMAT}
        assert building.new_tables(conn) == ("search_grams", "search_docs")
    assert not build_in_steps(store.db, store.search_index)  # nothing left to do
    assert set(results(store, "大同")) == reference(store, "大同")


def test_small_databases_are_rebuilt_at_once(tmp_path: Path) -> None:
    store = make_store(tmp_path / "small.sqlite3", count=3)
    make_stale(store)
    assert not start_build(store.db, store.search_index)
    assert store.ensure_search_index()
    store.db.dispose()


_BUILDER = textwrap.dedent("""
    import sys, threading
    from dayuan_desktop.core.db import open_database
    from dayuan_desktop.core.search import background
    from dayuan_desktop.core.search.background import build_in_steps, start_build
    from dayuan_desktop.core.store import Store

    background.BACKGROUND_FROM = 1  # 40 articles: built in steps all the same
    store = Store(open_database(sys.argv[1]))
    assert start_build(store.db, store.search_index)
    never = threading.Event()

    def report(done, total):
        print(done, flush=True)
        if done >= 15:
            never.wait()  # stay here, mid-way, until killed

    build_in_steps(store.db, store.search_index, batch=3, progress=report)
    print("finished", flush=True)
""")


def test_a_killed_build_resumes_on_the_next_open_and_loses_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("dayuan_desktop.core.search.background.BACKGROUND_FROM", 1)
    path = tmp_path / "killed.sqlite3"
    store = make_store(path)
    make_stale(store)
    store.db.dispose()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen([sys.executable, "-c", _BUILDER, str(path)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        for line in child.stdout:
            if int(line) >= 15:
                break
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL

    store = Store(open_database(path), user_name="tester")
    with store.db.session() as session:
        conn = session.connection()
        assert building.building(conn)
        assert 15 <= conn.exec_driver_sql(f"SELECT count(*) FROM {building.NEW_DOCS}").scalar() < 40
    assert results(store, "大同") == sorted(reference(store, "大同"), reverse=True)  # scanned meanwhile
    article = store.get_article(1)
    store.update_article(1, {"title": "杀死之后的保存"}, expected_version=article.version)
    assert start_build(store.db, store.search_index)  # resumes
    assert build_in_steps(store.db, store.search_index, batch=4)
    for q in [*QUERIES, "杀死之后"]:
        assert set(results(store, q)) == reference(store, q), q
    assert results(store, "杀死之后") == [1]
    with store.db.session() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("SELECT count(*) FROM search_docs").scalar() == 40
    store.db.dispose()


def test_a_one_go_rebuild_with_a_helper_process_indexes_every_article(tmp_path: Path, monkeypatch) -> None:
    """Big databases are tokenised in a spawned helper (core.search.bulk); same index, with progress."""
    monkeypatch.setattr("dayuan_desktop.core.search.bulk.POOL_FROM", 1)
    monkeypatch.setattr("dayuan_desktop.core.search.bulk.BATCH", 7)
    store = make_store(tmp_path / "bulk.sqlite3")
    make_stale(store)
    reports: list[tuple[int, int]] = []
    assert store.ensure_search_index(lambda done, total: reports.append((done, total)))
    assert reports[-1] == (40, 40) and len(reports) == 6
    with store.db.session() as session:  # the loading setting does not outlive the rebuild
        config = session.connection().exec_driver_sql("SELECT v FROM search_grams_config WHERE k = 'automerge'")
        assert config.scalar() == 4
    for q in QUERIES:
        assert set(results(store, q)) == reference(store, q), q
    store.db.dispose()


def test_the_helper_pass_of_a_big_build_keeps_saves_made_meanwhile(stale_store: Store, monkeypatch) -> None:
    """Tokens made ahead in a helper (core.search.prepared) are checked against the stored text."""
    monkeypatch.setattr("dayuan_desktop.core.search.bulk.POOL_FROM", 1)
    store = stale_store
    assert start_build(store.db, store.search_index)
    seen: list[int] = []

    def save_meanwhile(done: int, total: int) -> None:
        seen.append(done)
        if len(seen) == 1:  # batch 11–15 was read ahead with the old text
            for article_id in (12, 30):  # 12: read ahead, not written yet
                article = store.get_article(article_id)
                store.update_article(article_id, {"title": f"读后改写{article_id}"}, expected_version=article.version)
            store.create_article(title="读后新建")

    assert build_in_steps(store.db, store.search_index, batch=5, progress=save_meanwhile)
    assert results(store, "读后改写") == [30, 12]
    assert len(results(store, "读后新建")) == 1
    for q in [*QUERIES, "第12篇", "第30篇"]:
        assert set(results(store, q)) == reference(store, q), q
