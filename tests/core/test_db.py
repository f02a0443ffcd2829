"""Opening databases: connection settings, schema upgrades with backups, refusals, copies, checks."""

from __future__ import annotations

import gzip
import json
import sqlite3
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from dayuan_desktop.core.config import load_settings
from dayuan_desktop.core.db import (
    SCHEMA_HEAD,
    Database,
    _alembic_config,
    make_engine,
    open_database,
    resolve_url,
)
from dayuan_desktop.core.errors import DatabaseError, SchemaTooNewError
from dayuan_desktop.core.models import Base
from dayuan_desktop.core.store import ArticleQuery, Store

OLD_ARTICLE_UUID = "7d8a3c52-3f0e-4a57-9d1e-5b0c6f1d2a11"


def sqlite_file_state(path: Path) -> dict[str, bytes]:
    """Every file of a SQLite database (main file, -wal, -shm) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


# -- connection settings -----------------------------------------------------------------------
def test_default_database_is_a_wal_file_in_the_injected_data_folder(isolated_user_folders: Path):
    settings = load_settings()
    path = settings.default_database_path
    assert path.is_relative_to(isolated_user_folders)  # never the real user's folder
    db = open_database(path, backup_dir=settings.backup_dir)
    try:
        assert path.is_file()
        with db.engine.connect() as first, db.engine.connect() as second:  # every pooled connection
            for conn in (first, second):
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        probe = sqlite3.connect(path)  # WAL is a property of the file: other programs see it too
        try:
            assert probe.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            probe.close()
    finally:
        db.dispose()


def test_foreign_keys_are_enforced(database: Database):
    with pytest.raises(IntegrityError), database.session(write=True) as session:
        session.execute(text("INSERT INTO article_tags (article_id, tag_id, position) VALUES (999, 999, 0)"))
    with database.session() as session:
        assert session.execute(text("SELECT COUNT(*) FROM article_tags")).scalar() == 0


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(DatabaseError, match="Cannot open"):
        open_database("postgresql://tester@127.0.0.1:1/nowhere")


def test_not_a_database_file_is_refused_and_kept(tmp_path: Path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes("这不是数据库，只是一段文字。".encode() * 200)
    before = sqlite_file_state(path)
    with pytest.raises(DatabaseError):
        open_database(path, backup_dir=tmp_path / "backups")
    assert sqlite_file_state(path) == before
    assert not (tmp_path / "backups").exists()


# -- schema upgrades ---------------------------------------------------------------------------
def make_old_database(url: str, dialect: str) -> None:
    """A database as the first release left it: schema 0001 with one article, no search index."""
    engine = make_engine(url)
    stamp = "2020-05-01 08:00:00" + ("+00:00" if dialect == "postgresql" else ".000000")
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0001")
            conn.execute(
                text(
                    "INSERT INTO articles (uuid, number, title, subtitle, author, source, summary, status, body, "
                    "comment_count, like_count, view_count, version, created_at, updated_at, updated_by, sort_key) "
                    "VALUES (:uuid, 4709, :title, '', '网络编辑', '大同', '', 'published', :body, 0, 0, 0, 1, "
                    f"'{stamp}', '{stamp}', 'old', 0)"
                ),
                {"uuid": OLD_ARTICLE_UUID, "title": "党旗飘扬筑起疫情防控钢铁长城", "body": "大同市各级党组织闻令而动。"},
            )
    finally:
        engine.dispose()


def test_older_sqlite_database_is_backed_up_then_upgraded(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    make_old_database(resolve_url(path), "sqlite")
    backups = tmp_path / "backups"

    db = open_database(path, backup_dir=backups)
    try:
        assert db.schema_state().current == SCHEMA_HEAD
        store = Store(db, user_name="tester")
        assert store.ensure_search_index() is True  # the old articles are indexed on first open
        for query in ("钢", "大同", "防控钢铁", "闻令而动"):
            assert [a.uuid for a in store.search(query)] == [OLD_ARTICLE_UUID], query
        article = store.find_article("4709")
        assert article.title == "党旗飘扬筑起疫情防控钢铁长城" and article.author == "网络编辑"
        store.update_article(article.id, {"summary": "升级后可以保存"}, expected_version=1)
        assert db.integrity_problems() == []
    finally:
        db.dispose()

    # the backup was written before anything changed: schema 0001, holding the article
    copies = list(backups.iterdir())
    assert len(copies) == 1 and copies[0].suffix == ".sqlite3" and "0001" in copies[0].name
    copy = sqlite3.connect(copies[0])
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert copy.execute("SELECT uuid, title FROM articles").fetchall() == [
            (OLD_ARTICLE_UUID, "党旗飘扬筑起疫情防控钢铁长城")
        ]
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "search_docs" not in tables
    finally:
        copy.close()

    # opening again: already current, no second backup
    open_database(path, backup_dir=backups).dispose()
    assert len(list(backups.iterdir())) == 1


@pytest.mark.postgres
def test_older_postgresql_database_is_dumped_then_upgraded(postgres_url: str, tmp_path: Path):
    make_old_database(postgres_url, "postgresql")
    backups = tmp_path / "backups"
    db = open_database(postgres_url, backup_dir=backups)
    try:
        assert db.schema_state().current == SCHEMA_HEAD
        store = Store(db, user_name="tester")
        store.ensure_search_index()
        assert [a.uuid for a in store.search("大同")] == [OLD_ARTICLE_UUID]
        assert [a.uuid for a in store.search("钢")] == [OLD_ARTICLE_UUID]
    finally:
        db.dispose()
    (dump,) = backups.iterdir()
    with gzip.open(dump, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    assert {"table": "alembic_version", "row": {"version_num": "0001"}} in rows
    articles = [r["row"] for r in rows if r["table"] == "articles"]
    assert [(a["uuid"], a["number"]) for a in articles] == [(OLD_ARTICLE_UUID, 4709)]


SCHEMA_0003_ARTICLES = [
    # (title, body, channel, published) as the release with schema 0003 stored them
    ("党旗飘扬筑起疫情防控钢铁长城", "大同市各级党组织闻令而动。", "gsyl", "2020-05-01 08:00:00"),
    ("古城墙灯光秀开幕", "COVID-19疫苗接种点设在城墙下，5G网络覆盖。", "gsyl", "2021-06-02 09:00:00"),
    ("北京新闻", "首都召开会议。", "news", "2022-07-03 10:00:00"),
]


def make_schema_0003_database(url: str, dialect: str) -> None:
    """A database as the release with schema 0003 left it: articles, channels and its search index.

    On SQLite that index was two FTS5 tables keyed by sort key plus a compressed copy of the
    text in ``search_docs``; its rows are written as that release wrote them.
    """
    import zlib

    engine = make_engine(url)
    suffix = "+00:00" if dialect == "postgresql" else ".000000"
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0003")
            for n, path in enumerate(("gsyl", "news"), start=1):
                conn.execute(
                    text("INSERT INTO channels (id, path, name, position) VALUES (:id, :path, :path, 0)"),
                    {"id": n, "path": path},
                )
            for n, (title, body, channel, stamp) in enumerate(SCHEMA_0003_ARTICLES, start=1):
                sort_key = (int(time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S"))) << 24) | n
                conn.execute(
                    text(
                        "INSERT INTO articles (id, uuid, number, channel_id, title, subtitle, author, source, summary, "
                        "status, body, comment_count, like_count, view_count, version, created_at, updated_at, "
                        "updated_by, published_at, sort_key) VALUES (:id, :uuid, :number, :channel, :title, '', "
                        "'网络编辑', '大同', '', 'published', :body, 0, 0, 0, 1, :stamp, :stamp, 'old', :stamp, :key)"
                    ),
                    {"id": n, "uuid": f"00000000-0000-4000-8000-00000000000{n}", "number": 4700 + n,
                     "channel": 1 if channel == "gsyl" else 2, "title": title, "body": body,
                     "stamp": stamp + suffix, "key": sort_key},
                )
                if dialect == "sqlite":
                    content = f"{title}\n{body}".casefold()
                    conn.execute(
                        text("INSERT INTO search_docs (article_id, fts_rowid, packed) VALUES (:id, :key, :packed)"),
                        {"id": n, "key": sort_key, "packed": zlib.compress(content.encode())},
                    )
                    conn.execute(text("INSERT INTO search_uni(rowid, t) VALUES (:key, :t)"),
                                 {"key": sort_key, "t": " ".join(set(title))})
                    conn.execute(text("INSERT INTO search_bi(rowid, t) VALUES (:key, :t)"),
                                 {"key": sort_key, "t": " ".join(a + b for a, b in zip(title, title[1:], strict=False))})
                else:
                    conn.execute(
                        text("INSERT INTO search_docs (article_id, content) VALUES (:id, :content)"),
                        {"id": n, "content": f"{title}\n{body}".casefold()},
                    )
            conn.execute(text("INSERT INTO app_meta (key, value) VALUES ('search_format', '3')"))
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_schema_0003_database_with_articles_is_upgraded_and_reindexed(backend, request, tmp_path: Path):
    url = resolve_url(tmp_path / "v3.sqlite3") if backend == "sqlite" else request.getfixturevalue("postgres_url")
    make_schema_0003_database(url, backend)
    backups = tmp_path / "backups"
    db = open_database(url, backup_dir=backups)
    try:
        assert db.schema_state().current == SCHEMA_HEAD == "0010"
        with db.engine.connect() as conn:
            tables = set(conn.execute(text(
                "SELECT name FROM sqlite_master" if backend == "sqlite"
                else "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )).scalars())
            assert conn.execute(text("SELECT count(*) FROM app_meta WHERE key = 'search_format'")).scalar() == 0
        if backend == "sqlite":
            assert "search_grams" in tables and "article_redirects" in tables and not {"search_uni", "search_bi"} & tables
        store = Store(db, user_name="tester")
        assert store.ensure_search_index() is True  # the old index format is rebuilt on first open
        titles = {
            query: [a.title for a in store.search(query)]
            for query in ("钢", "大同", "防控钢铁", "闻令而动", "城墙", "covid-19", "5g网络", "北京", "首都召开会议。", "大城")
        }
        assert titles == {
            "钢": ["党旗飘扬筑起疫情防控钢铁长城"],
            "大同": ["党旗飘扬筑起疫情防控钢铁长城"],
            "防控钢铁": ["党旗飘扬筑起疫情防控钢铁长城"],
            "闻令而动": ["党旗飘扬筑起疫情防控钢铁长城"],
            "城墙": ["古城墙灯光秀开幕"],
            "covid-19": ["古城墙灯光秀开幕"],
            "5g网络": ["古城墙灯光秀开幕"],
            "北京": ["北京新闻"],
            "首都召开会议。": ["北京新闻"],
            "大城": [],
        }
        assert [a.title for a in store.search("。")] == ["北京新闻", "古城墙灯光秀开幕", "党旗飘扬筑起疫情防控钢铁长城"]
        page = store.list_articles(ArticleQuery(channel_path="gsyl"))
        assert page.total == 2 and {a.title for a in page.items} == {"古城墙灯光秀开幕", "党旗飘扬筑起疫情防控钢铁长城"}
        # edits after the upgrade keep the new index in step
        old = store.find_article("4701")
        store.update_article(old.id, {"body": "太原市各级党组织闻令而动。"}, expected_version=1)
        assert store.search("大同") == [] and [a.id for a in store.search("太原市")] == [old.id]
        assert db.integrity_problems() == []
    finally:
        db.dispose()
    assert len(list(backups.iterdir())) == 1  # written before the upgrade


def set_schema_version(path: Path, version: str, *, journal_mode: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE alembic_version SET version_num = ?", (version,))
        conn.commit()
        conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    finally:
        conn.close()


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])  # delete: e.g. a copy made by 'backup'
@pytest.mark.parametrize("upgrade", [True, False])
def test_newer_sqlite_database_is_refused_and_left_byte_for_byte(tmp_path: Path, journal_mode, upgrade):
    path = tmp_path / "newer.sqlite3"
    db = open_database(path)
    Store(db, user_name="tester").create_article(title="新版本写的文章")
    db.dispose()
    set_schema_version(path, "9999", journal_mode=journal_mode)
    before = sqlite_file_state(path)

    with pytest.raises(SchemaTooNewError) as caught:
        open_database(path, backup_dir=tmp_path / "backups", upgrade=upgrade)
    message = str(caught.value)
    assert "9999" in message and SCHEMA_HEAD in message
    assert sqlite_file_state(path) == before
    assert not (tmp_path / "backups").exists()


@pytest.mark.postgres
def test_newer_postgresql_database_is_refused_unchanged(postgres_url: str, tmp_path: Path):
    db = open_database(postgres_url)
    with db.session(write=True) as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    with pytest.raises(SchemaTooNewError, match=f"9999.*{SCHEMA_HEAD}|{SCHEMA_HEAD}.*9999"):
        open_database(postgres_url, backup_dir=tmp_path / "backups")
    assert not (tmp_path / "backups").exists()
    check = make_engine(postgres_url)
    try:
        with check.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    finally:
        check.dispose()


def test_sqlite_file_of_another_program_is_refused_and_kept(tmp_path: Path):
    path = tmp_path / "accounts.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('张三')")
    conn.commit()
    conn.close()
    before = sqlite_file_state(path)
    with pytest.raises(DatabaseError) as caught:
        open_database(path, backup_dir=tmp_path / "backups")
    assert "customers" in str(caught.value) and "not a Dayuan Desktop database" in str(caught.value)
    assert sqlite_file_state(path) == before


# -- backups and checks ------------------------------------------------------------------------
@pytest.fixture
def sqlite_store(tmp_path: Path):
    db = open_database(tmp_path / "desk.sqlite3", backup_dir=tmp_path / "backups")
    store = Store(db, user_name="tester")
    store.ensure_search_index()
    yield store
    db.dispose()


def test_backup_is_consistent_while_someone_is_writing(sqlite_store: Store, tmp_path: Path):
    store = sqlite_store
    committed = store.create_article(title="已经保存的稿件", body="大同")
    writer = sqlite3.connect(store.db.sqlite_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE articles SET title = '没有保存的修改'")
        writer.execute(
            "INSERT INTO channels (path, name, position) VALUES ('half-written', 'half', 0)"
        )
        target = tmp_path / "copies" / "backup.sqlite3"
        started = time.monotonic()
        store.db.backup_to(target)
        assert time.monotonic() - started < 5  # did not wait for the writer to finish
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT title FROM articles").fetchall() == [("已经保存的稿件",)]
        assert copy.execute("SELECT COUNT(*) FROM channels").fetchone()[0] == 0
    finally:
        copy.close()
    assert not target.with_name(target.name + ".partial").exists()
    reopened = open_database(target)  # the copy is a working database of its own
    try:
        found = Store(reopened, user_name="tester").search("大同")
        assert [a.uuid for a in found] == [committed.uuid]
        assert reopened.integrity_problems() == []
    finally:
        reopened.dispose()
    with pytest.raises(DatabaseError, match="itself"):
        store.db.backup_to(store.db.sqlite_path)


@pytest.mark.postgres
def test_backup_of_a_server_database_says_what_to_use(postgres_url: str, tmp_path: Path):
    db = open_database(postgres_url)
    try:
        with pytest.raises(DatabaseError, match="pg_dump"):
            db.backup_to(tmp_path / "copy.sqlite3")
        assert not (tmp_path / "copy.sqlite3").exists()
    finally:
        db.dispose()


def test_healthy_database_has_no_integrity_problems(store: Store):
    photo = store.photos.add_photo(b"jpeg", format="JPEG", width=1, height=1, caption="图为城墙。")
    article = store.create_article(title="检查", tags=["健康"], body="正文")
    store.photos.set_article_photos(article.id, [photo.sha256])
    store.trash_article(article.id)
    store.purge_article(article.id)
    store.create_article(title="还在")
    assert store.db.integrity_problems() == []


def test_broken_foreign_key_is_reported(sqlite_store: Store):
    store = sqlite_store  # (PostgreSQL never lets a broken foreign key in)
    store.create_article(title="正常")
    raw = sqlite3.connect(store.db.sqlite_path)
    try:
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("INSERT INTO article_tags (article_id, tag_id, position) VALUES (424242, 1, 0)")
        raw.commit()
    finally:
        raw.close()
    problems = store.db.integrity_problems()
    assert problems and any("article_tags" in p for p in problems)


# -- models and migrations agree ---------------------------------------------------------------
# SQLite-only covering indexes for the export's plan (migration 0005), not part of the models.
_SQLITE_ONLY_INDEXES = ("ix_articles_export_rows", "ix_photos_export_rows")


def _not_search_index(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "index" and name in _SQLITE_ONLY_INDEXES:
        return False
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
    return not (table or "").startswith("search_")


def test_models_match_the_migrations(database: Database):
    with database.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _not_search_index}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


OPEN_NEW = "import sys; from dayuan_desktop.core.db import open_database; open_database(sys.argv[1]).dispose()"


def test_processes_opening_one_new_database_at_once_all_open_it(tmp_path):
    """Four commands create the same new SQLite file at the same moment (two imports started
    on a new archive): each waits its turn for the schema and for the switch to WAL; none
    fails with "database is locked" (about one in three did)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    for attempt in range(4):
        path = tmp_path / f"new-{attempt}.sqlite3"
        runs = [subprocess.Popen([sys.executable, "-c", OPEN_NEW, str(path)], cwd=root, stderr=subprocess.PIPE,
                                 text=True) for _ in range(4)]
        errors = [run.communicate(timeout=120)[1] for run in runs]
        assert [run.returncode for run in runs] == [0, 0, 0, 0], errors
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1


def test_a_wal_switch_that_never_gets_the_file_is_a_clear_error_and_changes_nothing(tmp_path, monkeypatch):
    """Another program keeps a read open on a database in rollback-journal mode: the switch to WAL
    is tried until the busy timeout, then the open fails with the usual one-line error; once the
    reader is gone the same file opens, its articles intact."""
    from dayuan_desktop.core import db as db_module

    path = tmp_path / "held.sqlite3"
    store = Store(open_database(str(path)), user_name="tester")
    store.create_article(title="留在库里的稿件")
    store.db.dispose()
    with sqlite3.connect(path) as plain:
        assert plain.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM articles").fetchone()  # a shared lock, held
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 300)
    with pytest.raises(DatabaseError, match=r"Cannot open .*database is locked"):
        open_database(str(path))
    reader.execute("ROLLBACK")
    reader.close()
    reopened = open_database(str(path))
    try:
        assert [a.title for a in Store(reopened, user_name="tester").list_articles(ArticleQuery()).items] == [
            "留在库里的稿件"]
    finally:
        reopened.dispose()
    with sqlite3.connect(path) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
