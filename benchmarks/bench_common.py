"""Helpers every benchmark script shares: the report line, PASS/FAIL, the commit the figures
belong to, and a progress line on stderr.

The scripts are run as files (``python benchmarks/store_bench.py``), not as a package; each
puts this folder on ``sys.path`` before importing from here.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def p(out, line: str = "") -> None:
    """One line of the report, written at once (a long run shows its figures as they come)."""
    print(line, file=out, flush=True)


def verdict(ok: bool | None) -> str:
    """How a figure compares with its target: PASS, FAIL, or n/a when there is none."""
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def code_version() -> str:
    """The commit the figures belong to (and whether the core had uncommitted changes)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPOSITORY, capture_output=True,
                                text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "dayuan_desktop", "resources"],
                               cwd=REPOSITORY, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    if commit.returncode != 0:
        return "unknown (not a git checkout)"
    return f"commit {commit.stdout.strip()}" + (", with uncommitted changes in the core" if dirty.stdout.strip() else "")


class Progress:
    """A progress line on stderr: rewritten in place on a terminal, otherwise one line every
    ``1/reports`` of the way (logs of long runs stay short)."""

    def __init__(self, total: int, label: str = "", *, reports: int = 10) -> None:
        self.label, self.total, self.reports = label, total, reports
        self.start = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.next_report = 0

    def update(self, done: int, *details: float) -> None:
        """Report ``done`` of the total (``details`` go to :meth:`line`)."""
        if not self.tty and done < self.next_report and done < self.total:
            return
        self.next_report = done + max(1, self.total // self.reports)
        line = self.line(done, time.perf_counter() - self.start, *details)
        sys.stderr.write(("\r" + line + "   ") if self.tty else (line + "\n"))
        if self.tty and done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def line(self, done: int, elapsed: float, *details: float) -> str:
        """The text of one report (subclasses add their own figures)."""
        return f"  {self.label} {done:,}/{self.total:,} ({elapsed:,.0f} s)"
