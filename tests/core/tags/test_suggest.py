"""Tag suggestions on a real store (both backends): known tags first, stop words never, bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from dayuan_desktop.core.store import Store
from dayuan_desktop.core.tags.engine import SuggestionEngine
from dayuan_desktop.core.tags.suggest import ArticleText
from dayuan_desktop.core.tags.text import stop_words

PARAGRAPH = ("平城区的疫情防控桥头堡里，党员干部下沉一线，核酸检测点前排起长队。"
             "疫情防控指挥部要求每个卡口守好桥头堡，核酸检测结果当天出来。")


def _archive(store: Store) -> None:
    """A small newsroom: tags in use (one of them a place name) over a few articles."""
    store.create_articles([
        {"title": "疫情防控再部署", "body": "疫情防控不松劲。", "tags": ["疫情防控", "党员干部"]},
        {"title": "党员干部下基层", "body": "党员干部走进社区。", "tags": ["党员干部"]},
        {"title": "文旅市场回暖", "body": "文旅项目开工。", "tags": ["文旅", "太原"]},
        {"title": "交通新规", "body": "交通管制。", "tags": ["交通"]},
    ])


@pytest.fixture
def engine(store: Store, tmp_path: Path) -> SuggestionEngine:
    _archive(store)
    engine = SuggestionEngine(store, tmp_path / "data")
    engine.load()
    return engine


def test_tags_in_use_come_first_ranked_by_weight_then_new_terms(engine: SuggestionEngine):
    article = ArticleText(title="疫情防控桥头堡", summary="党员干部在一线。", body=PARAGRAPH * 3)
    suggestions = engine.suggest(article)
    assert suggestions[:2] == ["疫情防控", "党员干部"]  # in the title and the body beats summary and body
    assert "文旅" not in suggestions and "交通" not in suggestions  # used, but not in this article
    new_terms = suggestions[2:]
    assert "桥头堡" in new_terms and "核酸" in new_terms  # repeated words the newsroom never tagged
    assert 3 <= len(suggestions) <= 8


def test_stop_words_are_never_suggested_even_as_tags_in_use(engine: SuggestionEngine):
    places = "太原市和大同市，我们在山西全省开展工作，记者表示情况良好。" * 20
    suggestions = engine.suggest(ArticleText(title="太原 山西", summary=places, body=places + PARAGRAPH))
    assert "太原" not in suggestions  # a tag the newsroom used, but a place name
    assert not set(suggestions) & stop_words()
    assert suggestions  # the article's real subject still comes through


def test_the_articles_own_tags_are_left_out(engine: SuggestionEngine):
    article = ArticleText(title="疫情防控桥头堡", body=PARAGRAPH * 3, tags=("疫情防控", "桥头堡"))
    suggestions = engine.suggest(article)
    assert "疫情防控" not in suggestions and "桥头堡" not in suggestions
    assert "党员干部" in suggestions


def test_an_empty_article_gets_no_suggestions(engine: SuggestionEngine):
    assert engine.suggest(ArticleText()) == []
    assert engine.suggest(ArticleText(title="  ", summary="\n", body="\n\n")) == []


def test_a_stored_article_by_number(engine: SuggestionEngine, store: Store):
    store.create_article(title="疫情防控桥头堡", body=PARAGRAPH * 2, number=4709, tags=["党员干部"])
    suggestions = engine.suggest_for("4709")
    assert suggestions[0] == "疫情防控" and "党员干部" not in suggestions


def test_a_huge_hostile_body_is_bounded_and_plumbing_is_not_suggested(engine: SuggestionEngine):
    junk = ("![图为卡口。](photo:" + "ab" * 32 + ")\n<script>alert('x')</script> "
            "[链接](https://example.com/evil?x=1) \\*\\*``` ## \x00\ufffd" + "疫情防控" + "𠀀" * 50 + "\n")
    body = junk * (1_000_000 // len(junk))
    assert len(body) > 900_000
    suggestions = engine.suggest(ArticleText(title="<b>" * 1000, summary="]" * 10_000, body=body))
    assert suggestions[0] == "疫情防控"
    assert len(suggestions) <= 8
    for word in ("script", "photo", "https", "example", "alert", "ab" * 32):
        assert word not in suggestions


def test_before_loading_it_says_so(store: Store, tmp_path: Path):
    with pytest.raises(RuntimeError, match="not loaded"):
        SuggestionEngine(store, tmp_path).suggest(ArticleText(title="疫情防控"))


@pytest.mark.parametrize("unit", ["<script>", "![", "[a](", "<", "](", "<a<a", "<style>x</style>", "http://"])
def test_markup_repeated_a_million_characters_long_is_read_and_bounded(unit: str):
    # Each of these took 0.6–4.6 s with the first, backtracking patterns; now milliseconds.
    from dayuan_desktop.core.tags.text import MAX_BODY_CHARS, plain_text

    text = plain_text(unit * (1_000_000 // len(unit)) + "疫情防控")
    assert len(text) <= MAX_BODY_CHARS
    assert "script" not in text and "http" not in text and "<" not in text
