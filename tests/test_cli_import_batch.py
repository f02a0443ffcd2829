"""``dayuan-desktop import`` of many files as a real process: progress on stderr, and a run killed
with SIGKILL midway leaves whole articles only, no worker behind, and a second run brings in
the rest with every article exactly once and a search index that finds the last one; two runs
at once on one database, with files in common, give each article once too."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import write_markdown

CHINESE = "亮身份扬旗帜树形象连日来市区机关广大党员干部不分昼夜奋战在平城区村庄社区一线强化疫情防控当好人民群众健康平安"
FILES = 1500
TIME_LIMIT = 300


def _files(folder: Path, count: int = FILES) -> list[Path]:
    folder.mkdir()
    rng = random.Random(20)
    files = []
    for i in range(count):
        body = "".join(rng.choices(CHINESE, k=800)) + "。\n"
        front = f"title: 第{i}篇稿件{''.join(rng.choices(CHINESE, k=8))}\nchannel: news\nstatus: published\n"
        files.append(write_markdown(folder, f"{i:04d}.md", front=front, body=body))
    return files


def _command(tmp_path: Path, *arguments: str | Path) -> list[str]:
    return [sys.executable, "-m", "dayuan_desktop", "--db", str(tmp_path / "db.sqlite3"), *map(str, arguments)]


def _env(tmp_path: Path) -> dict:
    env = {**os.environ, "DAYUAN_DATA_DIR": str(tmp_path / "data")}
    env.pop("DAYUAN_DB", None)
    return env


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def kill_when(killed: subprocess.Popen, ready) -> None:
    """SIGKILL a running import once ``ready(line)`` holds for a line of its stderr (a batch is in
    and the next one is being read and written); its worker processes must die with it."""
    workers: list[int] = []
    try:
        for line in killed.stderr:
            workers = workers or _children(killed.pid)
            if ready(line):
                break
        else:
            raise AssertionError("the import ended before it could be killed")
        os.kill(killed.pid, signal.SIGKILL)
    finally:
        killed.wait(TIME_LIMIT)
    assert workers, "the import started no worker process"
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, workers)), "a worker outlived the killed import"


def assert_whole_articles(db: sqlite3.Connection, total: int) -> int:
    """What a killed import left: some articles (how many), none without its revision or index entry."""
    count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < count < total
    for table in ("revisions", "search_docs"):
        assert db.execute(f"SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM {table})"
                          ).fetchone()[0] == 0
    return count


def test_killed_midway_then_run_again_gives_each_article_once(tmp_path):
    files = _files(tmp_path / "files")
    env = _env(tmp_path)
    killed = subprocess.Popen(_command(tmp_path, "import", "--create-channels", *files), env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    kill_when(killed, lambda line: line.startswith("import: ") and not line.startswith(f"import: {FILES:,}/"))
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert_whole_articles(db, FILES)

    again = subprocess.run(_command(tmp_path, "import", "--create-channels", *files), env=env,
                           capture_output=True, text=True, timeout=TIME_LIMIT)
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"{FILES} imported, 0 failed" in again.stdout
    assert "already in the database" in again.stdout  # the first run's articles were not made again
    assert f"import: {FILES:,}/{FILES:,} files" in again.stderr

    listed = subprocess.run(_command(tmp_path, "list", "--limit", "1"), env=env, capture_output=True, text=True,
                            timeout=TIME_LIMIT)
    assert f"of {FILES:,} article(s)" in listed.stdout or f"of {FILES} article(s)" in listed.stdout, listed.stdout
    check = subprocess.run(_command(tmp_path, "db", "check"), env=env, capture_output=True, text=True,
                           timeout=TIME_LIMIT)
    assert check.returncode == 0, check.stdout + check.stderr
    last_title = files[-1].read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0]
    found = subprocess.run(_command(tmp_path, "search", last_title), env=env, capture_output=True, text=True,
                           timeout=TIME_LIMIT)
    assert found.stdout.count(last_title) == 2 and "1 result(s)" in found.stdout, found.stdout  # its row, the summary


@pytest.mark.parametrize("new_database", [True, False])
def test_two_imports_at_once_give_each_article_once(tmp_path, new_database):
    """Two editors import overlapping folders into one SQLite file at the same moment: their
    batches take turns (each a write transaction), a file both give is one article, numbers
    are given once each, and the database checks clean. On a new file both make the schema at
    once: the second waits for the first (it used to fail with "database is locked")."""
    files = _files(tmp_path / "files", 600)
    env = _env(tmp_path)
    if not new_database:
        made = subprocess.run(_command(tmp_path, "list"), env=env, capture_output=True, text=True, timeout=TIME_LIMIT)
        assert made.returncode == 0, made.stderr
    parts = (files[:400], files[200:])
    runs = [subprocess.Popen(_command(tmp_path, "import", "--create-channels", *part), env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for part in parts]
    outputs = [run.communicate(timeout=TIME_LIMIT) for run in runs]
    for run, (out, err), part in zip(runs, outputs, parts, strict=True):
        assert run.returncode == 0, err[-2000:]
        assert f"{len(part)} imported, 0 failed" in out, out[-500:]
    assert any("already in the database" in out for out, _err in outputs)  # the files both gave
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("SELECT count(*), count(DISTINCT uuid) FROM articles").fetchone() == (600, 600)
        numbers = [n for (n,) in db.execute("SELECT number FROM articles ORDER BY number")]
        assert numbers == list(range(1, 601))
        for table in ("revisions", "search_docs"):
            assert db.execute(f"SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM {table})"
                              ).fetchone()[0] == 0
    check = subprocess.run(_command(tmp_path, "db", "check"), env=env, capture_output=True, text=True,
                           timeout=TIME_LIMIT)
    assert check.returncode == 0, check.stdout + check.stderr
    title = files[300].read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0]
    found = subprocess.run(_command(tmp_path, "search", title), env=env, capture_output=True, text=True,
                           timeout=TIME_LIMIT)
    assert "1 result(s)" in found.stdout, found.stdout


def _screen(raw: str) -> list[str]:
    """The lines a terminal shows for ``raw`` (\r goes back to the line's start and overwrites)."""
    lines, line, column = [], [], 0
    for char in raw:
        if char == "\r":
            column = 0
        elif char == "\n":
            lines.append("".join(line).rstrip())
            line, column = [], 0
        else:
            line[column : column + 1] = [char]
            column += 1
    return [*lines, "".join(line).rstrip()]


def test_on_a_terminal_file_lines_never_land_on_the_progress_line(tmp_path):
    """In a terminal the progress line is rewritten in place; a file's line (imported or FAILED)
    printed after it used to overwrite only its start, leaving "…files/s)" behind."""
    import pty

    files = _files(tmp_path / "files", 70)
    main, child = pty.openpty()
    # "FAILED   x.md not found" (no such file here) is shorter than the progress line before it (the first 50 files')
    run = subprocess.Popen(_command(tmp_path, "import", "--create-channels", *files[:50], "x.md", *files[50:]),
                           env=_env(tmp_path), stdout=child, stderr=child)
    os.close(child)
    raw = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child has closed its end
            break
        if not chunk:
            break
        raw += chunk
    os.close(main)
    assert run.wait(TIME_LIMIT) == 1  # one file failed
    shown = _screen(raw.decode("utf-8"))
    progress = [line for line in shown if line.startswith("import: ")]
    assert progress and progress[-1].startswith("import: 71/71 files")
    files_lines = [line for line in shown if line.startswith(("imported ", "FAILED "))]
    assert len(files_lines) == 71
    assert not [line for line in files_lines if "files/s" in line], files_lines
    assert all(line.endswith("photo(s))") for line in files_lines if line.startswith("imported "))
