"""Search on both backends: exactly what a plain substring scan finds, newest first, paged."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.records import ArticleRecord
from dayuan_desktop.core.search import (
    COLLECT_LIMIT,
    SCAN_SHARE,
    SEARCH_FORMAT,
    SearchFilter,
    build_search_text,
    normalize,
    query_terms,
    text_matches,
)
from dayuan_desktop.core.store import MAX_PAGE, Store


def at(day: int, hour: int = 8, second: int = 0) -> datetime:
    return datetime(2024, 5, day, hour, 0, second, tzinfo=UTC)


def ids(items) -> list[int]:
    return [item.id for item in items]


@pytest.fixture(scope="module")
def corpus_store(module_database_url: str) -> Iterator[tuple[Store, dict[str, int]]]:
    """A handful of articles with known words in different fields and known publish times.

    Built once per backend for this module; the tests using it only read.
    """
    db = open_database(module_database_url)
    store = Store(db, user_name="tester")
    store.ensure_search_index()
    made = {}
    for key, values in {
        "datong": dict(title="大同古城墙夜景", body="古城墙灯光秀今晚开幕。", published_at=at(1)),
        "beijing": dict(title="北京新闻", subtitle="首都要闻", body="北京市召开会议。", published_at=at(2)),
        "covid": dict(title="COVID-19疫苗接种", summary="5G网络覆盖全市", published_at=at(3)),
        "fullwidth": dict(title="２０２４年ＡＰＰ上线", body="ｗｉｆｉ全覆盖，山西。", published_at=at(4)),
        "tags": dict(title="无关标题", tags=["防控", "太原"], published_at=at(5)),
        "punct": dict(title="100%纯净水", body="大同,山西;C++与C#。", published_at=at(6)),
    }.items():
        made[key] = store.create_article(**values).id
    yield store, made
    db.dispose()


# (collect limit, scan share): the app's, walk only, scan only (tiny data would always collect).
PLANS = [(COLLECT_LIMIT, SCAN_SHARE), (0, 2.0), (0, 0.0)]


def found(store: Store, made: dict[str, int], query: str) -> list[str]:
    by_id = {v: k for k, v in made.items()}
    return [by_id[i] for i in ids(store.search(query, limit=MAX_PAGE))]


# -- query lengths -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("京", ["beijing"]),  # one character
        ("城", ["datong"]),
        ("网", ["covid"]),
        ("大同", ["punct", "datong"]),  # two characters, newest first
        ("山西", ["punct", "fullwidth"]),
        ("同大", []),  # both characters occur, never in this order
        ("古城墙", ["datong"]),  # three
        ("灯光秀今晚开幕", ["datong"]),  # longer
        ("首都要闻", ["beijing"]),  # subtitle
        ("网络覆盖全市", ["covid"]),  # summary
        ("太原", ["tags"]),  # tag
        ("防", ["tags"]),
        ("北京市召开会议。", ["beijing"]),
        ("北京市召开会议了", []),
    ],
)
def test_chinese_queries_of_every_length(corpus_store, query, expected):
    assert found(*corpus_store, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("5g", ["covid"]),  # mixed Latin and digits, case folded
        ("5G网络", ["covid"]),
        ("covid-19", ["covid"]),
        ("COVID-19疫苗", ["covid"]),
        ("Covid", ["covid"]),
        ("19疫", ["covid"]),
        ("2024年", ["fullwidth"]),  # half-width query, full-width text
        ("２０２４", ["fullwidth"]),  # full-width query, full-width text
        ("app上线", ["fullwidth"]),
        ("ＷＩＦＩ", ["fullwidth"]),
        ("wifi全覆盖,山西", ["fullwidth"]),  # full-width comma in the text, half-width in the query
        ("大同，山西", ["punct"]),  # and the other way round
        ("100%", ["punct"]),
        ("00%纯", ["punct"]),
        ("%", ["punct"]),
        ("c++", ["punct"]),
        ("C#", ["punct"]),
        ("#", ["punct"]),
        ("。", ["punct", "fullwidth", "beijing", "datong"]),
        ("x", []),
        ("_", []),
        ("\\", []),
        ("'", []),
        ('"', []),
        ('"大同', []),
        ("大同 OR 北京", []),
        ("NEAR(大同", []),
        ("*", []),
    ],
)
def test_mixed_case_width_and_punctuation(corpus_store, query, expected):
    assert found(*corpus_store, query) == expected


def test_query_does_not_match_across_fields(store: Store):
    article = store.create_article(title="标题结尾", subtitle="副题开头")
    assert ids(store.search("结尾")) == [article.id]
    assert store.search("结尾副题") == []
    assert ids(store.search("结尾 副题")) == [article.id]


def test_several_terms_must_all_occur(corpus_store):
    assert found(*corpus_store, "大同 山西") == ["punct"]
    assert found(*corpus_store, "山西 大同") == ["punct"]
    assert found(*corpus_store, "古城墙 今晚") == ["datong"]
    assert found(*corpus_store, "古城墙 北京") == []
    assert found(*corpus_store, "大同 大同") == ["punct", "datong"]
    assert found(*corpus_store, "京 会议 首都要闻") == ["beijing"]
    assert found(*corpus_store, "大同\u3000山西") == ["punct"]  # ideographic space separates terms too


def test_blank_query_finds_nothing(corpus_store):
    store, _ = corpus_store
    assert store.search("") == []
    assert store.search("   \u3000 ") == []


def test_long_term_needs_its_characters_adjacent(store: Store):
    # every pair of 北京城 occurs (北京, 京城), but never the three together: not a match
    scattered = store.create_article(title="北京和京城", body="大同 同城")
    together = store.create_article(title="老北京城门")
    assert ids(store.search("北京城")) == [together.id]
    assert ids(store.search("大同城")) == []  # pairs 大同 and 同城 both occur, apart
    assert sorted(ids(store.search("京城"))) == sorted([scattered.id, together.id])
    assert ids(store.search("和京城")) == [scattered.id]


# -- order and paging --------------------------------------------------------------------------
@pytest.fixture(params=PLANS, ids=["app", "walk", "scan"])
def any_plan_store(store: Store, request) -> Store:
    """The store with one SQLite query plan forced (PostgreSQL has one plan; it runs thrice)."""
    store.search_index.collect_limit, store.search_index.scan_share = request.param
    return store


def test_results_are_newest_first_and_paged(any_plan_store: Store):
    store = any_plan_store
    published = [at(3), at(1), at(7), at(5), at(2), at(6), at(4)]
    made = [store.create_article(title=f"大同第{n}篇", published_at=when) for n, when in enumerate(published)]
    undated = store.create_article(title="大同未发布稿")  # orders by its creation time: now
    other = store.create_article(title="北京", published_at=at(9))
    newest_first = [undated.id] + [a.id for a in sorted(made, key=lambda a: a.published_at, reverse=True)]
    assert ids(store.search("大同")) == newest_first
    assert ids(store.search("同")) == newest_first
    assert ids(store.search("大同第")) == newest_first[1:]
    pages = [ids(store.search("大同", offset=offset, limit=3)) for offset in (0, 3, 6, 9)]
    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:8], []]
    assert ids(store.search("大同第", offset=2, limit=2)) == newest_first[3:5]
    assert ids(store.search("篇", offset=5, limit=50)) == newest_first[6:]
    assert store.search("大同", limit=0) == []
    assert other.id not in ids(store.search("大同"))
    with pytest.raises(ValidationError):
        store.search("大同", limit=MAX_PAGE + 1)


def test_same_second_orders_by_creation(store: Store):
    first = store.create_article(title="同一秒 甲", published_at=at(1, second=5))
    second = store.create_article(title="同一秒 乙", published_at=at(1, second=5) + timedelta(microseconds=10))
    assert ids(store.search("同一秒")) == [second.id, first.id]


def test_filters_restrict_results(any_plan_store: Store):
    store = any_plan_store
    channel = store.create_channel("xwzx")
    in_channel = store.create_article(title="大同新闻", channel_path="xwzx", status="published")
    draft = store.create_article(title="大同草稿")
    assert ids(store.search("大同", filters=SearchFilter(channel_id=channel.id))) == [in_channel.id]
    assert ids(store.search("大同", filters=SearchFilter(status="draft"))) == [draft.id]
    store.trash_article(draft.id)
    assert ids(store.search("大同", filters=SearchFilter(include_trashed=True))) == [draft.id, in_channel.id]


def test_a_search_among_conflict_copies_finds_only_them(any_plan_store: Store):
    """The list's "Conflict copies" with a search typed: the copies that hold the words, not the
    originals they conflict with (the filter used to be dropped as soon as a search was typed)."""
    store = any_plan_store
    original = store.create_article(title="大同古城墙修缮")
    copy = store.create_article(title="大同古城墙修缮（另一份）")
    other_copy = store.create_article(title="太原新闻")
    with store.db.session(write=True) as session:
        for conflicting in (copy, other_copy):
            session.execute(text("UPDATE articles SET conflict_of = :uuid WHERE id = :id"),
                            {"uuid": original.uuid, "id": conflicting.id})
    assert ids(store.search("古城墙")) == [copy.id, original.id]
    assert ids(store.search("古城墙", filters=SearchFilter(conflicts_only=True))) == [copy.id]
    assert ids(store.search("新闻", filters=SearchFilter(conflicts_only=True))) == [other_copy.id]


# -- search follows every change ---------------------------------------------------------------
def test_search_follows_updates_trash_and_purge(any_plan_store: Store):
    store = any_plan_store
    article = store.create_article(title="旧标题太原", body="正文", published_at=at(2))
    neighbour = store.create_article(title="太原邻居", published_at=at(3))
    assert ids(store.search("太原")) == [neighbour.id, article.id]

    store.update_article(article.id, {"title": "新标题大同"}, expected_version=1)
    assert store.search("旧标题") == []
    assert ids(store.search("新标题大同")) == [article.id]
    assert ids(store.search("太原")) == [neighbour.id]

    store.update_article(article.id, {"tags": ["太原"], "published_at": at(4)}, expected_version=2)
    assert ids(store.search("太原")) == [article.id, neighbour.id]  # now the newer one

    store.trash_article(article.id)
    assert ids(store.search("太原")) == [neighbour.id] and store.search("大同") == []
    store.restore_article(article.id)
    assert ids(store.search("大同")) == [article.id]
    store.trash_article(article.id)
    store.purge_article(article.id)
    assert ids(store.search("太原")) == [neighbour.id] and store.search("大同") == []

    again = store.create_article(title="重新来过大同")  # the search index has no leftovers
    assert ids(store.search("大同")) == [again.id]
    assert store.db.integrity_problems() == []


def test_rebuilding_the_index_keeps_results(store: Store):
    made = {
        key: store.create_article(title=title, published_at=at(day)).id
        for key, title, day in [("a", "大同古城墙", 1), ("b", "北京 大同", 2), ("c", "5G网络。", 3)]
    }
    before = {q: found(store, made, q) for q in ("大同", "京", "古城墙", "5g", "。")}
    assert before["大同"] == ["b", "a"] and before["5g"] == ["c"]
    assert store.rebuild_search_index() == 3
    assert {q: found(store, made, q) for q in before} == before
    assert store.ensure_search_index() is False  # already in the current format


# -- the property: search == plain scan -------------------------------------------------------
ALPHABET = (
    "北京大同山西新闻城年"  # common CJK
    "の〇𠮷"  # kana, a CJK symbol, an astral ideograph
    "abxXZ09"  # ASCII, including the index's escape letter
    "，。、,.%_\\'\"-#*()"  # punctuation, LIKE and FTS5 syntax characters
    "ＡＢｘ１％，"  # full-width forms
    "ßﬁé\u0301①"  # characters NFKC or case folding expand or combine
    "  \u3000\n"  # white space
)
WORD_ALPHABET = "".join(ch for ch in ALPHABET if not ch.isspace())
TIMES = [None, at(1), at(1), at(1, second=1), at(2), datetime(1999, 12, 31, 16, 0, tzinfo=UTC)]

texts = st.text(alphabet=ALPHABET, max_size=20)
articles = st.fixed_dictionaries(
    {
        "title": texts,
        "subtitle": texts,
        "summary": texts,
        "body": st.text(alphabet=ALPHABET, max_size=40),
        "tags": st.lists(st.text(alphabet=WORD_ALPHABET, min_size=1, max_size=3), max_size=3),
        "published_at": st.sampled_from(TIMES),
    }
)
photos = st.one_of(st.none(), st.tuples(texts, texts))  # caption, photographer


def reference_scan(records: list[ArticleRecord], captions: dict[int, list[str]], query: str) -> list[int]:
    """What the user is promised: every term a substring of the normalised text; newest first."""
    terms = query_terms(query)
    if not terms:
        return []
    hits = [
        r for r in records
        if text_matches(
            build_search_text(
                title=r.title, subtitle=r.subtitle, summary=r.summary, body=r.body,
                tags=r.tags, captions=captions.get(r.id, []),
            ),
            terms,
        )
    ]
    hits.sort(key=lambda r: (int((r.published_at or r.created_at).timestamp()), r.id), reverse=True)
    return [r.id for r in hits]


def wipe(store: Store) -> None:
    with store.db.session(write=True) as session:
        store.search_index.clear(session.connection())
        for table in ("revisions", "article_photos", "article_tags", "articles", "photos", "tags"):
            session.execute(text(f"DELETE FROM {table}"))


def chained(sources: list[str]) -> list[str]:
    """Three-character words whose two pairs each occur somewhere, e.g. 北京 + 京城 → 北京城.

    Such a word matches only where the three characters stand together, so these queries
    check that a pair-index hit is verified against the text.
    """
    following: dict[str, set[str]] = {}
    for source in sources:
        for a, b in zip(source, source[1:], strict=False):
            if not a.isspace() and not b.isspace():
                following.setdefault(a, set()).add(b)
    return sorted({a + b + c for a, bs in following.items() for b in bs for c in following.get(b, ())})


@st.composite
def queries(draw, sources: list[str]) -> str:
    """Often a piece of a stored text (maybe re-cased or widened), sometimes anything."""
    parts = []
    chains = chained(sources)
    for _ in range(draw(st.integers(1, 3))):
        pool = [s for s in sources if s.strip()]
        style = draw(st.sampled_from(["piece", "piece", "chain", "random"]))
        if style == "chain" and chains:
            piece = draw(st.sampled_from(chains))
        elif style != "random" and pool:
            source = draw(st.sampled_from(pool))
            start = draw(st.integers(0, len(source) - 1))
            piece = source[start : start + draw(st.integers(1, 6))]
            style = draw(st.sampled_from(["as is", "upper", "wide"]))
            if style == "upper":
                piece = piece.upper()
            elif style == "wide":
                piece = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in piece)
        else:
            piece = draw(st.text(alphabet=ALPHABET, min_size=1, max_size=4))
        parts.append(piece)
    return " ".join(parts)


def load_corpus(store: Store, drawn: list[dict], drawn_photos: list) -> tuple[list[ArticleRecord], dict]:
    records = store.create_articles(drawn)
    captions: dict[int, list[str]] = {}
    for n, (record, photo) in enumerate(zip(records, drawn_photos, strict=True)):
        if photo is not None:
            caption, photographer = photo
            sha = store.photos.add_photo(
                f"photo {n}".encode(), format="JPEG", width=1, height=1, caption=caption, photographer=photographer
            ).sha256
            store.photos.set_article_photos(record.id, [sha])
            captions[record.id] = [caption, photographer]
    return records, captions


def sources_of(drawn: list[dict], drawn_photos: list) -> list[str]:
    out = []
    for values in drawn:
        out += [values["title"], values["subtitle"], values["summary"], values["body"], *values["tags"]]
    for photo in drawn_photos:
        if photo is not None:
            out += list(photo)
    return out


def use_plan(store: Store, data) -> None:
    """Run every SQLite query plan (collect, walk, scan) on the tiny drawn corpora."""
    store.search_index.collect_limit, store.search_index.scan_share = data.draw(st.sampled_from(PLANS), label="plan")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), drawn=st.lists(st.tuples(articles, photos), min_size=1, max_size=8))
def test_search_equals_a_plain_scan(store: Store, data, drawn):
    wipe(store)
    use_plan(store, data)
    values = [v for v, _ in drawn]
    drawn_photos = [p for _, p in drawn]
    records, captions = load_corpus(store, values, drawn_photos)
    sources = sources_of(values, drawn_photos)
    for _ in range(6):
        query = data.draw(queries(sources), label="query")
        expected = reference_scan(records, captions, query)
        assert ids(store.search(query, limit=MAX_PAGE)) == expected, query
        offset, limit = data.draw(st.integers(0, 4)), data.draw(st.integers(1, 3))
        assert ids(store.search(query, offset=offset, limit=limit)) == expected[offset : offset + limit], query


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), drawn=st.lists(articles, min_size=1, max_size=6))
def test_search_equals_a_plain_scan_after_edits(store: Store, data, drawn):
    """Updates, trash, restore and purge keep the index in step with the articles."""
    wipe(store)
    use_plan(store, data)
    live = {r.id: r for r in store.create_articles(drawn)}
    trashed: set[int] = set()
    for _ in range(data.draw(st.integers(1, 8), label="edits")):
        article_id = data.draw(st.sampled_from(sorted(live)), label="article")
        action = data.draw(st.sampled_from(["update", "update", "trash or restore", "purge"]), label="action")
        if action == "update":
            changes = data.draw(articles, label="changes")
            live[article_id] = store.update_article(article_id, changes, expected_version=live[article_id].version)
        elif action == "trash or restore":
            if article_id in trashed:
                live[article_id] = store.restore_article(article_id)
                trashed.discard(article_id)
            else:
                live[article_id] = store.trash_article(article_id)
                trashed.add(article_id)
        elif len(live) > 1:
            if article_id not in trashed:
                store.trash_article(article_id)
            store.purge_article(article_id)
            del live[article_id]
            trashed.discard(article_id)
    records = [r for r in live.values() if r.id not in trashed]
    sources = [s for r in records for s in (r.title, r.subtitle, r.summary, r.body, *r.tags)]
    for _ in range(6):
        query = data.draw(queries(sources), label="query")
        assert ids(store.search(query, limit=MAX_PAGE)) == reference_scan(records, {}, query), query
    assert store.db.integrity_problems() == []


# -- normalisation -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    ["", "abc", "ABC Straße", "２０２４年ＡＰＰ", "大同，山西；“引号”！", "e\u0301", "\u1100\u1161\u11a8", "ﬁ①㍿",
     "\u3000全角空格", "Ǆ\u0301", "𠮷の〇", "\uf900豈", "x\u0300\u0323"],
)
def test_normalize_examples_equal_nfkc_then_casefold(value):
    assert normalize(value) == unicodedata.normalize("NFKC", value).casefold()


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_normalize_equals_nfkc_then_casefold(value):
    """The fast path (characters replaced one by one) must be the plain definition."""
    assert normalize(value) == unicodedata.normalize("NFKC", value).casefold()
    assert normalize(value + "，大同") == unicodedata.normalize("NFKC", value + "，大同").casefold()


def test_index_rebuilds_itself_when_the_database_changed_behind_its_back(store: Store):
    """A text changed without the store (e.g. by hand in SQL): the index cannot forget the old
    entry exactly, so the next save through the store rebuilds it, and search is right again."""
    if store.db.dialect != "sqlite":
        pytest.skip("PostgreSQL's index is a plain column, rewritten on every save")
    article = store.create_article(title="大同古城墙", body="旧正文")
    other = store.create_article(title="太原新闻")
    with store.db.session(write=True) as session:
        session.execute(text("UPDATE articles SET title = '北京胡同' WHERE id = :id"), {"id": article.id})
    store.update_article(article.id, {"body": "新正文"}, expected_version=1)
    assert store.search("大同") == [] and ids(store.search("北京胡同")) == [article.id]
    assert store.search("旧正文") == [] and ids(store.search("新正文")) == [article.id]
    assert ids(store.search("太原")) == [other.id]
    assert store.db.integrity_problems() == []


def test_an_index_of_another_format_is_never_asked_before_it_is_rebuilt(store: Store):
    """Entries written by another search format spell different tokens: until the store rebuilds
    the index, a search scans (exact), and after the rebuild the index answers alone again."""
    if store.db.dialect != "sqlite":
        pytest.skip("PostgreSQL's index is a column of search_docs")
    article = store.create_article(title="大同古城墙", body="推进 进行")
    other = store.create_article(title="太原新闻")
    stale = " ".join(["大", "同", "大同xzw", "古城xz0"])  # what an older format may have written
    with store.db.session(write=True) as session:
        session.execute(text("INSERT INTO search_grams(search_grams, rowid, t) VALUES ('delete-all', NULL, NULL)"))
        session.execute(text("INSERT INTO search_grams(rowid, t) VALUES (:id, :t)"), {"id": other.id, "t": stale})
        session.execute(text("UPDATE app_meta SET value = '5' WHERE key = 'search_format'"))
    reopened = Store(store.db, user_name="tester")
    assert ids(reopened.search("大同")) == [article.id]  # scanned: the stale entry is not believed
    assert ids(reopened.search("古城墙")) == [article.id]
    assert reopened.ensure_search_index() is True
    assert ids(reopened.search("大同")) == [article.id]
    assert reopened.search("推进行") == []  # its pairs are in two chunks
    assert ids(reopened.search("太原")) == [other.id]


@pytest.mark.parametrize(("stored", "same_text"), [("6", True), ("5", True), ("4", False)])
def test_a_server_index_of_a_format_with_the_same_text_is_kept(store: Store, stored: str, same_text: bool):
    """PostgreSQL's index is the normalised text, the same for formats 5 to 7 (they changed only
    SQLite's tokens): a server found at format 6 is not rebuilt and keeps its marker, so apps of
    two versions sharing a newsroom's server never rebuild its index in turn. SQLite rebuilds."""
    article = store.create_article(title="大同古城墙")
    with store.db.session(write=True) as session:
        session.execute(text("UPDATE app_meta SET value = :v WHERE key = 'search_format'"), {"v": stored})
    reopened = Store(store.db, user_name="tester")
    rebuilt = reopened.ensure_search_index()
    with store.db.session() as session:
        marker = session.execute(text("SELECT value FROM app_meta WHERE key = 'search_format'")).scalar()
    kept = store.db.dialect != "sqlite" and same_text
    assert rebuilt is not kept
    assert marker == (stored if kept else SEARCH_FORMAT)
    assert ids(reopened.search("古城")) == [article.id]


def test_a_rebuild_makes_the_index_table_again_with_this_formats_tokenizer(store: Store):
    """Format 7's marks (U+0100…) need FTS5's 'ascii' tokenizer: unicode61, which migration 0004
    and format 6 used, folds Ā into ā and so two marks into one. A database of format 6 is made
    again on open; its searches are right before (scan) and after (index)."""
    if store.db.dialect != "sqlite":
        pytest.skip("PostgreSQL's index is a column of search_docs")
    article = store.create_article(title="大同古城墙", body="推进行政改革")
    with store.db.session(write=True) as session:
        session.execute(text("DROP TABLE search_grams"))
        session.execute(text("CREATE VIRTUAL TABLE search_grams USING fts5(t, content='', columnsize=0, "
                             "detail=none, tokenize='unicode61 remove_diacritics 0')"))
        session.execute(text("UPDATE app_meta SET value = '6' WHERE key = 'search_format'"))
    reopened = Store(store.db, user_name="tester")
    assert ids(reopened.search("推进行")) == [article.id]  # scanned
    assert reopened.ensure_search_index() is True
    with store.db.session() as session:
        ddl = session.execute(text("SELECT sql FROM sqlite_master WHERE name = 'search_grams'")).scalar()
    assert "tokenize='ascii'" in ddl
    assert ids(reopened.search("推进行")) == [article.id] and ids(reopened.search("古城")) == [article.id]
    assert reopened.search("推行") == []
    assert ids(reopened.search("进行政改")) == [article.id]


@pytest.mark.parametrize(
    "value",
    ["大同", "大同古城", "㍿株式会社", "豈\uf900", "⼀一", "Ｅ\u0301大同", "大\u0301同", "ﬁ大同"],
)
def test_cjk_terms_are_found_exactly_whatever_the_field_holds(store: Store, value: str):
    """The verification shortcut for CJK terms (raw text first) must agree with the definition."""
    article = store.create_article(title=value, body="前言" + value + "后记")
    text_now = build_search_text(title=value, body="前言" + value + "后记")
    for query in {value[i : i + n] for n in (1, 2, 3, 4) for i in range(len(value))} | {"株式会社", "豈豈", "一一", "大同"}:
        expected = [article.id] if text_matches(text_now, query_terms(query)) else []
        for collect_limit, scan_share in PLANS:
            store.search_index.collect_limit, store.search_index.scan_share = collect_limit, scan_share
            assert ids(store.search(query)) == expected, (query, collect_limit, scan_share)


def test_the_compat_prefilter_covers_every_character_that_normalises_to_an_ideograph():
    """Articles are marked, and raw-text checks skipped, by a coarse character class: it must miss none."""
    import re

    from dayuan_desktop.core.search.text import _MAY_MAKE_CJK

    ideograph = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
    missed = [
        f"U+{code:04X}" for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF
        and _MAY_MAKE_CJK.match(chr(code)) is None
        and not ideograph.match(chr(code))
        and ideograph.search(unicodedata.normalize("NFKC", chr(code)))
    ]
    assert missed == []


@pytest.mark.parametrize("where", ["tag", "caption", "body"])
def test_a_compatibility_character_anywhere_in_an_article_is_searched_by_its_ideographs(store: Store, where: str):
    """㍻ (U+337B) normalises to 平成: found by 平成 wherever it sits, and no longer once edited away."""
    from tests.core.photos.photokit import jpeg

    values = {"title": "年号的写法", "body": "正文"}
    if where == "tag":
        values["tags"] = ["㍻元年"]
    elif where == "body":
        values["body"] = "正文提到㍻元年。"
    article = store.create_article(**values)
    plain = store.create_article(title="平凡的成绩", body="平 成 不相邻")
    if where == "caption":
        photo = store.photos.add_photo(jpeg(64, 48), format="JPEG", width=64, height=48, caption="摄于㍻元年",
                                photographer="某人", original_name="old.jpg")
        store.photos.set_article_photos(article.id, [photo.sha256])
    for collect_limit, scan_share in PLANS:
        store.search_index.collect_limit, store.search_index.scan_share = collect_limit, scan_share
        assert ids(store.search("平成元")) == [article.id], (collect_limit, scan_share)
        assert ids(store.search("平成")) == [article.id]
    if where == "body":
        store.update_article(article.id, {"body": "正文提到昭和。"}, expected_version=store.get_article(article.id).version)
        assert store.search("平成") == [] and ids(store.search("昭和")) == [article.id]
    assert plain.id not in ids(store.search("平成"))
