"""The text an article is searched by: normalising, query terms, sort keys, and the exact
substring test that every index plan is checked against (see the package doc)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

# Bump SEARCH_FORMAT (kept in core.markers, where it is read without SQLAlchemy) whenever
# normalisation or tokenisation changes; the store rebuilds the index on open.
from dayuan_desktop.core.markers import SEARCH_FORMAT as SEARCH_FORMAT

_SORT_KEY_LOW_BITS = 24  # articles per second of publish time before keys could collide

# What NFKC does to single characters, learnt as characters are met (computing it for all
# of Unicode up front costs 0.3 s at start-up): the ones it leaves alone, and the others.
_NFKC_STABLE: set[str] = set()
_NFKC_CHANGES: dict[str, str] = {}
# ASCII and the CJK unified ideographs (with extension A) never change under NFKC; a regex
# skips them in C, so Python only looks at the punctuation and rarer characters.
_OUTSIDE_STABLE_BLOCKS = re.compile("[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]")


def normalize(value: str) -> str:
    """Fold a text the way both the index and the query see it (NFKC, then case folding).

    Equal to ``unicodedata.normalize("NFKC", value).casefold()`` (a Hypothesis test checks
    it), about six times faster on news text: NFKC of a string equals the concatenation of
    its characters' NFKC forms whenever that concatenation is already in NFKC (they share
    one compatibility decomposition), so the few full-width characters news text has are
    replaced one by one and the general algorithm runs only when the check fails.
    """
    if value.isascii():
        return value.casefold()
    mapped = value
    for char in set(_OUTSIDE_STABLE_BLOCKS.findall(value)):
        if char in _NFKC_STABLE:
            continue
        folded = _NFKC_CHANGES.get(char)
        if folded is None:
            folded = unicodedata.normalize("NFKC", char)
            if folded == char:
                _NFKC_STABLE.add(char)
                continue
            _NFKC_CHANGES[char] = folded
        mapped = mapped.replace(char, folded)
    if not unicodedata.is_normalized("NFKC", mapped):
        mapped = unicodedata.normalize("NFKC", value)
    return mapped.casefold()


def build_search_text(
    *,
    title: str,
    subtitle: str = "",
    summary: str = "",
    body: str = "",
    tags: Iterable[str] = (),
    captions: Iterable[str] = (),
) -> str:
    """The normalised text an article is searched by (fields joined by newlines)."""
    parts = [title, subtitle, summary, body, *tags, *captions]
    return "\n".join(normalize(part) for part in parts if part)


def query_terms(query: str) -> list[str]:
    """Split a user's query into normalised terms, dropping duplicates, keeping order."""
    seen: dict[str, None] = {}
    for term in normalize(query).split():
        seen.setdefault(term, None)
    return list(seen)


def text_matches(search_text: str, terms: Sequence[str]) -> bool:
    """The reference semantics: every term occurs in the text as a substring."""
    return all(term in search_text for term in terms)


def make_sort_key(when: datetime, article_id: int) -> int:
    """A 64-bit key that orders articles by time (seconds), then by id; unique per id."""
    if when.tzinfo is None:
        raise ValueError("sort time must be timezone-aware")
    seconds = int(when.astimezone(UTC).timestamp())
    return (seconds << _SORT_KEY_LOW_BITS) | (article_id & ((1 << _SORT_KEY_LOW_BITS) - 1))


class IndexedText(NamedTuple):
    """An article's search text, as its index entry is built from it."""

    text: str  # the normalised search text (see build_search_text)
    # Some field holds a character that NFKC turns into a CJK ideograph (豈 U+F900, ⼀ U+2F00,
    # ㍻ U+337B…). Only such an article can contain a Chinese term after normalising that its
    # stored text does not contain as it is; searches check the others on the raw text alone.
    compat: bool = False


def joined_text(fields: Sequence[str]) -> IndexedText:
    """The search text of an article from its fields (as ``build_search_text``) and its compat mark."""
    return IndexedText("\n".join(normalize(part) for part in fields if part), any(map(_holds_compat, fields)))


# Every character whose NFKC form holds a CJK ideograph lies in these blocks (a test checks it
# against all of Unicode): radicals, ideographic description and iteration marks, enclosed and
# squared CJK, compatibility ideographs. A regex over them skips almost every field in C.
_MAY_MAKE_CJK = re.compile(
    "[\u2e80-\u2fff\u3038-\u303a\u3190-\u319f\u3200-\u33ff\uf900-\ufaff\U0001f200-\U0001f2ff\U0002f800-\U0002fa1f]"
)


def _holds_compat(field: str) -> bool:
    """Does the field hold a character whose NFKC form has a CJK ideograph?"""
    return _MAY_MAKE_CJK.search(field) is not None and any(_MAKES_CJK[c] for c in set(_MAY_MAKE_CJK.findall(field)))


# A term of CJK ideographs only: found in the raw stored text as it is (see fields_contain).
CJK_ONLY = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK_CHAR = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


class _MakesCJK(dict[str, bool]):
    """Character → does its NFKC form contain a CJK ideograph (e.g. U+F900, U+2F00, U+3300)."""

    def __missing__(self, char: str) -> bool:
        self[char] = makes = _CJK_CHAR.search(unicodedata.normalize("NFKC", char)) is not None
        return makes


_MAKES_CJK = _MakesCJK()


def fields_contain(fields: Sequence[str], term: str, article_id: int, compat: Container[int]) -> bool:
    """Does any field, normalised, contain the (normalised) term? Same as searching the joined text.

    A term never contains white space, so it cannot span two fields. A term made only of CJK
    ideographs is looked for in the raw field first: NFKC and case folding leave those
    ideographs and their neighbourhood alone, so a raw occurrence is a normalised one; and when
    no character of the article normalises *to* an ideograph (its index entry says so, see
    IndexedText.compat), no normalised occurrence can be new either. Only otherwise (and for
    other terms) is the field normalised. ``compat``: the ids whose entry carries the mark.
    """
    if CJK_ONLY.fullmatch(term):
        for field in fields:
            if term in field:
                return True
        if article_id not in compat:
            return False
        return any(_holds_compat(field) and term in normalize(field) for field in fields if field)
    return any(term in normalize(field) for field in fields if field)
