"""The live list's poll, against the refetch it saves.

Run from the repository root::

    .venv/bin/python benchmarks/live_poll_bench.py [--articles N] [--db PATH_OR_URL] [--leases K]

Fills a fresh database (SQLite file by default; a PostgreSQL URL works too) with N short
articles, K of them leased by another window, then times (median of many runs):

* one poll as a window makes it every 2 s (``core.live.poll``: change marker, live leases,
  my own lease read), and the same with the renewal write (every 30 s);
* the baseline: fetching the list's first page (200 rows), which a window without a change
  marker would have to do every 2 s to stay live.

Figures are printed, never asserted; the script exits 0.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import code_version, p  # noqa: E402


def _median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--leases", type=int, default=10)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--db", help="database path or URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    from dayuan_desktop.core.article_list import ArticleQuery
    from dayuan_desktop.core.db import open_database
    from dayuan_desktop.core.live import poll
    from dayuan_desktop.core.store import Store

    target = args.db or str(Path(tempfile.mkdtemp(prefix="live-poll-")) / "bench.sqlite3")
    database = open_database(target)
    store, other = Store(database, user_name="张三"), Store(database, user_name="李四")
    out = sys.stdout
    p(out, f"live poll benchmark, {code_version()}, {database.dialect}, {args.articles} articles")
    ids: list[int] = []
    for start in range(0, args.articles, 500):
        batch = [{"title": f"稿件{i}", "body": f"第{i}篇正文。"} for i in range(start, min(args.articles, start + 500))]
        ids += [record.id for record in store.create_articles(batch)]
    for article_id in ids[: args.leases]:
        other.leases.take(article_id)
    mine = ids[-1]
    store.leases.take(mine)

    polled = _median_ms(lambda: poll(store.leases, mine), args.runs)
    renewed = _median_ms(lambda: poll(store.leases, mine, renew=True), args.runs)
    page = _median_ms(lambda: store.list_articles(ArticleQuery(limit=200)), max(20, args.runs // 10))
    p(out, "| what (every 2 s per window) | median |")
    p(out, "| --- | --- |")
    p(out, f"| poll: change marker + {args.leases + 1} leases + my lease | {polled:.2f} ms |")
    p(out, f"| poll with the 30 s renewal (a write) | {renewed:.2f} ms |")
    p(out, f"| baseline: refetch the first list page (200 rows) | {page:.2f} ms |")
    p(out, f"| baseline / poll | {page / polled:.1f}× |")
    database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
