"""The suggestions for a running app or command: dictionary, IDF table and tag usage, loaded once.

``load()`` is the slow part (1–5 s for jieba's dictionary, once per process; counting the
archive's words the first time, then a cached table); the window runs it as a background job.
After it, ``suggest()`` takes a few tens of milliseconds and may run on any thread.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path

from dayuan_desktop.core.tags import archive, dictionary, idf
from dayuan_desktop.core.tags.suggest import ArticleText, TagSuggester

USAGE_MAX_AGE_S = 60.0  # tags added by colleagues show up within a minute; no query per keystroke

Progress = Callable[[int, int, str], None]


class SuggestionEngine:
    """Tag suggestions for the articles of one store; the IDF table is cached under ``data_dir``."""

    def __init__(self, store, data_dir: Path) -> None:
        self.store = store
        key = hashlib.sha1(store.db.describe().encode()).hexdigest()[:12]  # one table per database
        self.cache_path = Path(data_dir) / "tags" / f"idf-{key}.json"
        self._lock = threading.Lock()
        self._tokenizer = None
        self._idf: idf.IdfTable | None = None
        self._suggester: TagSuggester | None = None
        self._usage_at = 0.0
        self.hidden_articles: Collection[int] = ()  # the benchmark leaves these articles' tags out

    @property
    def loaded(self) -> bool:
        """True once ``load`` has finished."""
        return self._idf is not None

    def load(self, cancel: threading.Event | None = None, progress: Progress | None = None) -> None:
        """Load jieba's dictionary and the IDF table (counting the archive when the cache is stale)."""
        report = progress or (lambda _done, _total, _label: None)
        self._tokenizer = dictionary.private_tokenizer(cancel, lambda done, total: report(done, total, "dictionary"))
        self._refresh_usage(force=True)  # the tags become words before the archive is counted
        count = archive.live_article_count(self.store)
        table = idf.load(self.cache_path)
        if table is None or table.is_stale(count):
            table = self._count_table(count, cancel, report)
        self._idf = table
        self._refresh_usage(force=True)

    def _count_table(self, count: int, cancel: threading.Event | None, report: Progress) -> idf.IdfTable:
        if count < idf.MIN_ARTICLES:  # a new archive: general Chinese is the better guide (not cached)
            return idf.from_jieba(dictionary.jieba_idf(cancel))
        total = min(count, idf.MAX_ARTICLES)
        table = idf.count_idf(archive.newest_texts(self.store, total), self._tokenizer, cancel,
                              lambda done: report(done, total, "archive"))
        idf.save(table, self.cache_path)
        return table

    def _refresh_usage(self, *, force: bool = False) -> None:
        with self._lock:
            if not force and time.monotonic() - self._usage_at < USAGE_MAX_AGE_S and self._suggester is not None:
                return
            usage = archive.tag_usage(self.store, without_articles=self.hidden_articles)
            table = self._idf or idf.IdfTable(articles=0, idf={}, default=1.0)
            self._suggester = TagSuggester(self._tokenizer, table, usage)
            self._usage_at = time.monotonic()

    def suggest(self, article: ArticleText) -> list[str]:
        """Up to 8 tags for ``article``, best first (``load`` must have run)."""
        if not self.loaded:
            raise RuntimeError("the tag suggestions are not loaded yet")
        self._refresh_usage()
        return self._suggester.suggest(article)

    def suggest_for(self, reference: str) -> list[str]:
        """Suggestions for a stored article, by number or uuid (as the command line names it)."""
        record = self.store.find_article(reference)
        return self.suggest(ArticleText(record.title, record.summary, record.body, tuple(record.tags)))
