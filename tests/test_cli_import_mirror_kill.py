"""``dayuan-desktop import DIR`` of a real mirror killed with SIGKILL midway: whole articles only, no
worker left behind, and a second run brings in the rest with each article exactly once, its photo
attached, ``db check`` passing and the search finding the last page."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from tests.core.interchange.mirror_site import HOST, build_mirror
from tests.test_cli_import_batch import assert_whole_articles, kill_when

PAGES = 1200  # more than one batch (500), read by worker processes (200 and more)
TIME_LIMIT = 300


def _big_mirror(folder: Path) -> tuple[Path, int]:
    """The test mirror with ``PAGES`` more article pages cloned from one with a photo; half of them
    without our uuid (as the live portal's pages are). Returns (mirror, article pages in all)."""
    mirror, made = build_mirror(folder, generated=3)
    gsyl = mirror / HOST / "gsyl"
    page = (gsyl / "6000.html").read_text(encoding="utf-8")
    for index in range(PAGES):
        number = 20000 + index
        clone = page.replace("/6000.html", f"/{number}.html").replace("生成的文章 0", f"克隆的稿件 {index}")
        own = f'<meta name="dayuan:uuid" content="{uuid.uuid4()}">' if index % 2 else ""
        clone = re.sub(r'<meta name="dayuan:uuid" content="[^"]+">', own, clone)
        (gsyl / f"{number}.html").write_text(clone, encoding="utf-8")
    return mirror, PAGES + 3 + len(made)


def _command(tmp_path: Path, *arguments: str | Path) -> list[str]:
    return [sys.executable, "-m", "dayuan_desktop", "--db", str(tmp_path / "db.sqlite3"), *map(str, arguments)]


def test_import_dir_killed_midway_then_again_gives_each_article_once(tmp_path):
    mirror, total = _big_mirror(tmp_path / "built")
    env = {**os.environ, "DAYUAN_DATA_DIR": str(tmp_path / "data")}
    env.pop("DAYUAN_DB", None)
    killed = subprocess.Popen(_command(tmp_path, "import", mirror), env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    # A batch is in; the next one is being read and written.
    pages_line = re.compile(r"(\d+)/(\d+) article pages: (\d+) imported")
    kill_when(killed, lambda line: bool((found := pages_line.match(line)) and int(found.group(3)) > 0
                                        and int(found.group(1)) < total))
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:  # what the killed run left: whole articles only
        count = assert_whole_articles(db, total)
        assert _clones_without_photo(db) == 0

    again = subprocess.run(_command(tmp_path, "import", mirror), env=env, capture_output=True, text=True,
                           timeout=TIME_LIMIT)
    assert again.returncode == 0, again.stderr[-2000:]
    imported, failed, duplicates = map(int, re.match(r"(\d+) imported, (\d+) failed, (\d+) already imported",
                                                     again.stdout.splitlines()[-1]).groups())
    assert (failed, duplicates, imported + duplicates) == (0, count, total)
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("SELECT count(*), count(DISTINCT number) FROM articles").fetchone() == (total, total)
        assert _clones_without_photo(db) == 0
    check = subprocess.run(_command(tmp_path, "db", "check"), env=env, capture_output=True, text=True,
                           timeout=TIME_LIMIT)
    assert check.returncode == 0, check.stdout + check.stderr
    last = f"克隆的稿件 {PAGES - 1}"
    found = subprocess.run(_command(tmp_path, "search", last), env=env, capture_output=True, text=True,
                           timeout=TIME_LIMIT)
    assert "1 result(s)" in found.stdout and last in found.stdout, found.stdout


def _clones_without_photo(db) -> int:
    return db.execute("SELECT count(*) FROM articles WHERE number >= 20000 AND id NOT IN "
                      "(SELECT article_id FROM article_photos)").fetchone()[0]
