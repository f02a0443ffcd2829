"""`dayuan-desktop list | head`: a reader that closes the pipe ends the command quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dayuan_desktop.closed_pipe import stdout_reader_gone

ROOT = Path(__file__).resolve().parents[1]


def _command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "dayuan_desktop", "--data-dir", str(data_dir), *args]


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder whose database holds the sample article (so `list` prints a line)."""
    folder = tmp_path / "data"
    subprocess.run(_command(folder, "sample"), env=_environment(), check=True, capture_output=True, timeout=120)
    return folder


def _log_text(data_dir: Path) -> str:
    return "".join(path.read_text(encoding="utf-8") for path in (data_dir / "logs").glob("*.log*"))


def _run_into_closed_pipe(data_dir: Path, *args: str) -> tuple[int, str]:
    """Run the command with stdout a pipe whose reader has already gone (as after `head -1`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        result = subprocess.run(_command(data_dir, *args), env=_environment(), stdout=write_end,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    return result.returncode, result.stderr


def test_list_into_a_closed_pipe_exits_0_without_a_word_or_a_traceback(data_dir):
    code, err = _run_into_closed_pipe(data_dir, "list")
    assert (code, err) == (0, "")
    log = _log_text(data_dir)
    assert "BrokenPipeError" not in log and "CRITICAL" not in log
    assert "reader closed the output pipe" in log


@pytest.mark.parametrize("reader_open", [True, False])
def test_only_a_stdout_pipe_without_reader_counts_as_the_reader_gone(monkeypatch, reader_open):
    # A BrokenPipeError from a socket or a child's stdin is a real failure: only stdout's own
    # closed pipe is taken for `| head`.
    read_end, write_end = os.pipe()
    if not reader_open:
        os.close(read_end)
    with os.fdopen(write_end, "w") as stream:
        monkeypatch.setattr(sys, "__stdout__", stream)
        assert stdout_reader_gone() is (not reader_open)
    if reader_open:
        os.close(read_end)


def test_a_real_failure_still_reports_even_with_output_piped(data_dir):
    code, err = _run_into_closed_pipe(data_dir, "show", "999999")
    assert code == 1 and err.startswith("dayuan-desktop: error:")
