"""How long changing a channel's URL path takes when it holds many published articles.

    python benchmarks/channel_path_bench.py [ARTICLES]

A fresh SQLite file; one channel with ARTICLES (default 1,000) published articles. Measured:
``store.channels.set_segment`` (renames the path and records each article's old page path as a
redirect in one transaction, set-based). Baseline in the same run: the same outcome reached
article by article, moving each to a channel at the new path with ``update_article`` (what the
store does for one renumbered or re-channelled article: a redirect, a revision, a reindex).
No target: the figure says whether the window's job would keep an editor waiting.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_common import code_version, p  # noqa: E402

from dayuan_desktop.core.db import open_database  # noqa: E402
from dayuan_desktop.core.store import Store  # noqa: E402


def newsroom(folder: Path, count: int) -> Store:
    """A store with channel ``a/b`` holding ``count`` published articles numbered from 1."""
    store = Store(open_database(folder / "bench.sqlite3", backup_dir=folder / "backups"), user_name="bench")
    store.ensure_search_index()
    store.create_channel("a/b", "乙")
    batch = [{"title": f"文章{n}", "body": "正文。" * 200, "channel_path": "a/b", "number": n, "status": "published"}
             for n in range(1, count + 1)]
    for start in range(0, count, 200):
        store.create_articles(batch[start : start + 200])
    return store


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = sys.stdout
    p(out, f"channel path change, {count} published articles, SQLite ({code_version()})")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "bulk").mkdir()
        store = newsroom(Path(tmp) / "bulk", count)
        channel = store.channels.get("a")
        started = time.perf_counter()
        store.channels.set_segment(channel.id, "c", confirmed=True)
        bulk = time.perf_counter() - started
        assert len(store.redirects()) == count
        store.db.dispose()

        (Path(tmp) / "each").mkdir()
        store = newsroom(Path(tmp) / "each", count)
        store.create_channel("c/b", "乙")
        started = time.perf_counter()
        for article in store.all_articles():
            store.update_article(article.id, {"channel_path": "c/b"}, expected_version=article.version)
        each = time.perf_counter() - started
        assert len(store.redirects()) == count
        store.db.dispose()
    p(out, f"set_segment (one transaction):      {bulk * 1000:8.1f} ms")
    p(out, f"baseline, update_article each one:  {each * 1000:8.1f} ms")
    p(out, f"baseline / set_segment: {each / bulk:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
