"""``photo add`` under races and kill -9: real processes on one database (SQLite file, PostgreSQL server).

Every photo a ``photo add`` reports is attached and shown by the body; every body reference
has its photo attached; a ``photo add`` killed at any moment leaves all of its photos or
none, and ``db check`` says OK.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image
from sqlalchemy import text

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.store import Store
from tests.core.photos.photokit import save
from tests.helpers import run_cli as run

REFERENCE = re.compile(r"\(photo:([0-9a-f]{64})\)")


def noise_jpeg(path: Path, seed: int, size=(2400, 1600)) -> Path:
    """A real camera-sized JPEG of random pixels (slow enough to decode to widen any race)."""
    rnd = random.Random(seed)
    small = Image.frombytes("RGB", (60, 40), bytes(rnd.randrange(256) for _ in range(60 * 40 * 3)))
    path.write_bytes(save(small.resize(size, Image.Resampling.BICUBIC), "JPEG", quality=92))
    return path


def photo_add(database_url: str, *files: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dayuan_desktop", "--db", database_url, "photo", "add", "4709", *map(str, files)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def state(database_url: str, tmp_path: Path) -> tuple[list[str], list[str]]:
    """(attached sha256s, body references) of article 4709 as committed."""
    db = open_database(database_url, backup_dir=tmp_path / "backups")
    try:
        article = Store(db).find_article("4709")
        return [link.photo.sha256 for link in article.photos], REFERENCE.findall(article.body)
    finally:
        db.dispose()


def sha_of(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_concurrent_photo_adds_lose_no_photo(capsys, database_url, tmp_path):
    assert run(capsys, "--db", database_url, "sample")[0] == 0
    before, _ = state(database_url, tmp_path)
    added: list[Path] = []
    for round_number in range(3):
        files = [noise_jpeg(tmp_path / f"r{round_number}-{side}.jpg", 100 * round_number + side) for side in (1, 2)]
        processes = [photo_add(database_url, file) for file in files]
        for process, file in zip(processes, files, strict=True):
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert "1 photo(s) added to #4709, 1 placed at the end of the body" in out
            added.append(file)
    attached, referenced = state(database_url, tmp_path)
    assert attached[: len(before)] == before  # the article's own photos stay first, in order
    for file in added:
        assert sha_of(file) in attached and sha_of(file) in referenced, file.name
    assert set(referenced) <= set(attached)  # no caption without its image
    assert len(attached) == len(set(attached)) == len(before) + len(added)
    code, out, _ = run(capsys, "--db", database_url, "db", "check")
    assert code == 0 and "database OK" in out


def kill_when_links_appear(database_url: str, tmp_path: Path, process: subprocess.Popen, before: int) -> None:
    """SIGKILL ``process`` the moment another connection sees #4709 with more photos than ``before``
    (the first commit that links them: where a photo add of two commits could be stopped half-way)."""
    db = open_database(database_url, backup_dir=tmp_path / "backups", upgrade=False)
    query = text("SELECT count(*) FROM article_photos JOIN articles ON articles.id = article_photos.article_id "
                 "WHERE articles.number = 4709")
    try:
        with db.engine.connect() as conn:
            deadline = time.monotonic() + 120
            while process.poll() is None and time.monotonic() < deadline:
                if conn.execute(query).scalar() > before:
                    break
                conn.rollback()  # a fresh snapshot for the next look
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        db.dispose()


def test_photo_add_killed_at_any_moment_leaves_all_or_nothing(capsys, database_url, tmp_path):
    assert run(capsys, "--db", database_url, "sample")[0] == 0
    files = [noise_jpeg(tmp_path / f"k{n}.jpg", 7000 + n) for n in range(4)]
    started = time.monotonic()
    timing = photo_add(database_url, *files)
    _out, err = timing.communicate(timeout=120)
    assert timing.returncode == 0, err
    duration = time.monotonic() - started
    baseline, _ = state(database_url, tmp_path)
    rnd = random.Random(15)
    for attempt in range(6):
        before, _ = state(database_url, tmp_path)
        others = [noise_jpeg(tmp_path / f"a{attempt}-{n}.jpg", 9000 + 10 * attempt + n) for n in range(4)]
        process = photo_add(database_url, *others)
        if attempt % 2:
            kill_when_links_appear(database_url, tmp_path, process, len(before))
        else:
            time.sleep(duration * (0.3 + 0.7 * rnd.random()))  # somewhere from start-up to the commit
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        attached, referenced = state(database_url, tmp_path)
        shas = [sha_of(f) for f in others]
        done = [sha in attached and sha in referenced for sha in shas]
        assert all(done) or not any(done), f"attempt {attempt}: half done {done}"
        assert not any(sha in attached for sha in shas) or all(done)
        assert not any(sha in referenced for sha in shas) or all(done)
        code, out, _ = run(capsys, "--db", database_url, "db", "check")
        assert code == 0, out
        assert attached[: len(baseline)] == baseline
