"""Sync benchmark (issue 17 item 6): a laptop with 1,000 changed articles and 200 photos syncs with a
newsroom of 100,000 articles on PostgreSQL (loopback); then a sync with nothing changed.

The newsroom is made by bulk SQL (COPY), not the store API. Targets: ≤ 15 s for the changed sync,
≤ 1 s for the nothing-changed one. Baseline in the same run: the same 1,000 articles and 200
photos written straight into a second newsroom database through the store API (what sync must
at least do on the receiving side).

    python benchmarks/sync_bench.py                         # starts a throw-away PostgreSQL server
    python benchmarks/sync_bench.py --postgres URL --postgres2 URL   # or two empty databases
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pwd
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_common import code_version, p, verdict  # noqa: E402

from dayuan_desktop.core.db import open_database  # noqa: E402
from dayuan_desktop.core.store import Store  # noqa: E402

SENTENCE = "县城的早晨，集市开张，记者在现场看到乡村振兴的新变化。"


@contextmanager
def throwaway_server():
    """A PostgreSQL server in a RAM folder on a free port (as the ``postgres`` user when root)."""
    import socket

    base = Path(tempfile.mkdtemp(prefix="sync-bench-pg-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    prefix = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(base, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = base / "data"
    subprocess.run([*prefix, "initdb", "-D", str(data), "-A", "trust", "-U", "bench", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True, cwd=base)
    subprocess.run([*prefix, "pg_ctl", "-D", str(data), "-l", str(base / "log"), "-w", "start", "-o",
                    f"-p {port} -k {base} -c listen_addresses=127.0.0.1"], check=True, capture_output=True, cwd=base)
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={port} user=bench dbname=postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE newsroom")
            conn.execute("CREATE DATABASE baseline")
        yield (f"postgresql://bench@127.0.0.1:{port}/newsroom", f"postgresql://bench@127.0.0.1:{port}/baseline")
    finally:
        subprocess.run([*prefix, "pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"], capture_output=True, cwd=base)
        shutil.rmtree(base, ignore_errors=True)


def bulk_newsroom(store: Store, count: int, body_chars: int) -> float:
    """``count`` published articles by COPY (and their search texts by one INSERT … SELECT); seconds."""
    start = time.perf_counter()
    store.create_channel("gsyl/lzgs", "临泽")
    body = (SENTENCE * (body_chars // len(SENTENCE) + 1))[:body_chars]
    now = datetime.now(UTC).isoformat()
    raw = store.db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cur:
            channel = cur.execute("SELECT id FROM channels WHERE path = 'gsyl/lzgs'").fetchone()[0]
            columns = ("uuid, number, channel_id, title, subtitle, author, source, published_at, summary, status, "
                       "body, comment_count, like_count, view_count, version, created_at, updated_at, updated_by, "
                       "sort_key")
            with cur.copy(f"COPY articles ({columns}) FROM STDIN") as copy:
                for n in range(1, count + 1):
                    copy.write_row((str(uuid.uuid4()), n, channel, f"编辑部稿件{n}", "", "编辑部", "", now, "",
                                    "published", f"{body}{n}", 0, 0, 0, 1, now, now, "bench", n))
            cur.execute("INSERT INTO search_docs (article_id, content) SELECT id, lower(title || ' ' || body) "
                        "FROM articles")
        conn.commit()
    finally:
        raw.close()
    return time.perf_counter() - start


def noisy_jpeg(rng: random.Random) -> bytes:
    from PIL import Image

    image = Image.effect_noise((1200, 800), rng.randint(20, 80)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def field_work(store: Store, articles: int, photos: int, body_chars: int) -> list[tuple[dict, bytes | None]]:
    """What the reporter wrote offline: articles (every ``articles // photos``-th with its photo)."""
    rng = random.Random(17)
    body = (SENTENCE * (body_chars // len(SENTENCE) + 1))[:body_chars]
    every = max(1, articles // photos) if photos else 0
    work = []
    for n in range(articles):
        data = noisy_jpeg(rng) if every and n % every == 0 and n // every < photos else None
        work.append(({"title": f"野外稿{n}", "author": "记者 bench", "body": f"{body}\n\n第{n}篇。\n",
                      "channel_path": "gsyl/lzgs"}, data))
    return work


def write_through_store(store: Store, work) -> float:
    """The baseline: the same articles and photos straight into a database with the store API."""
    start = time.perf_counter()
    for values, data in work:
        article = store.create_article(**values)
        if data is not None:
            photo = store.photos.add_photo(data, format="JPEG", width=1200, height=800)
            store.photos.set_article_photos(article.id, [photo.sha256])
    return time.perf_counter() - start


def timed_sync(local: Store, other: Store):
    from dayuan_desktop.core.sync.engine import sync_stores

    start = time.perf_counter()
    summary = sync_stores(local, other)
    return time.perf_counter() - start, summary


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="an empty PostgreSQL database for the newsroom")
    parser.add_argument("--postgres2", help="another empty one for the baseline")
    parser.add_argument("--newsroom", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--body-chars", type=int, default=1_500)
    return parser.parse_args(argv)


def run(args, newsroom_url: str, baseline_url: str, out) -> None:
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    try:
        news = Store(open_database(newsroom_url), user_name="editor")
        news.ensure_search_index()
        p(out, f"sync benchmark, {code_version()}, load {os.getloadavg()[0]:.2f}")
        p(out, f"newsroom: {args.newsroom:,} articles by COPY in {bulk_newsroom(news, args.newsroom, args.body_chars):.1f} s")
        laptop = Store(open_database(folder / "laptop.sqlite3"), user_name="bench")
        laptop.ensure_search_index()
        work = field_work(laptop, args.articles, args.photos, args.body_chars)
        laptop.create_channel("gsyl/lzgs", "临泽")
        write_through_store(laptop, work)
        payload = sum(len(json.dumps(values, ensure_ascii=False).encode()) for values, _ in work)
        seconds, summary = timed_sync(laptop, news)
        p(out, f"changed sync: {summary} in {seconds:.2f} s (target ≤ 15 s: {verdict(seconds <= 15)}); "
               f"{summary.photos_sent} photos, {summary.photo_bytes / 1e6:.1f} MB photo bytes + "
               f"{payload / 1e6:.2f} MB article text sent; load {os.getloadavg()[0]:.2f} after")
        quiet, summary = timed_sync(laptop, news)
        p(out, f"nothing changed: {summary} in {quiet:.2f} s (target ≤ 1 s: {verdict(quiet <= 1)})")
        base = Store(open_database(baseline_url), user_name="editor")
        base.ensure_search_index()
        base.create_channel("gsyl/lzgs", "临泽")
        baseline = write_through_store(base, work)
        p(out, f"baseline (same articles and photos written with the store API): {baseline:.2f} s; "
               f"sync / baseline = {seconds / baseline:.2f}; load {os.getloadavg()[0]:.2f} after")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.postgres and args.postgres2:
        run(args, args.postgres, args.postgres2, sys.stdout)
    else:
        with throwaway_server() as (newsroom, baseline):
            run(args, newsroom, baseline, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
