"""Two concurrent `photo add` loops on one article, on SQLite and PostgreSQL (issue 15 item 1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from soakkit.races import race_photo_adds
from soakkit.site import build_site

REPO_ROOT = str(Path(__file__).resolve().parents[2])  # the package under test, for subprocesses

PER_LOOP = 6


@pytest.fixture
def race(database_url, tmp_path):
    target = build_site(database_url if "://" in database_url else Path(database_url), articles=0)
    return race_photo_adds(target, tmp_path, {**os.environ, "PYTHONPATH": REPO_ROOT}, per_loop=PER_LOOP)


def test_two_photo_add_loops_lose_no_photo(race):
    assert race.crashes == []
    assert race.lost == [] and race.half_done == []
    assert race.attached == race.added and race.added + len(race.failures) == 2 * PER_LOOP
