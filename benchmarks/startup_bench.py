"""Start-up benchmark: process start → first painted main window, on a 100,000-article database.

The baseline is a bare ``QMainWindow`` started the same way in the same run (target: the app
≤ 2× the baseline). Each start is a fresh process; the runs alternate app/baseline so load
changes hit both. Also printed: when the article list's first page is on screen, how long
after the window's first paint that is (issue 20: ≤ 0.5 s at 100,000 articles), whether it was
the early page read before the database was open (``ui.article_list.first_page``), and the
peak memory (max RSS) of the window process.

    .venv/bin/python benchmarks/startup_bench.py [--articles 100000] [--runs 5] [--db FILE]

The database is built once through the real store (``Store.create_articles``; bodies are
shorter than store_bench's ~2,000 characters because start-up reads no body) and reused when
``--db`` names an existing file with the requested count.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 2.0
LIST_TARGET_S = 0.5  # issue 20: the first list page on screen ≤ 0.5 s after the window's first paint

BASELINE_CHILD = r"""
import json, resource, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
t0 = float(sys.argv[1])
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1400, 860)
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is window and not hasattr(self, "seen"):
            self.seen = time.time() - t0
            QTimer.singleShot(300, app.quit)
        return False
probe = FirstPaint()
window.installEventFilter(probe)
window.show()
app.exec()
print(json.dumps({"first_paint": probe.seen, "list_shown": None,
                  "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

APP_CHILD = r"""
import json, resource, sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import dayuan_desktop.ui.app as ui_app
from dayuan_desktop.cli import main
result = {}
real_create = ui_app.create_main_window
class FirstPaint(QObject):
    def __init__(self, window):
        super().__init__()
        self.window = window
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is self.window and "first_paint" not in result:
            result["first_paint"] = time.time() - t0
        return False
def create_and_watch(*args, **kwargs):
    window = real_create(*args, **kwargs)
    probe = FirstPaint(window)
    window.installEventFilter(probe)
    window._startup_probe = probe
    def poll():
        if "list_shown" not in result and window.is_built and window.article_list.model.rowCount() > 0:
            window.article_list.table.viewport().repaint()  # painted, not just loaded
            result["list_shown"] = time.time() - t0
            result["early"] = bool(getattr(getattr(window, "first_page", None), "shown", False))
        if "list_shown" in result and window.store is not None and not window.article_list.model.is_loading:
            QTimer.singleShot(1000, window.close)  # let the preview start too, then measure memory
        else:
            QTimer.singleShot(5, poll)
    QTimer.singleShot(0, poll)
    return window
ui_app.create_main_window = create_and_watch
code = main(["--data-dir", sys.argv[2], "--db", sys.argv[3]])
result["max_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result["exit"] = code
print(json.dumps(result))
"""


def _load_store_bench():
    spec = importlib.util.spec_from_file_location("dayuan_store_bench", ROOT / "benchmarks" / "store_bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def build_database(path: Path, count: int, *, real: int = 2000, body_chars: int = 300) -> float:
    """Fill a fresh SQLite file with ``count`` synthetic Chinese articles; returns seconds taken.

    The first ``real`` articles go through ``Store.create_articles`` (revisions, search index);
    the rest are copies made in SQL with their own uuid and times, then the search index is
    rebuilt over all of them, so the file is what the app would hold after that many saves.
    """
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import text

    from dayuan_desktop.core.db import open_database
    from dayuan_desktop.core.store import Store

    store_bench = _load_store_bench()
    generator = store_bench.ArticleGenerator(20261129)
    database = open_database(str(path), backup_dir=path.parent / "backups")
    store = Store(database, user_name="bench")
    for channel_path, name in store_bench.CHANNELS:
        store.create_channel(channel_path, name)
    started = time.perf_counter()
    real = min(real, count)
    for first in range(0, real, 500):
        values = []
        for index in range(first, min(real, first + 500)):
            article = generator.article(index)
            article["body"] = article["body"][:body_chars]
            values.append(article)
        store.create_articles(values)
    columns = ("channel_id, title, subtitle, author, source, published_at, summary, status, comment_count, "
               "like_count, view_count, version, created_at, updated_at, updated_by, deleted_at, sort_key, body")
    with database.session(write=True) as session:
        while (have := session.execute(text("SELECT count(*) FROM articles")).scalar()) < count:
            session.execute(text(
                f"INSERT INTO articles (uuid, number, {columns}) "
                f"SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) "
                f"|| '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), NULL, "
                f"{columns.replace('updated_at', 'datetime(updated_at, :shift)')} "
                f"FROM articles ORDER BY id LIMIT :n"
            ), {"n": min(have, count - have), "shift": f"-{have} minutes"})
    print(f"  {count:,} rows; rebuilding the search index …", file=sys.stderr)
    store.rebuild_search_index()
    elapsed = time.perf_counter() - started
    database.dispose()
    return elapsed


def count_articles(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]


def run_child(script: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
    started = time.time()
    completed = subprocess.run([sys.executable, "-c", script, repr(started), *args], capture_output=True,
                               text=True, env=env, timeout=300)
    if completed.returncode != 0 or not completed.stdout.strip():
        raise RuntimeError(f"child failed ({completed.returncode}): {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="starts of each kind (median reported)")
    parser.add_argument("--db", type=Path, help="reuse or create the database here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dayuan-startup-"))
    db = args.db or work / "startup.sqlite3"
    if not db.exists() or count_articles(db) != args.articles:
        if db.exists():
            db.unlink()
        print(f"building {args.articles:,} articles in {db} …", file=sys.stderr)
        seconds = build_database(db, args.articles)
        print(f"database built in {seconds:.0f} s")
    print(f"database: {db} ({count_articles(db):,} articles, {db.stat().st_size / 2**20:.0f} MiB)")
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"platform: QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM') or ('xcb' if os.environ.get('DISPLAY') else 'offscreen')}; "
          f"load average {os.getloadavg()[0]:.2f}")

    run_child(BASELINE_CHILD)  # warm the file cache for both
    run_child(APP_CHILD, str(work / "home"), str(db))
    baseline, app = [], []
    for _ in range(args.runs):
        baseline.append(run_child(BASELINE_CHILD))
        app.append(run_child(APP_CHILD, str(work / "home"), str(db)))

    def med(rows, key):
        return statistics.median(row[key] for row in rows)

    base_paint, app_paint, app_list = med(baseline, "first_paint"), med(app, "first_paint"), med(app, "list_shown")
    ratio = app_paint / base_paint
    print(f"bare QMainWindow, first paint:        {base_paint * 1000:7.0f} ms (median of {args.runs})")
    print(f"Dayuan Desktop, first paint:          {app_paint * 1000:7.0f} ms  = {ratio:.2f}× baseline "
          f"(target ≤ {TARGET_RATIO:.0f}×: {'PASS' if ratio <= TARGET_RATIO else 'FAIL'})")
    print(f"Dayuan Desktop, first list page shown: {app_list * 1000:6.0f} ms  = {app_list / base_paint:.2f}× baseline")
    after_paint = statistics.median(row["list_shown"] - row["first_paint"] for row in app)
    early = sum(bool(row.get("early")) for row in app)
    print(f"first list page after first paint:    {after_paint * 1000:7.0f} ms (median of {args.runs}; "
          f"target ≤ {LIST_TARGET_S * 1000:.0f} ms: {'PASS' if after_paint <= LIST_TARGET_S else 'FAIL'}; "
          f"early page read before the database opened in {early} of {args.runs} starts)")
    print(f"peak memory (max RSS): baseline {med(baseline, 'max_rss_kb') / 1024:.0f} MiB, "
          f"app {med(app, 'max_rss_kb') / 1024:.0f} MiB (the window process; QtWebEngine renders in its own)")
    print(f"uptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
