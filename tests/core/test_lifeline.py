"""Workers die with their parent: the poll fallback alone, and a parent that is already gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from soakkit.procs import kill_marked, marked_env, marked_processes, new_mark, wait_until_gone  # noqa: E402

REPO_ROOT = str(Path(__file__).resolve().parents[2])  # the package under test, for subprocesses

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")

# The grandchild watches its parent by polling only (the kernel's death signal switched off).
WATCHER = (
    "import sys, time\n"
    "from dayuan_desktop.core import lifeline\n"
    "lifeline._ask_kernel_for_death_signal = lambda: None\n"
    "lifeline.watch_parent(int(sys.argv[1]))\n"
    "time.sleep(120)\n"
)
PARENT = (
    "import os, subprocess, sys, time\n"
    f"subprocess.Popen([sys.executable, '-c', {WATCHER!r}, str(os.getpid())])\n"
    "time.sleep(120)\n"
)


def test_without_the_death_signal_the_poll_still_ends_the_worker_when_its_parent_is_killed():
    mark = new_mark()
    parent = subprocess.Popen([sys.executable, "-c", PARENT], env=marked_env(mark, {**os.environ,
                                                                                  "PYTHONPATH": REPO_ROOT}))
    try:
        deadline = time.monotonic() + 60
        while len(marked_processes(mark)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)  # the watcher is through its imports and polling
        assert len(marked_processes(mark)) == 2
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert wait_until_gone(mark, 3) == []
    finally:
        parent.kill()
        kill_marked(mark)


def test_a_worker_whose_parent_is_already_gone_exits_at_once():
    script = "from dayuan_desktop.core import lifeline\nlifeline.watch_parent(999999999)\nimport time; time.sleep(60)\n"
    result = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": REPO_ROOT},
                            timeout=30)
    assert result.returncode == 1
