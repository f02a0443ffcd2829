"""The watchdog behind the tests' PostgreSQL server: a killed test run leaves no server behind."""

from __future__ import annotations

import signal
import subprocess
import time

from tests.watchdog import clean_up_when_gone


def _wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_an_owner_killed_with_sigkill_or_sigterm_gets_its_server_stopped_and_folder_removed(tmp_path):
    for number, how in enumerate((signal.SIGKILL, signal.SIGTERM)):
        folder = tmp_path / f"cluster{number}"
        folder.mkdir()
        (folder / "data").write_text("server files", encoding="utf-8")
        stopped = tmp_path / f"stopped{number}"
        owner = subprocess.Popen(["sleep", "60"])
        watchdog = clean_up_when_gone(["touch", str(stopped)], folder, owner=owner.pid)
        try:
            time.sleep(1.2)
            assert not stopped.exists() and folder.exists()  # the owner still runs: nothing is touched
            owner.send_signal(how)
            owner.wait()
            assert _wait_for(lambda stopped=stopped, folder=folder: stopped.exists() and not folder.exists()), how
        finally:
            owner.kill()
            watchdog.kill()
