"""Which words are common in OUR archive: an IDF table built from the articles, cached on disk.

A word in every article (防控 in a year of epidemic news) says little about one article; a
word in few says much. jieba ships an IDF table from general Chinese text; a regional news
archive has its own common words, so we count them ourselves. Building reads up to
``MAX_ARTICLES`` of the newest articles once (jieba cuts ~1 MB/s); the table is kept as
JSON in the data folder and rebuilt when the archive has grown by ``REBUILD_GROWTH``.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from dayuan_desktop.core.tags.text import USE_HMM, is_term

FORMAT = 1
MAX_ARTICLES = 2_000  # enough to know the common words; bounds the first build to ~1 minute
MAX_CHARS_PER_ARTICLE = 3_000
REBUILD_GROWTH = 0.10  # rebuild when the archive has 10 % more articles than the table saw
MIN_ARTICLES = 50  # below this our own counts say little: jieba's general table is used


@dataclass(frozen=True)
class IdfTable:
    """IDF of each word; words never seen get ``default`` (the rarest possible)."""

    articles: int  # how many articles the table was counted over
    idf: dict[str, float]
    default: float
    source: str = "archive"  # or "jieba" (the general table, for a small archive)

    def of(self, word: str) -> float:
        """The word's IDF."""
        return self.idf.get(word, self.default)

    def is_stale(self, article_count: int) -> bool:
        """True when the archive has grown enough since this table was counted."""
        if self.source == "jieba":
            return article_count >= MIN_ARTICLES
        return article_count > self.articles * (1 + REBUILD_GROWTH) and article_count - self.articles >= 10


def count_idf(texts: Iterable[str], tokenizer, cancel: threading.Event | None = None,
              progress: Callable[[int], None] | None = None) -> IdfTable:
    """Count the table over ``texts`` (each an article's title, summary and body as plain text)."""
    frequency: Counter[str] = Counter()
    articles = 0
    for text in texts:
        if cancel is not None and cancel.is_set():
            raise InterruptedError("the word count was cancelled")
        frequency.update({token for token in tokenizer.cut(text[:MAX_CHARS_PER_ARTICLE], HMM=USE_HMM) if is_term(token)})
        articles += 1
        if progress is not None:
            progress(articles)
    # Smoothed IDF: a word in every article gets ~1, a word in one article the most. Words seen
    # once are left out of the file (most are typos or numbers) and get the default instead.
    idf = {word: math.log((articles + 1) / (count + 1)) + 1.0 for word, count in frequency.items() if count > 1}
    return IdfTable(articles=articles, idf=idf, default=math.log((articles + 1) / 2) + 1.0)


def from_jieba(table: dict[str, float]) -> IdfTable:
    """jieba's general table, with its median as the default (as jieba does)."""
    values = sorted(table.values())
    median = values[len(values) // 2] if values else 10.0
    return IdfTable(articles=0, idf=table, default=median, source="jieba")


def save(table: IdfTable, path: Path) -> None:
    """Write the table (to a temporary name, then renamed: a crash leaves the old table or none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
    payload = {"format": FORMAT, "articles": table.articles, "default": table.default, "idf": table.idf}
    temporary.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)


def load(path: Path) -> IdfTable | None:
    """The cached table, or None when there is none or it is unreadable (it is then counted again)."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != FORMAT:
            return None
        idf = {str(word): float(value) for word, value in payload["idf"].items()}
        return IdfTable(articles=int(payload["articles"]), idf=idf, default=float(payload["default"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
