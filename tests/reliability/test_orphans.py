"""Issue 15 item 9: an `export` killed with SIGKILL leaves no worker process behind.

Real commands, real processes: the export runs as a subprocess carrying a mark in its
environment, is killed once its workers are up, and /proc is scanned for anything still
carrying the mark (workers re-parented to init, multiprocessing's resource tracker).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from soakkit.procs import children_of, kill_marked, marked_env, new_mark, wait_until_gone
from soakkit.site import add_bulk_copies, build_site

REPO_ROOT = str(Path(__file__).resolve().parents[2])  # the package under test, for subprocesses

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="scans /proc")
GRACE_SECONDS = 5  # "within seconds": the poll fallback alone needs 0.5 s


def _wait_for_workers(pid: int, wanted: int, seconds: float = 90) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # A spawned worker's command names multiprocessing; a forked one (the command line's page
        # worker, on Linux) carries its parent's command: any child but the resource tracker counts.
        workers = [child for child in children_of(pid) if "resource_tracker" not in child.command]
        if len(workers) >= wanted:
            return workers
        time.sleep(0.05)
    return []


@pytest.mark.parametrize(("kind", "articles", "copies", "photos", "workers"), [
    ("page worker", 5, 2_100, 0, 1),  # 2,000+ due pages: the export starts its page worker
    ("rendition workers", 40, 0, 40, 2),  # photos with no rendition yet: a pool on every core
])
def test_workers_exit_within_seconds_of_a_killed_export(tmp_path, kind, articles, copies, photos, workers):
    database = build_site(tmp_path / "newsroom.sqlite3", articles=articles, photos=photos)
    if copies:
        add_bulk_copies(database, copies)
    mark = new_mark()
    # "always": the page worker starts however busy the machine is (it is what this test kills).
    env = marked_env(mark, {**os.environ, "PYTHONPATH": REPO_ROOT, "DAYUAN_PAGE_WORKER": "always"})
    process = subprocess.Popen(
        [sys.executable, "-m", "dayuan_desktop", "--db", str(database), "--data-dir", str(tmp_path / "home"),
         "export", "--out", str(tmp_path / "site"), "--quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        started = _wait_for_workers(process.pid, min(workers, os.cpu_count() or 1))
        assert started, f"the export started no {kind}"
        time.sleep(0.5)  # let them get to work (the database open, a page or a photo under way)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        left = wait_until_gone(mark, GRACE_SECONDS)
        assert left == [], f"still running {GRACE_SECONDS} s after the export was killed: {left}"
    finally:
        process.kill()
        kill_marked(mark)
