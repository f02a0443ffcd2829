"""Up to eight tag suggestions for one article, best first.

First the tags the newsroom already uses that occur in the title, summary or body, ranked by
TF-IDF (occurrences weighted by field, times the word's IDF in our archive, times a small bonus
for tags used often); then new terms from jieba's cut ranked the same way (TF-IDF with our own
IDF), leaving out stop words (places, function words) and the article's own tags.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from dayuan_desktop.core.tags.idf import IdfTable
from dayuan_desktop.core.tags.text import MAX_FIELD_CHARS, USE_HMM, is_term, plain_text, stop_words

MAX_SUGGESTIONS = 8
# A word in the title says more about the article than one in the body (the summary between).
FIELD_WEIGHTS = {"title": 3.0, "summary": 2.0, "body": 1.0}
MAX_TAG_LENGTH = 20
MIN_OCCURRENCES = 2  # a new term must occur at least this often in title, summary and body


@dataclass(frozen=True)
class ArticleText:
    """The parts of an article the suggestions read (``body`` as Markdown) and the tags it has."""

    title: str = ""
    summary: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()

    def fields(self) -> dict[str, str]:
        """Each field as plain text, bounded (see ``text.MAX_BODY_CHARS``)."""
        return {"title": self.title[:MAX_FIELD_CHARS], "summary": self.summary[:MAX_FIELD_CHARS],
                "body": plain_text(self.body)}


class TagSuggester:
    """Suggests tags from a loaded tokenizer, an IDF table and the newsroom's tag usage."""

    def __init__(self, tokenizer, idf: IdfTable, usage: Mapping[str, int]) -> None:
        self._tokenizer = tokenizer
        self._idf = idf
        stop = stop_words()
        self._usage = {tag: uses for tag, uses in usage.items()
                       if 0 < len(tag) <= MAX_TAG_LENGTH and tag not in stop}
        known_words = getattr(tokenizer, "FREQ", {})
        for tag in self._usage:  # a tag the newsroom uses is cut as one word, not two halves
            if len(tag) >= 2 and " " not in tag and not known_words.get(tag):
                tokenizer.add_word(tag, freq=max(10, uses_to_freq(self._usage[tag])))

    def suggest(self, article: ArticleText, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """Up to ``limit`` (at most 8) tags for ``article``, best first; none for an empty article."""
        limit = max(0, min(limit, MAX_SUGGESTIONS))
        fields = article.fields()
        if limit == 0 or not any(text.strip() for text in fields.values()):
            return []
        taken = {tag.casefold() for tag in article.tags}
        known = self._known_tags(fields, taken)[:limit]
        chosen = list(known)
        taken.update(tag.casefold() for tag in known)
        for term in self._new_terms(fields, taken):
            if len(chosen) >= limit:
                break
            if not any(term in tag or tag in term for tag in chosen):  # 疫情 adds nothing beside 疫情防控
                chosen.append(term)
        return chosen

    def _known_tags(self, fields: dict[str, str], taken: set[str]) -> list[str]:
        scored: list[tuple[float, str]] = []
        for tag, uses in self._usage.items():
            if tag.casefold() in taken:
                continue
            frequency = sum(weight * fields[name].count(tag) for name, weight in FIELD_WEIGHTS.items())
            if frequency:
                score = frequency * self._idf.of(tag) * (1.0 + math.log1p(uses) / 4)
                scored.append((score, tag))
        return [tag for _score, tag in sorted(scored, key=lambda pair: (-pair[0], pair[1]))]

    def _new_terms(self, fields: dict[str, str], taken: set[str]) -> list[str]:
        frequency: Counter[str] = Counter()
        occurrences: Counter[str] = Counter()
        terms: dict[str, bool] = {}  # is_term per distinct token: a 2,000-character text has ~400
        for name, weight in FIELD_WEIGHTS.items():
            for token in self._tokenizer.cut(fields[name], HMM=USE_HMM):
                good = terms.get(token)
                if good is None:
                    good = terms[token] = is_term(token)
                if good:
                    frequency[token] += weight
                    occurrences[token] += 1
        # A term named once is rarely what the article is about (and often a misparse, 旗飘扬).
        scored = [(count * self._idf.of(term), term) for term, count in frequency.items()
                  if occurrences[term] >= MIN_OCCURRENCES and term.casefold() not in taken]
        return [term for _score, term in sorted(scored, key=lambda pair: (-pair[0], pair[1]))]


def uses_to_freq(uses: int) -> int:
    """A dictionary frequency for a tag used ``uses`` times: enough for jieba to keep it whole."""
    return 1000 + 100 * uses

