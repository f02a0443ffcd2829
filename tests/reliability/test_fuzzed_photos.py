"""~200 fuzzed photos (Pillow seeds, damaged every way) through `photo info` and `photo add`.

Each command runs in a subprocess with a per-file time limit (soakkit.cli_runner): no hang,
no traceback or "unexpected error", a refusal is one line, and no photo `photo add` reported
is missing from the article afterwards. benchmarks/soak.py runs the same with 1,000 files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from soakkit.photo_fuzz import fuzz_photos

REPO_ROOT = str(Path(__file__).resolve().parents[2])  # the package under test, for subprocesses

SEED = 15
FILES = 200
PER_FILE_SECONDS = 20


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    env = {**os.environ, "PYTHONPATH": REPO_ROOT}
    return fuzz_photos(tmp_path_factory.mktemp("fuzz"), env, seed=SEED, count=FILES, timeout=PER_FILE_SECONDS)


def test_every_fuzzed_photo_was_tried_and_some_were_accepted_some_refused(fuzzed):
    assert fuzzed.files == FILES
    assert fuzzed.accepted > 0 and fuzzed.refused > 0


def test_no_fuzzed_photo_hangs_a_command(fuzzed):
    assert fuzzed.hangs == []


def test_no_fuzzed_photo_crashes_a_command(fuzzed):
    assert fuzzed.crashes == []


def test_every_refusal_is_one_line(fuzzed):
    assert fuzzed.multi_line == []


def test_no_accepted_photo_is_lost_or_left_half_placed(fuzzed):
    assert fuzzed.lost == []
    assert fuzzed.half_done == []


def test_the_site_still_exports_after_the_fuzzed_photos(fuzzed, tmp_path):
    for lane, database in enumerate(fuzzed.databases):
        result = subprocess.run(
            [sys.executable, "-m", "dayuan_desktop", "--db", str(database), "--data-dir", str(database.parent / "home"),
             "export", "--out", str(tmp_path / f"site{lane}"), "--quiet"],
            capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": REPO_ROOT},
        )
        assert result.returncode == 0, result.stderr
        assert (tmp_path / f"site{lane}" / "gsyl" / "lzgs" / "4709.html").is_file()
