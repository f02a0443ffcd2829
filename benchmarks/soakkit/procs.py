"""The process table (Linux /proc): which processes a run left behind.

Every command a soak or reliability run starts carries ``RUN_MARK=<token>`` in its
environment; worker processes inherit it, so a scan for the token finds the command's
workers and multiprocessing's resource tracker even after they were re-parented to init.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

RUN_MARK = "DAYUAN_RUN_MARK"
PROC = Path("/proc")


@dataclass(frozen=True)
class Process:
    pid: int
    parent: int
    command: str


def new_mark() -> str:
    """A token no other process carries."""
    return uuid.uuid4().hex


def marked_env(mark: str, base: dict | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with the run's mark added."""
    return {**(base if base is not None else os.environ), RUN_MARK: mark}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # gone meanwhile, or not ours to read
        return b""


def _parent_of(pid_dir: Path) -> int:
    stat = _read(pid_dir / "stat").decode("utf-8", "replace")
    # "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'
    fields = stat.rpartition(")")[2].split()
    return int(fields[1]) if len(fields) > 1 else 0


def _is_zombie(pid_dir: Path) -> bool:
    fields = _read(pid_dir / "stat").decode("utf-8", "replace").rpartition(")")[2].split()
    return bool(fields) and fields[0] == "Z"


def marked_processes(mark: str) -> list[Process]:
    """Every live (not zombie) process whose environment carries ``mark``."""
    needle = f"{RUN_MARK}={mark}".encode()
    found = []
    for pid_dir in PROC.iterdir():
        if not pid_dir.name.isdigit() or int(pid_dir.name) == os.getpid():
            continue
        if needle in _read(pid_dir / "environ").split(b"\0") and not _is_zombie(pid_dir):
            command = _read(pid_dir / "cmdline").replace(b"\0", b" ").decode("utf-8", "replace").strip()
            found.append(Process(int(pid_dir.name), _parent_of(pid_dir), command))
    return found


def children_of(pid: int) -> list[Process]:
    """The live processes whose parent is ``pid``."""
    return [process for process in _all() if process.parent == pid]


def _all() -> list[Process]:
    result = []
    for pid_dir in PROC.iterdir():
        if pid_dir.name.isdigit() and not _is_zombie(pid_dir):
            command = _read(pid_dir / "cmdline").replace(b"\0", b" ").decode("utf-8", "replace").strip()
            result.append(Process(int(pid_dir.name), _parent_of(pid_dir), command))
    return result


def wait_until_gone(mark: str, seconds: float) -> list[Process]:
    """Wait up to ``seconds`` for every process carrying ``mark`` to exit; the ones left (orphans)."""
    deadline = time.monotonic() + seconds
    left = marked_processes(mark)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = marked_processes(mark)
    return left


def kill_marked(mark: str) -> None:
    """Clean up after a failed check: SIGKILL whatever still carries ``mark`` (only this run's processes)."""
    import signal

    for process in marked_processes(mark):
        with contextlib.suppress(OSError):
            os.kill(process.pid, signal.SIGKILL)
