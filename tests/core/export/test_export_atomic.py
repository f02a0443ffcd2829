"""An export killed at any moment (SIGKILL, no chance to clean up) leaves every file either as it
was or as it will be, never partial; the next export completes the site and the one after
that writes nothing. The export runs as a real process: ``python -m dayuan_desktop export``."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.visible_text import visible_lines
from tests.core.export.sitekit import (
    BASE_TIME,
    MANIFEST_NAME,
    TEMP_MARK,
    add_photo,
    backdate,
    export,
    open_sqlite_store,
    raw_sql,
    site_files,
    title_of,
)

pytestmark = pytest.mark.slow

ARTICLES = 300
CHANNELS = ["gsyl", "gsyl/lzgs", "news", "news/local"]
PARAGRAPH = "亮身份、扬旗帜、树形象,连日来,市区机关广大党员干部不分昼夜奋战在平城区村庄、社区一线。" * 3
KILLS = 4


def build(db_path: Path) -> Store:
    """300 published articles in four channels; the first four show a photo."""
    store = open_sqlite_store(db_path)
    for path in CHANNELS:
        store.create_channel(path)
    photos = [add_photo(store, 1400, 1000, color=(60 * i, 80, 120), caption=f"照片{i}", photographer="马向英")
              for i in range(4)]
    batch = []
    for n in range(1, ARTICLES + 1):
        head = f"![{photos[n - 1].caption}](photo:{photos[n - 1].sha256})\n\n" if n <= 4 else ""
        body = f"{head}{PARAGRAPH}\n\n## 党员干部集结下沉防疫一线\n\n{PARAGRAPH}\n\n## 党旗飘扬党徽生辉\n\n{PARAGRAPH}\n"
        batch.append(dict(
            title=title_of(n), channel_path=CHANNELS[n % 4], status="published", number=n,
            published_at=BASE_TIME + timedelta(hours=n), body=body, author="网络编辑", source="大同",
        ))
    articles = store.create_articles(batch)
    for article, photo in zip(articles[:4], photos, strict=True):
        store.photos.set_article_photos(article.id, [photo.sha256])
    backdate(store)
    return store


def command(db: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "dayuan_desktop", "--db", str(db), "export", "--out", str(out), "--quiet"]


def newest_mtime(out: Path) -> int:
    newest = 0
    for folder, _dirs, names in os.walk(out):
        for name in names:
            with contextlib.suppress(FileNotFoundError):  # renamed away between listing and stat
                newest = max(newest, os.lstat(os.path.join(folder, name)).st_mtime_ns)
    return newest


def kill_during_export(db: Path, out: Path, delay: float) -> int | None:
    """Start an export, wait until it writes its first file, then ``delay`` seconds, then SIGKILL
    the export and its worker processes. Returns the exit status (None: killed before it ended)."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.time_ns()
    process = subprocess.Popen(
        command(db, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while newest_mtime(out) < started and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(delay)
        finished = process.poll()
    finally:
        with contextlib.suppress(ProcessLookupError):  # the whole group: the export and its rendition workers
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    return finished


def check_folder(out: Path, allowed: list[dict[str, bytes]]) -> tuple[int, int]:
    """Every file is one of the allowed complete versions (or a temporary); returns (site files, temporaries)."""
    site, temporaries = 0, 0
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(out).as_posix()
        if path.name.startswith(TEMP_MARK):
            temporaries += 1
            continue
        data = path.read_bytes()
        if relative == MANIFEST_NAME:
            assert json.loads(data)["format"] == 2
            continue
        versions = [reference[relative] for reference in allowed if relative in reference]
        assert versions, f"{relative} is not a file of the site"
        if relative.endswith(".html"):
            assert data.endswith(b"</html>\n"), f"{relative} is cut off"
        assert data in versions, f"{relative} is neither the old nor the new version ({len(data)} bytes)"
        site += 1
    return site, temporaries


def complete_export(db: Path, out: Path) -> str:
    result = subprocess.run(command(db, out), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def writing_span(db: Path, scratch: Path) -> float:
    """Seconds from an export's first written file to its end, measured on this machine now: kill
    delays drawn within it land mid-export whether the machine is fast, slow or loaded."""
    scratch.mkdir(parents=True, exist_ok=True)
    started = time.time_ns()
    process = subprocess.Popen(command(db, scratch), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while newest_mtime(scratch) < started and process.poll() is None:
        time.sleep(0.005)
    first_write = time.monotonic()
    assert process.wait(timeout=300) == 0
    return time.monotonic() - first_write


def kill_repeatedly(db: Path, out: Path, allowed: list[dict[str, bytes]], rng: random.Random) -> None:
    killed, partial = 0, 0
    # The shorter of two measured spans: the export now writes 300 articles in ~0.2 s, and one
    # measuring run slowed by the machine's other work drew delays past the end of the runs after it.
    span = min(writing_span(db, out.parent / f"timing-{rng.getrandbits(32):08x}") for _ in range(2))
    for attempt in range(KILLS):
        delay = 0.0 if attempt == 0 else rng.uniform(0.0, 0.7 * span)
        finished = kill_during_export(db, out, delay)
        killed += finished is None
        site, _temporaries = check_folder(out, allowed)
        partial += site < len(allowed[-1]) or any(
            (out / path).read_bytes() != data for path, data in allowed[-1].items() if (out / path).is_file()
        )
    assert killed >= KILLS // 2, "the export finished before most kills: the test proved little"
    assert partial, "no kill left the site half done"


def test_killed_export_leaves_complete_files_and_the_next_export_completes(tmp_path):
    db = tmp_path / "db" / "newsroom.sqlite3"
    store = build(db)
    old = tmp_path / "reference-old"
    export(store, old, SiteSettings())  # what the command writes (default settings), made in-process
    reference_old = site_files(old)
    assert len([path for path in reference_old if path.endswith(".html")]) > ARTICLES
    rng = random.Random(4709)
    out = tmp_path / "site"

    # A fresh site, killed again and again before it is done.
    kill_repeatedly(db, out, [reference_old], rng)
    total = len(reference_old)
    summary = complete_export(db, out)
    assert summary.endswith(" removed") and summary.startswith(tuple(f"{n} written" for n in range(total + 1)))
    assert site_files(out) == reference_old
    assert not list(out.rglob(f"{TEMP_MARK}*")), "temporaries left after a complete export"
    assert complete_export(db, out) == f"0 written, {total} unchanged, 0 removed"

    # Every title changes: a killed re-export leaves each file old or new, never a mix within a file.
    raw_sql(store, "UPDATE articles SET title = '新标题' || number || '号', version = version + 1")
    new = tmp_path / "reference-new"
    export(store, new, SiteSettings())
    reference_new = site_files(new)
    assert set(reference_new) == set(reference_old)
    kill_repeatedly(db, out, [reference_old, reference_new], rng)
    complete_export(db, out)
    assert site_files(out) == reference_new
    assert not list(out.rglob(f"{TEMP_MARK}*"))
    assert complete_export(db, out) == f"0 written, {total} unchanged, 0 removed"

    for n in (1, 4, 150, ARTICLES):
        html = (out / CHANNELS[n % 4] / f"{n}.html").read_text(encoding="utf-8")
        lines = visible_lines(html)
        assert f"新标题{n}号" in lines and "党员干部集结下沉防疫一线" in lines
    assert "图为照片3。马向英摄" in visible_lines((out / CHANNELS[4 % 4] / "4.html").read_text(encoding="utf-8"))
    store.db.dispose()
