"""kill -9 while typing: after a restart at most the last two seconds of typing are missing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ui.crash_typist import token

TYPIST = Path(__file__).with_name("crash_typist.py")
ALLOWED_LOSS_S = 2.0


def _env() -> dict:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(TYPIST.parents[2])}


def _typed(log: Path) -> list[tuple[float, int]]:
    rows = []
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:
            rows.append((float(parts[0]), int(parts[1])))
    return rows


@pytest.mark.slow
def test_kill_9_mid_typing_loses_at_most_two_seconds(tmp_path):
    data, log = tmp_path / "home", tmp_path / "typed.log"
    typist = subprocess.Popen([sys.executable, str(TYPIST), "type", str(data), str(log)], env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # type for about five seconds, then pull the plug
            assert typist.poll() is None, typist.communicate()[1][-2000:]
            rows = _typed(log) if log.exists() else []
            if rows and rows[-1][0] - rows[0][0] > 5.0:
                break
            time.sleep(0.1)
        killed_at = time.monotonic()
        typist.send_signal(signal.SIGKILL)
        typist.wait(30)
    finally:
        if typist.poll() is None:
            typist.kill()
    rows = _typed(log)
    assert len(rows) > 50, "the typist did not type"

    database = data / "data" / "dayuan.sqlite3"
    with sqlite3.connect(database) as connection:
        body = connection.execute("SELECT body FROM articles WHERE number = 4709").fetchone()[0]
    must_survive = [number for when, number in rows if when <= killed_at - ALLOWED_LOSS_S]
    assert must_survive, "typing did not last long enough to test anything"
    missing = [number for number in must_survive if token(number) not in body]
    assert not missing, f"lost {len(missing)} tokens typed more than {ALLOWED_LOSS_S} s before the kill"
    # What was saved is a prefix of what was typed: nothing garbled, nothing out of order.
    saved = [number for _, number in rows if token(number) in body]
    assert saved == list(range(1, len(saved) + 1))

    # Restart: the window opens normally (no recovery prompt) and shows the saved text.
    check = subprocess.run([sys.executable, str(TYPIST), "check", str(data)], env=_env(),
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr[-2000:]
    assert token(saved[-1]) in check.stdout
