"""Tag suggestion precision and speed: hide 50 articles' tags, suggest, compare.

    .venv/bin/python benchmarks/tag_precision.py [--articles 1000] [--test 50] [--seed 19]

The archive (a SQLite file in a temporary folder, through the real store): the sample article
4709 plus ``--articles`` topical articles (benchmarks/tag_archive.py says why they are
synthetic and how). 50 test articles are taken at even steps (4709 among them); their tags are
hidden: the engine counts tag usage WITHOUT them (``SuggestionEngine.hidden_articles``) and is
not told the article's own tags. The IDF table is counted over the archive's text (text only,
no tags). Printed: precision@k (k = the article's number of hidden tags), precision@8
(hits / suggestions made, at most 8), recall@8; and the same for the baseline, jieba's own
``extract_tags`` (its general IDF table, no knowledge of our tags), on the same articles in the
same run. Then ms per article (mean, p95) for ours and the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import code_version, p, verdict  # noqa: E402
from tag_archive import topical_article  # noqa: E402

TARGET_MS = 30.0  # per ~2,000-character article, once loaded


def build_archive(folder: Path, count: int, seed: int):
    """The sample article and ``count`` topical ones, in a fresh SQLite store."""
    from dayuan_desktop.core.sample import open_sample_store

    store = open_sample_store(folder)
    for start in range(0, count, 200):
        store.create_articles([topical_article(seed, i) for i in range(start, min(count, start + 200))])
    return store


def scores(suggested: list[str], hidden: set[str]) -> tuple[float, float, float]:
    """(precision@k, precision@8, recall@8) of one article."""
    k = len(hidden)
    at_k = len(set(suggested[:k]) & hidden) / k
    hits = len(set(suggested[:8]) & hidden)
    return at_k, (hits / len(suggested[:8]) if suggested else 0.0), hits / k


def run_method(name: str, suggest, tests) -> tuple[list[tuple[float, float, float]], list[float]]:
    """Suggest for every test article; its scores and ms per article."""
    results, times = [], []
    for article in tests:
        started = time.perf_counter()
        suggested = suggest(article)
        times.append((time.perf_counter() - started) * 1000)
        results.append(scores(suggested, set(article.tags)))
    return results, times


def report(out, name: str, results, times) -> tuple[float, float]:
    at_k, at_8, recall = (statistics.mean(column) for column in zip(*results, strict=True))
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    p(out, f"{name:<28} P@k {at_k:6.1%}   P@8 {at_8:6.1%}   recall@8 {recall:6.1%}   "
           f"{statistics.mean(times):6.1f} ms/article (p95 {p95:.1f})")
    return at_k, statistics.mean(times)


def _ms_per_call(call, repeat: int = 30) -> float:
    """Median milliseconds of ``call`` (the median: other work on the machine hits single runs)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--test", type=int, default=50)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    out = sys.stdout
    import jieba.analyse

    from dayuan_desktop.core.tags.engine import SuggestionEngine
    from dayuan_desktop.core.tags.suggest import ArticleText

    p(out, f"tag precision benchmark — {code_version()}")
    with tempfile.TemporaryDirectory() as folder:
        store = build_archive(Path(folder), args.articles, args.seed)
        records = [r for r in store.all_articles() if r.tags]
        step = max(1, len(records) // args.test)
        chosen = [records[i] for i in range(0, len(records), step)][: args.test]
        p(out, f"archive: {len(records)} tagged articles (4709 + {args.articles} topical); "
               f"{len(chosen)} test articles, {sum(len(r.tags) for r in chosen)} hidden tags")
        engine = SuggestionEngine(store, Path(folder) / "data")
        engine.hidden_articles = [r.id for r in chosen]
        started = time.perf_counter()
        engine.load()
        p(out, f"load (jieba dictionary + IDF over {engine._idf.articles} articles): "
               f"{time.perf_counter() - started:.1f} s")
        tests = [ArticleText(r.title, r.summary, r.body, tuple(r.tags)) for r in chosen]

        def ours(article: ArticleText) -> list[str]:
            return engine.suggest(ArticleText(article.title, article.summary, article.body))  # tags hidden

        def baseline(article: ArticleText) -> list[str]:
            return jieba.analyse.extract_tags(f"{article.title}\n{article.summary}\n{article.body}", topK=8)

        baseline([tests[0]][0])  # jieba's own dictionary and IDF load before the clock runs
        ours_k, ours_ms = report(out, "ours (known tags + TF-IDF)", *run_method("ours", ours, tests))
        base_k, base_ms = report(out, "baseline jieba extract_tags", *run_method("jieba", baseline, tests))
        p(out, f"precision@k ours / baseline: {ours_k / base_k if base_k else float('inf'):.1f}×; "
               f"time ours / baseline: {ours_ms / base_ms:.2f}×")
        real = store.find_article("4709")
        text = ArticleText(real.title, real.summary, real.body[:2000])
        real_ms = _ms_per_call(lambda: engine.suggest(text))
        jieba_ms = _ms_per_call(lambda: jieba.analyse.extract_tags(f"{text.title}\n{text.summary}\n{text.body}", topK=8))
        p(out, f"real text (4709, 2,000 characters of body): ours {real_ms:.1f} ms, jieba extract_tags "
               f"{jieba_ms:.1f} ms ({real_ms / jieba_ms:.2f}×)")
        p(out, f"target ≤ {TARGET_MS:.0f} ms per article (real text): {verdict(real_ms <= TARGET_MS)}; "
               f"synthetic word salad {ours_ms:.1f} ms (many words jieba does not know)")
        p(out, f"machine load (1-minute average): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        store.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
