"""Started from a terminal, the window keeps Chromium's start-up chatter to itself (unless --debug)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dayuan_desktop.ui.terminal_noise import (
    FLAGS_VARIABLE,
    RULES_VARIABLE,
    is_noise,
    quiet_environment,
)

ROOT = Path(__file__).resolve().parents[2]
CHATTER = ("vulkan", "Unable to detect GPU vendor", ":ERROR:", "Sandboxing disabled")


def test_quiet_environment_adds_the_chromium_log_level_and_rules_and_keeps_the_users():
    environ = {FLAGS_VARIABLE: "--disable-gpu", RULES_VARIABLE: "qt.webenginecontext.debug=true"}
    quiet_environment(environ, debug=False)
    assert environ[FLAGS_VARIABLE] == "--disable-gpu --log-level=3"
    rules = environ[RULES_VARIABLE].split(";")
    assert "js.*=false" in rules and rules[-1] == "qt.webenginecontext.debug=true"  # the user's rule wins
    assert quiet_environment(environ, debug=False) == {}  # a second call changes nothing


def test_a_log_level_the_user_chose_is_kept_and_debug_changes_nothing():
    environ = {FLAGS_VARIABLE: "--log-level=0"}
    quiet_environment(environ, debug=False)
    assert environ[FLAGS_VARIABLE] == "--log-level=0"
    untouched: dict[str, str] = {}
    assert quiet_environment(untouched, debug=True) == {} and untouched == {}


def test_known_chatter_is_noise_and_other_warnings_are_not():
    assert is_noise("Failed to load vulkan: cannot open shared object file")
    assert is_noise("Unable to detect GPU vendor for device: Mesa/X.org llvmpipe")
    assert not is_noise("QFont::setPointSize: Point size <= 0 (0), must be greater than 0")


def _start_window_under_xvfb(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "xcb", "LANG": "C.UTF-8"}
    for name in (FLAGS_VARIABLE, RULES_VARIABLE, "QT_LOGGING_RULES", "QT_MESSAGE_PATTERN"):
        environ.pop(name, None)
    command = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable, "-m", "dayuan_desktop",
               "--data-dir", str(tmp_path / "data"), "--smoke-test", *extra]
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian's xvfb)")
def test_the_window_on_a_real_x_screen_prints_no_chromium_chatter(tmp_path):
    result = _start_window_under_xvfb(tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert '"ok": true' in result.stdout
    noisy = [line for line in result.stderr.splitlines() if any(word in line for word in CHATTER)]
    assert noisy == []
