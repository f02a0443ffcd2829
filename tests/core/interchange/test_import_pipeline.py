"""The batch import (``import_pipeline``): the same articles, numbers and search hits as importing the
files one at a time, each bad file failing alone and by name, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import text

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.interchange import import_pipeline
from dayuan_desktop.core.interchange.import_pipeline import ImportItem, ImportOptions, import_items
from dayuan_desktop.core.interchange.import_prepare import prepare_items
from dayuan_desktop.core.interchange.markdown_files import MAX_FILE_BYTES, import_markdown_file
from dayuan_desktop.core.store import Store
from tests.helpers import write_markdown

CHINESE = "亮身份扬旗帜树形象连日来市区机关广大党员干部不分昼夜奋战在平城区村庄社区一线强化疫情防控当好人民群众健康"


def _article(folder: Path, index: int, *, status: str = "published", number: int | None = None,
             channel: str = "news", tags: tuple[str, ...] = ("时政",)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(index)
    body = "\n\n".join("".join(rng.choices(CHINESE, k=300)) + "。" for _ in range(3))
    front = (f"title: 第{index}篇{''.join(rng.choices(CHINESE, k=6))}\nauthor: 记者{index}\n"
             f"date: 2024-01-{1 + index % 28:02d} 08:00:00\ntags: [{', '.join(tags)}]\n"
             f"channel: {channel}\nstatus: {status}\nsummary: 摘要{index}\n")
    if number is not None:
        front += f"number: {number}\n"
    return write_markdown(folder, f"{index:03d}.md", front=front, body=body)


def _mixed_files(folder: Path) -> list[Path]:
    """Published without a number, with numbers (one jumping ahead), drafts, two channels, several tags."""
    files = []
    for i in range(24):
        number = {5: 100, 11: 7, 17: 250}.get(i)
        status = "draft" if i % 6 == 3 else "published"
        files.append(_article(folder, i, status=status, number=number, channel=("news", "news/sx")[i % 2],
                              tags=("时政", "民生", "防控")[: 1 + i % 3]))
    return files


def _rows(store: Store) -> dict[str, tuple]:
    """title → what a user sees of the article and its first revision (not the times it was made)."""
    with store.db.session() as session:
        rows = session.execute(text(
            "SELECT a.title, a.number, a.status, a.body, c.path, a.published_at, r.kind, r.snapshot, a.version "
            "FROM articles a LEFT JOIN channels c ON c.id = a.channel_id JOIN revisions r ON r.article_id = a.id"
        )).all()
    found = {}
    for title, number, status, body, channel, published, kind, snapshot, version in rows:
        snapshot = snapshot if isinstance(snapshot, dict) else __import__("json").loads(snapshot)
        found[title] = (number, status, body, channel, str(published)[:19], kind, snapshot, version,
                        tuple(store.find_article(str(number)).tags) if number else ())
    return found


def _hits(store: Store, queries: list[str]) -> dict[str, list[str]]:
    return {q: sorted(s.title for s in store.search(q, limit=200)) for q in queries}


QUERIES = ["第1", "篇", "时政", "民生 防控", "摘要2", "记者1", "疫情防控", "党员干部", "平城区村"]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(import_pipeline, "BATCH", 5)  # batch boundaries inside the test's few files


def test_numbers_revisions_and_search_equal_a_one_by_one_import(tmp_path, small_batches, caplog):
    files = _mixed_files(tmp_path / "files")
    stores = []
    for name in ("batch", "single"):
        database = open_database(str(tmp_path / f"{name}.sqlite3"))
        store = Store(database, user_name="tester")
        store.ensure_search_index()
        stores.append(store)
    batch, single = stores
    outcomes = list(import_items(batch, files, ImportOptions(create_channels=True, workers=1)))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    assert "importing them one at a time" not in caplog.text  # every batch went in whole
    for path in files:
        assert import_markdown_file(single, path, create_channels=True).ok
    assert _rows(batch) == _rows(single)
    numbers = sorted(row[0] for row in _rows(batch).values() if row[0] is not None)
    assert numbers[:3] == [1, 2, 3] and 100 in numbers and 250 in numbers and 251 in numbers  # 251: after 250
    assert _hits(batch, QUERIES) == _hits(single, QUERIES)
    assert any(_hits(batch, QUERIES).values())
    with batch.db.session() as a, single.db.session() as b:
        sql = "SELECT a.title, d.text_hash FROM search_docs d JOIN articles a ON a.id = d.article_id ORDER BY 1"
        assert a.execute(text(sql)).all() == b.execute(text(sql)).all()
    for store in stores:
        store.db.dispose()


READ_HERE: list[int] = []  # chunks read by the writer's process (a forked worker's calls stay in the worker)


def _counting_prepare(items, options):
    READ_HERE.append(len(items))
    return prepare_items(items, options)


def test_chunks_the_writer_reads_while_waiting_keep_their_place(tmp_path, monkeypatch):
    """One file per worker task and one task ahead: the writer reads the next files itself
    whenever the worker's are not ready, and the articles, numbers and revisions are still
    those of a one-by-one import, in file order."""
    monkeypatch.setattr(import_pipeline, "CHUNK", 1)
    monkeypatch.setattr(import_pipeline, "IN_FLIGHT", 0)
    monkeypatch.setattr(import_pipeline, "prepare_items", _counting_prepare)
    monkeypatch.setattr(import_pipeline.os, "cpu_count", lambda: 2)  # one worker leaves the writer a core
    READ_HERE.clear()
    files = _mixed_files(tmp_path / "files")
    batch = Store(open_database(str(tmp_path / "batch.sqlite3")), user_name="tester")
    single = Store(open_database(str(tmp_path / "single.sqlite3")), user_name="tester")
    outcomes = list(import_items(batch, files, ImportOptions(create_channels=True, workers=1)))
    assert [o.path for o in outcomes] == files and all(o.ok for o in outcomes)
    assert READ_HERE, "the writer never read a file while waiting"
    assert len(READ_HERE) < len(files)  # and the worker read the others
    for path in files:
        assert import_markdown_file(single, path, create_channels=True).ok
    assert _rows(batch) == _rows(single)
    for store in (batch, single):
        store.db.dispose()


def test_bad_files_fail_alone_and_by_name(store, tmp_path, small_batches):
    folder = tmp_path / "files"
    good = [_article(folder, i, number=10 + i) for i in range(8)]
    corrupt = folder / "corrupt.md"
    corrupt.write_bytes(b"---\ntitle: \xff\xfe\x00\x81\n---\n\x00\x01binary")
    huge = folder / "huge.md"
    huge.write_bytes(b"---\ntitle: big\n---\n" + b"a" * (MAX_FILE_BYTES + 1))
    front = write_markdown(folder, "front.md", front="title: [unclosed\n")
    taken = _article(folder, 90, number=12)  # number 12 is given to good[2] earlier in the same run
    missing = folder / "missing.md"
    items = [*good[:3], corrupt, huge, front, taken, good[3], good[3], missing, *good[4:]]
    outcomes = list(import_items(store, items, ImportOptions(create_channels=True, workers=1)))
    failed = {o.path.name: o.error for o in outcomes if not o.ok}
    assert set(failed) == {"corrupt.md", "huge.md", "front.md", "090.md", "missing.md"}
    for name, error in failed.items():
        assert error.startswith(str(folder / name)) and "\n" not in error
    assert "not UTF-8" in failed["corrupt.md"]
    assert "number 12 is already used" in failed["090.md"]
    assert "not valid YAML" in failed["front.md"]
    assert store.count_articles() == 8  # the file given twice is one article
    twice = [o for o in outcomes if o.path == good[3]]
    assert twice[0].article.id == twice[1].article.id and any("already" in w for w in twice[1].warnings)
    assert [o.path for o in outcomes] == [Path(p) for p in items]
    assert [s.title for s in store.search(_title(good[-1]))] == [_title(good[-1])]


def test_a_second_run_imports_nothing_twice(store, tmp_path, small_batches):
    files = _mixed_files(tmp_path / "files")
    first = list(import_items(store, files[:13], ImportOptions(create_channels=True, workers=0)))
    again = list(import_items(store, files, ImportOptions(create_channels=True, workers=0)))
    assert all(o.ok for o in first + again)
    assert store.count_articles() == len(files)
    assert [o.article.id for o in again[:13]] == [o.article.id for o in first]
    assert all(any("already" in w for w in o.warnings) for o in again[:13])


def test_channel_hint_and_missing_channel(store, tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    plain = write_markdown(folder, "plain.md", front="title: 无频道的稿件\nstatus: draft\n")
    unknown = _article(folder, 1, channel="nowhere")
    store.create_channel("local/city")
    outcomes = list(import_items(store, [ImportItem(plain, channel="local/city"), ImportItem(unknown)]))
    assert outcomes[0].ok and outcomes[0].article.channel_path == "local/city"
    assert not outcomes[1].ok and "unknown channel 'nowhere'" in outcomes[1].error


def _title(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0]


@pytest.mark.parametrize(("names", "dialect", "cores", "expected"), [
    (["a.md"] * 199, "sqlite", 2, 0),  # a few files: read in this process, no start-up of workers
    (["a.md"] * 1000, "sqlite", 2, 1),  # Markdown into SQLite: the writer is the slower side, keeps a core
    (["a.md"] * 1000, "sqlite", 1, 1),
    (["a.md"] * 1000, "sqlite", 8, 2),
    (["a.md"] * 999 + ["b.html"], "sqlite", 2, 2),  # portal pages: the workers are the slower side
    (["a.md"] * 1000, "postgresql", 2, 2),  # the server builds the index, not the writer
])
def test_workers_leave_the_writer_a_core_when_it_is_the_slower_side(names, dialect, cores, expected):
    items = [ImportItem(Path(name)) for name in names]
    assert import_pipeline.worker_count(None, items, dialect, cores) == expected
    assert import_pipeline.worker_count(0, items, dialect, cores) == 0  # asked for none: none
