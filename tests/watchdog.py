"""Clean-up that outlives a killed test run: a throw-away server is stopped when its owner is gone.

A pytest run stopped by SIGTERM or SIGKILL runs no fixture teardown, which left its PostgreSQL
server (and its RAM folder) behind. The watchdog is a shell loop in its own session: it polls
the owner's pid once a second and, when that process is gone, runs the stop command and removes
the folder. A normal teardown stops the server itself and then kills the watchdog.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

_LOOP = 'owner=$1; folder=$2; shift 2; while kill -0 "$owner" 2>/dev/null; do sleep 1; done; "$@"; rm -rf "$folder"'


def clean_up_when_gone(stop_command: Sequence[str], folder: Path, owner: int | None = None) -> subprocess.Popen:
    """Run ``stop_command`` and remove ``folder`` once process ``owner`` (default: this one) has ended."""
    return subprocess.Popen(
        ["sh", "-c", _LOOP, "watchdog", str(owner or os.getpid()), str(folder), *stop_command],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
