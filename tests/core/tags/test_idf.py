"""The IDF table counted over our own archive: cached in the data folder, recounted when it grew or broke."""

from __future__ import annotations

import json
from pathlib import Path

from dayuan_desktop.core.store import Store
from dayuan_desktop.core.tags import idf
from dayuan_desktop.core.tags.engine import SuggestionEngine
from dayuan_desktop.core.tags.suggest import ArticleText


def _articles(store: Store, count: int, start: int = 0) -> None:
    # Every article speaks of 防疫 (common here, unlike in general Chinese); few of 桥头堡.
    store.create_articles([{"title": f"第{start + i}期简报", "body": f"防疫工作简报，编号{start + i}。防疫物资到位。"}
                           for i in range(count)])


def test_a_word_common_in_our_archive_ranks_below_a_rare_one(store: Store, tmp_path: Path):
    _articles(store, 60)
    engine = SuggestionEngine(store, tmp_path)
    engine.load()
    suggestions = engine.suggest(ArticleText(body="防疫防疫防疫，桥头堡，桥头堡。"))
    assert suggestions.index("桥头堡") < suggestions.index("防疫")
    saved = json.loads(engine.cache_path.read_text(encoding="utf-8"))
    assert saved["articles"] == 60 and "防疫" in saved["idf"]


def test_the_cached_table_is_reused_until_the_archive_grows(store: Store, tmp_path: Path):
    _articles(store, 60)
    SuggestionEngine(store, tmp_path).load()
    cache = SuggestionEngine(store, tmp_path).cache_path
    marked = json.loads(cache.read_text(encoding="utf-8"))
    marked["idf"]["标记词"] = 1.5
    cache.write_text(json.dumps(marked, ensure_ascii=False), encoding="utf-8")
    SuggestionEngine(store, tmp_path).load()  # a few more articles or none: the cached table
    assert "标记词" in json.loads(cache.read_text(encoding="utf-8"))["idf"]
    _articles(store, 10, start=60)  # 70 > 60 + 10 %: counted again
    SuggestionEngine(store, tmp_path).load()
    recounted = json.loads(cache.read_text(encoding="utf-8"))
    assert recounted["articles"] == 70 and "标记词" not in recounted["idf"]


def test_a_broken_cache_file_is_counted_again(store: Store, tmp_path: Path):
    _articles(store, 60)
    engine = SuggestionEngine(store, tmp_path)
    engine.cache_path.parent.mkdir(parents=True)
    for garbage in (b"\x00\xff not json", b'{"format": 1, "articles": "x"}', b"[]", b""):
        engine.cache_path.write_bytes(garbage)
        engine = SuggestionEngine(store, tmp_path)
        engine.load()
        assert json.loads(engine.cache_path.read_text(encoding="utf-8"))["articles"] == 60


def test_a_small_archive_uses_jiebas_general_table_and_caches_nothing(store: Store, tmp_path: Path):
    _articles(store, 3)
    engine = SuggestionEngine(store, tmp_path)
    engine.load()
    assert not engine.cache_path.exists()
    assert engine.suggest(ArticleText(body="桥头堡，桥头堡。")) == ["桥头堡"]
    assert idf.load(engine.cache_path) is None
