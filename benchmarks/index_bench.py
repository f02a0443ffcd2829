"""Search-index rebuild benchmark: ``Store.rebuild_search_index()`` over N synthetic articles.

Run from the repository root::

    .venv/bin/python benchmarks/index_bench.py --db /dev/shm/bench.sqlite3 [--articles 100000]
    .venv/bin/python benchmarks/index_bench.py --db /dev/shm/bench.sqlite3 --profile 5000

The first run builds the database (kept for later runs): ~2,000-character Chinese articles from
``store_bench``'s generator, written straight into the articles table with the sqlite3 module
(through the store it takes ~1 h at 100k; the rebuild is what is measured, and it reads only the
articles table, tags and photos). Every run then rebuilds the index and prints wall and CPU time
with the load average. ``--profile N`` rebuilds under cProfile (the first N articles only: the
others are parked in a copy) and prints the top functions. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sqlite3
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store_bench import CHANNELS, ArticleGenerator, load_average  # noqa: E402

from dayuan_desktop.core.db import open_database  # noqa: E402
from dayuan_desktop.core.search.background import build_in_steps, start_build  # noqa: E402
from dayuan_desktop.core.store import Store  # noqa: E402

COLUMNS = (
    "uuid, number, channel_id, title, subtitle, author, source, published_at, summary, status, "
    "comment_count, like_count, view_count, version, created_at, updated_at, updated_by, sort_key, body"
)


def build(path: Path, count: int, seed: int) -> None:
    """A database of ``count`` articles (tags included), index left empty for the rebuild."""
    db = open_database(path)
    store = Store(db, user_name="bench")
    store.ensure_search_index()
    for channel_path, name in CHANNELS:
        store.create_channel(channel_path, name)
    db.dispose()
    conn = sqlite3.connect(path)
    channels = dict(conn.execute("SELECT path, id FROM channels"))
    gen = ArticleGenerator(seed)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    tag_ids: dict[str, int] = {}
    started = time.perf_counter()
    for start in range(0, count, 1000):
        rows, links = [], []
        for index in range(start, min(count, start + 1000)):
            v = gen.article(index)
            published = v["published_at"].strftime("%Y-%m-%d %H:%M:%S.%f") if v["published_at"] else None
            rows.append((
                str(uuid.uuid4()), v["number"], channels[v["channel_path"]], v["title"], v["subtitle"], v["author"],
                v["source"], published, v["summary"], v["status"], v["comment_count"], v["like_count"],
                v["view_count"], 1, now, now, "bench", 0, v["body"],
            ))
            for position, name in enumerate(v["tags"]):
                if name not in tag_ids:
                    tag_ids[name] = conn.execute("INSERT INTO tags (name) VALUES (?)", (name,)).lastrowid
                links.append((index + 1, tag_ids[name], position))
        conn.executemany(f"INSERT INTO articles ({COLUMNS}) VALUES ({', '.join('?' * 19)})", rows)
        conn.executemany("INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)", links)
        conn.commit()
        print(f"  built {min(count, start + 1000):,}/{count:,} ({time.perf_counter() - started:,.0f} s)", file=sys.stderr)
    conn.close()


def rebuild(path: Path, profile: int | None, background: bool = False) -> None:
    db = open_database(path)
    store = Store(db, user_name="bench")
    count = store.count_articles()
    print(f"{count:,} articles; {load_average()} before the {'background ' if background else ''}rebuild", flush=True)
    t0, c0 = time.perf_counter(), time.process_time()
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
    if background:  # as the window does after a format upgrade: marked stale, then built in steps
        with db.session(write=True) as session:
            session.connection().exec_driver_sql("UPDATE app_meta SET value = 'old' WHERE key = 'search_format'")
        assert start_build(db, store.search_index)
        assert build_in_steps(db, store.search_index)
        done = count
    else:
        done = store.rebuild_search_index()
    if profile:
        profiler.disable()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"rebuild of {done:,} articles: {wall:,.1f} s wall, {cpu:,.1f} s CPU of this process "
          f"(children: {children_cpu():,.1f} s) "
          f"({done / wall:,.0f} articles/s); {load_average()} after", flush=True)
    db.dispose()
    if profile:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(18)


def children_cpu() -> float:
    """CPU time of finished child processes (the tokenising helper)."""
    times = os.times()
    return times.children_user + times.children_system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", type=Path, required=True, help="SQLite file: built when missing, kept afterwards")
    parser.add_argument("--articles", type=int, default=100_000, help="articles when building (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=int, metavar="N", help="profile a rebuild of a copy holding the first N articles")
    parser.add_argument("--background", action="store_true",
                        help="measure the window's background build (start_build + build_in_steps) instead")
    parser.add_argument("--build-only", action="store_true", help="build the database and stop")
    args = parser.parse_args(argv)
    if not args.db.exists():
        build(args.db, args.articles, args.seed)
    if args.build_only:
        return 0
    target = args.db
    if args.profile:
        target = args.db.with_name(f"{args.db.stem}-profile{args.profile}.sqlite3")
        target.unlink(missing_ok=True)
        src = sqlite3.connect(args.db)
        dst = sqlite3.connect(target)
        src.backup(dst)
        src.close()
        dst.execute("DELETE FROM article_tags WHERE article_id > ?", (args.profile,))
        dst.execute("DELETE FROM articles WHERE id > ?", (args.profile,))
        dst.commit()
        dst.close()
    rebuild(target, args.profile, args.background)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
