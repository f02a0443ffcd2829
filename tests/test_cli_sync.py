"""``dayuan-desktop sync --with OTHER`` as a user runs it: output, bad input, and kill -9 at random points."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.models import Article, Photo, Revision
from dayuan_desktop.core.store import Store
from tests.helpers import jpeg_bytes
from tests.helpers import run_cli as run

BODY = "第一段：县城的早晨。\n\n第二段：集市开张。\n\n第三段：记者手记。\n"
ALL_ZERO = "0 sent, 0 received, 0 merged, 0 conflicts"
REPO = Path(__file__).resolve().parents[1]


def open_store(target, user: str) -> Store:
    store = Store(open_database(target), user_name=user)
    store.ensure_search_index()
    return store


def edit(store: Store, uuid: str, **changes):
    article = store.get_article(uuid)
    return store.update_article(article.id, changes, expected_version=article.version)


def counts(store: Store) -> tuple[int, int, int]:
    """(articles, conflict copies, photos)."""
    with store.db.session() as session:
        return (
            session.scalar(select(func.count(Article.id))),
            session.scalar(select(func.count(Article.id)).where(Article.conflict_of.is_not(None))),
            session.scalar(select(func.count(Photo.id))),
        )


def test_sync_prints_the_summary_last_then_all_zero(capsys, database_url, tmp_path):
    laptop = tmp_path / "laptop.sqlite3"
    store = open_store(laptop, "zhang")
    store.create_article(title="野外稿", author="记者 zhang", body=BODY)
    store.db.dispose()
    open_store(database_url, "editor").db.dispose()  # the newsroom's database exists
    code, out, err = run(capsys, "--db", str(laptop), "sync", "--with", database_url)
    assert code == 0 and out.splitlines()[-1] == "1 sent, 0 received, 0 merged, 0 conflicts"
    assert "sync: 1/1 articles" in err
    code, out, _ = run(capsys, "--db", str(laptop), "sync", "--with", database_url)
    assert code == 0 and out.splitlines()[-1] == ALL_ZERO


def test_list_conflicts_shows_the_conflict_copy(capsys, tmp_path):
    laptop, newsroom = tmp_path / "laptop.sqlite3", tmp_path / "newsroom.sqlite3"
    mine, news = open_store(laptop, "zhang"), open_store(newsroom, "editor")
    article = news.create_article(title="两边都改", author="记者 zhang", body=BODY)
    mine.db.dispose()
    run(capsys, "--db", str(laptop), "sync", "--with", str(newsroom), "--user", "zhang")
    mine = open_store(laptop, "zhang")
    edit(mine, article.uuid, body=BODY.replace("集市开张", "本机的改法"))
    edit(news, article.uuid, body=BODY.replace("集市开张", "编辑部的改法"))
    mine.db.dispose()
    news.db.dispose()
    code, out, _ = run(capsys, "--db", str(laptop), "sync", "--with", str(newsroom), "--user", "zhang")
    assert code == 0 and out.splitlines()[-1] == "0 sent, 0 received, 0 merged, 1 conflicts"
    code, out, _ = run(capsys, "--db", str(newsroom), "list", "--conflicts")
    assert "两边都改" in out and "1–1 of 1 article(s)" in out


def _revision_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("kind", ["missing", "not a database", "newer schema"])
def test_bad_other_is_one_line_and_changes_nothing(capsys, tmp_path, kind):
    laptop = tmp_path / "laptop.sqlite3"
    store = open_store(laptop, "zhang")
    store.create_article(title="野外稿", author="记者 zhang", body=BODY)
    store.db.dispose()
    other = tmp_path / "other.sqlite3"
    if kind == "not a database":
        other.write_bytes(b"hello, this is a text file\n" * 100)
    elif kind == "newer schema":
        open_store(other, "x").db.dispose()
        conn = sqlite3.connect(other)
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
        conn.close()
    before = other.read_bytes() if other.exists() else None
    code, out, err = run(capsys, "--db", str(laptop), "sync", "--with", str(other))
    assert code == 1 and out == ""
    [message] = [line for line in err.splitlines() if line.startswith("dayuan-desktop: error:")]
    assert {"missing": "no such database file", "not a database": "file is not a database",
            "newer schema": "newer than"}[kind] in message
    assert (other.read_bytes() if other.exists() else None) == before
    assert _revision_count(laptop) == 1


def test_password_in_the_other_url_is_never_printed(capsys, tmp_path):
    code, out, err = run(capsys, "--db", str(tmp_path / "l.sqlite3"), "sync", "--with",
                         "postgresql://reporter:s3cret-pw@127.0.0.1:1/newsroom")
    assert code == 1 and "s3cret-pw" not in out + err and "***" in err


# -- kill -9 at random points --------------------------------------------------------------------
def _sync_killed_after(laptop: Path, other: str, lines: int) -> None:
    """Start a real ``sync`` process and SIGKILL it right after its ``lines``-th progress line."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "dayuan_desktop", "--db", str(laptop), "sync", "--with", other, "--user", "zhang"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
    )
    seen = 0
    try:
        for line in process.stderr:
            seen += line.startswith("sync: ")
            if seen >= lines:
                os.kill(process.pid, signal.SIGKILL)
                break
    finally:
        process.stderr.close()
        process.wait(timeout=120)


def _sync_to_the_end(capsys, laptop: Path, other: str) -> str:
    code, out, err = run(capsys, "--db", str(laptop), "sync", "--with", other, "--user", "zhang")
    assert code == 0, err
    return out.splitlines()[-1]


def _field_work(laptop: Path, other: str) -> tuple[list[str], list[str]]:
    """24 laptop drafts (6 with a photo each) and 10 drafts the newsroom assigned to the reporter."""
    mine, news = open_store(laptop, "zhang"), open_store(other, "editor")
    made = []
    for n in range(24):
        article = mine.create_article(title=f"野外稿{n}", author="记者 zhang", body=BODY + f"\n编号{n}。\n")
        if n % 4 == 0:
            photo = mine.photos.add_photo(jpeg_bytes(color=(n * 9 % 256, 60, 90)), format="JPEG", width=1200, height=800)
            mine.photos.set_article_photos(article.id, [photo.sha256])
        made.append(article.uuid)
    assigned = [news.create_article(title=f"派稿{n}", author="记者 zhang", body=BODY).uuid for n in range(10)]
    mine.db.dispose()
    news.db.dispose()
    return made, assigned


def _edits_on_both_sides(laptop: Path, other: str, made: list[str], assigned: list[str]) -> None:
    """4 different-paragraph edits (merge), 4 same-paragraph edits (conflict), 4 laptop-only edits."""
    mine, news = open_store(laptop, "zhang"), open_store(other, "editor")
    for uuid in made[:4] + assigned[:4]:
        same = uuid in made[:4]
        edit(mine, uuid, body=mine.get_article(uuid).body.replace("县城的早晨", "本机改的早晨"))
        old, new = ("县城的早晨", "编辑部改的早晨") if same else ("记者手记", "编辑部改的手记")
        edit(news, uuid, body=news.get_article(uuid).body.replace(old, new))
    for uuid in made[10:14]:
        edit(mine, uuid, title="本机再改的标题")
    mine.db.dispose()
    news.db.dispose()


def _copies_of(store: Store, uuid: str) -> list[str]:
    with store.db.session() as session:
        return list(session.scalars(select(Article.uuid).where(Article.conflict_of == uuid)))


def _check_nothing_lost_or_twice(laptop: Path, other: str, made: list[str], assigned: list[str]) -> None:
    mine, news = open_store(laptop, "zhang"), open_store(other, "editor")
    try:
        assert counts(mine) == counts(news) == (38, 4, 6)
        for uuid in made + assigned:
            assert mine.get_article(uuid).body == news.get_article(uuid).body
        for uuid in assigned[:4]:
            assert "本机改的早晨" in news.get_article(uuid).body and "编辑部改的手记" in news.get_article(uuid).body
        for uuid in made[:4]:
            assert "编辑部改的早晨" in news.get_article(uuid).body  # the newsroom's version stays in place
            for store in (mine, news):
                [copy] = _copies_of(store, uuid)  # exactly one conflict copy per conflict, on each side
                assert "本机改的早晨" in store.get_article(copy).body
                assert copy in {a.uuid for a in store.search("本机改的早晨")}
        assert {news.get_article(u).title for u in made[10:14]} == {"本机再改的标题"}
        with news.db.session() as session:  # each exchange is one sync revision, never two
            assert session.scalar(select(func.count(Revision.id)).where(Revision.kind == "sync")) >= 24
    finally:
        mine.db.dispose()
        news.db.dispose()


def test_kill_9_anywhere_then_sync_again_loses_and_doubles_nothing(capsys, database_url, tmp_path):
    laptop = tmp_path / "laptop.sqlite3"
    made, assigned = _field_work(laptop, database_url)
    chance = random.Random(17)
    for point in (1, 3, 6, 2, chance.randint(1, 8)):
        _sync_killed_after(laptop, database_url, point)
    assert _sync_to_the_end(capsys, laptop, database_url) != ALL_ZERO  # the kills left work undone
    assert _sync_to_the_end(capsys, laptop, database_url) == ALL_ZERO
    _edits_on_both_sides(laptop, database_url, made, assigned)
    for point in (2, 1, 4, chance.randint(1, 6)):
        _sync_killed_after(laptop, database_url, point)
    assert _sync_to_the_end(capsys, laptop, database_url) != ALL_ZERO
    assert _sync_to_the_end(capsys, laptop, database_url) == ALL_ZERO
    _check_nothing_lost_or_twice(laptop, database_url, made, assigned)


def test_bad_since_or_channel_is_a_usage_error_before_anything_opens(capsys, tmp_path):
    other = tmp_path / "other.sqlite3"
    for option in (["--since", "yesterday"], ["--channel", "../etc"]):
        code, out, err = run(capsys, "--db", str(tmp_path / "l.sqlite3"), "sync", "--with", str(other), *option)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert not other.exists()
