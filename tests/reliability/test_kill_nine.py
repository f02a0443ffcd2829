"""kill -9 at random points of `export`, `import` and `photo add` (10 each), then checks.

After each kill: nothing the command started is left running, `db check` passes, no article
is half-done (body and attached photos disagree); a killed export run again equals a fresh
export byte for byte. benchmarks/soak.py runs the same with 100 kills each.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest
from soakkit import kills

REPO_ROOT = str(Path(__file__).resolve().parents[2])  # the package under test, for subprocesses

KILLS = 10
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="scans /proc for orphans")]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": REPO_ROOT}


@pytest.fixture(scope="module")
def export_kills(tmp_path_factory):
    return kills.kill_exports(tmp_path_factory.mktemp("kill-export"), _env(), kills=KILLS, rng=random.Random(1509),
                              articles=6)


@pytest.fixture(scope="module")
def import_kills(tmp_path_factory):
    return kills.kill_imports(tmp_path_factory.mktemp("kill-import"), _env(), kills=KILLS, rng=random.Random(1510),
                              files=3)


@pytest.fixture(scope="module")
def photo_add_kills(tmp_path_factory):
    return kills.kill_photo_adds(tmp_path_factory.mktemp("kill-photo"), _env(), kills=KILLS,
                                 rng=random.Random(1511))


def test_a_killed_export_leaves_no_process_a_sound_database_and_reruns_to_the_fresh_export(export_kills):
    assert export_kills.runs == KILLS and export_kills.killed > 0
    assert export_kills.orphans == []
    assert export_kills.failed_checks == [] and export_kills.crashes == []
    assert export_kills.export_mismatches == []


def test_a_killed_import_leaves_no_process_and_no_half_imported_article(import_kills):
    assert import_kills.runs == KILLS and import_kills.killed > 0
    assert import_kills.orphans == []
    assert import_kills.failed_checks == [] and import_kills.crashes == []
    assert import_kills.half_done == []


def test_a_killed_photo_add_leaves_no_process_and_a_sound_database(photo_add_kills):
    assert photo_add_kills.runs == KILLS and photo_add_kills.killed > 0
    assert photo_add_kills.orphans == []
    assert photo_add_kills.failed_checks == [] and photo_add_kills.crashes == []


def test_a_killed_photo_add_is_all_or_nothing(photo_add_kills):
    assert photo_add_kills.half_done == []
