"""Opening a database: URL resolution, engine settings, schema upgrades, backups, checks."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session

from dayuan_desktop.core.errors import DatabaseError, SchemaTooNewError
from dayuan_desktop.core.markers import SCHEMA_HEAD  # the newest migration's id (bump it with a new one)
from dayuan_desktop.core.secrets import mask_secrets

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 10_000


def resolve_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a file path or URL; PostgreSQL URLs get the psycopg 3 driver."""
    value = str(target)
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().resolve())
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise DatabaseError(f"'{value}' is neither a file path nor a database URL.") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _configure_sqlite(dbapi_connection, _record) -> None:
    # The pysqlite driver opens its own transactions; let SQLAlchemy's BEGIN do it instead so
    # that PRAGMAs below run outside a transaction and savepoints behave.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    # journal_mode = WAL is not set here: it rewrites the file header, and a database that is
    # refused (newer schema, not ours) must stay byte for byte as it was. open_database sets
    # it (it persists in the file) once the database is accepted.
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _begin_sqlite(conn) -> None:
    # IMMEDIATE takes the write lock up front, so two writers wait (busy timeout) instead of
    # failing half-way with "database is locked" on the upgrade from read to write.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("dayuan_write") else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine with the app's connection settings (WAL, foreign keys, busy timeout on SQLite)."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        database = sa_url.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, json_serializer=_json_text)
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json_text)


def _json_text(value) -> str:
    # Chinese as UTF-8, not \uXXXX escapes: revision snapshots are about half the size.
    return json.dumps(value, ensure_ascii=False)


def _alembic_config(connection=None):
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema version the migration scripts define."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


@dataclass(frozen=True)
class SchemaState:
    """What the database says about its schema before anything is changed."""

    current: str | None  # None: an empty database
    head: str
    known: bool  # the current version is one this app's migrations know

    @property
    def needs_upgrade(self) -> bool:
        return self.known and self.current != self.head


class Database:
    """One open database: an engine plus a session factory. Workers open their own sessions."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        # Same pool; on SQLite its transactions start with BEGIN IMMEDIATE (see _begin_sqlite).
        self.write_engine = engine.execution_options(dayuan_write=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def sqlite_path(self) -> Path | None:
        """The file behind a SQLite database, or None for a server database."""
        if self.dialect != "sqlite":
            return None
        database = make_url(self.url).database
        return Path(database) if database and database != ":memory:" else None

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session for one unit of work; committed on success, rolled back on error."""
        with Session(self.write_engine if write else self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def describe(self) -> str:
        """The database's URL with any password hidden (``?password=`` too), for messages."""
        return mask_secrets(make_url(self.url).render_as_string(hide_password=True))

    def schema_state(self) -> SchemaState:
        """Read the schema version without changing anything."""
        with self.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            current = None
            if "alembic_version" in tables:
                current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            elif tables:
                raise DatabaseError(
                    f"{self.describe()} holds tables ({', '.join(sorted(tables)[:5])}…) but is not a "
                    "Dayuan Desktop database; choose another file or an empty database."
                )
        if current == SCHEMA_HEAD:
            return SchemaState(current=current, head=SCHEMA_HEAD, known=True)
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(_alembic_config())
        try:
            known = current is None or script.get_revision(current) is not None
        except Exception:  # alembic raises several kinds for an unknown id
            known = False
        return SchemaState(current=current, head=script.get_current_head(), known=known)

    def upgrade(self, backup_dir: Path | None) -> Path | None:
        """Bring the schema to this app's version; returns the backup written first, if any."""
        state = self.schema_state()
        if not state.known:
            raise SchemaTooNewError(
                f"This database has schema version {state.current}, which is newer than the "
                f"newest this Dayuan Desktop knows ({state.head}); update Dayuan Desktop to open it."
            )
        if not state.needs_upgrade:
            return None
        backup = None
        if state.current is not None and backup_dir is not None:
            backup = self.backup_before_upgrade(backup_dir, state.current)
        from alembic import command

        # The write lock up front (SQLite: BEGIN IMMEDIATE): two commands opening a new database at
        # once both read its version first, and the second's upgrade from reading to writing failed
        # at once with "database is locked". Now it waits, then finds the schema current.
        with self.engine.connect() as conn, conn.execution_options(dayuan_write=True).begin():
            command.upgrade(_alembic_config(conn), "head")
        return backup

    def backup_before_upgrade(self, backup_dir: Path, from_version: str) -> Path:
        """A copy of everything, written before a schema upgrade changes anything."""
        backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        if self.sqlite_path is not None:
            target = backup_dir / f"{self.sqlite_path.stem}-schema{from_version}-{stamp}.sqlite3"
            self.backup_to(target)
            return target
        target = backup_dir / f"database-schema{from_version}-{stamp}.json.gz"
        self.dump_json(target)
        return target

    def backup_to(self, target: Path) -> None:
        """A consistent online copy of a SQLite database (SQLite's backup API) to ``target``."""
        source_path = self.sqlite_path
        if source_path is None:
            raise DatabaseError(
                "backup copies SQLite files only; for a PostgreSQL server use pg_dump "
                "(or 'dayuan-desktop export-md' for the articles)."
            )
        target = Path(target)
        if target.resolve() == source_path.resolve():
            raise DatabaseError("The backup file cannot be the database itself.")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        source = sqlite3.connect(str(source_path), timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            dest = sqlite3.connect(str(partial))
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
        finally:
            source.close()
        shutil.move(str(partial), str(target))

    def dump_json(self, target: Path) -> None:
        """Every table's rows as gzip-compressed JSON lines (a server database's pre-upgrade copy)."""
        partial = target.with_name(target.name + ".partial")
        with self.engine.connect() as conn, gzip.open(partial, "wt", encoding="utf-8") as out:
            for table in inspect(conn).get_table_names():
                for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                    out.write(json.dumps({"table": table, "row": dict(row._mapping)}, default=_json_default))
                    out.write("\n")
        shutil.move(str(partial), str(target))

    def integrity_problems(self) -> list[str]:
        """Problems found by the database's own checks; an empty list means healthy."""
        problems: list[str] = []
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
                problems += [r for r in rows if r != "ok"]
                problems += [
                    f"foreign key broken: {r[0]} row {r[1]} → {r[2]}"
                    for r in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                ]
                for table in ("search_grams",):
                    try:
                        conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
                    except OperationalError as exc:
                        problems.append(f"search index {table}: {exc.orig}")
            else:
                conn.execute(text("SELECT 1"))
        return problems

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        import base64

        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _use_wal(connection: sqlite3.Connection) -> None:
    """Put the file in WAL mode (it stays so). The switch needs the file to itself, and SQLite
    does not wait for that (no busy handler): with other commands opening a new database at the
    same moment it failed at once with "database is locked", so it is tried again until the busy
    timeout has passed."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def open_database(target: str | Path, *, backup_dir: Path | None = None, upgrade: bool = True) -> Database:
    """Open (and by default create or upgrade) the database at a path or URL.

    Raises :class:`SchemaTooNewError` without changing anything when the database was
    written by a newer app, and :class:`DatabaseError` when it cannot be reached.
    """
    url = resolve_url(target)
    try:
        database = Database(url, make_engine(url))
    except ArgumentError as exc:
        shown = mask_secrets(make_url(url).render_as_string(hide_password=True))
        raise DatabaseError(f"Cannot use database URL {shown}: {mask_secrets(exc)}") from exc
    except ModuleNotFoundError as exc:
        raise DatabaseError(f"No driver for {make_url(url).drivername}: {exc.name} is not installed.") from exc
    try:
        if upgrade:
            database.upgrade(backup_dir)
        else:
            state = database.schema_state()
            if not state.known:
                raise SchemaTooNewError(
                    f"This database has schema version {state.current}, which is newer than the "
                    f"newest this Dayuan Desktop knows ({state.head}); update Dayuan Desktop to open it."
                )
        if database.dialect == "sqlite":
            raw = database.engine.raw_connection()
            try:
                _use_wal(raw.driver_connection)
            finally:
                raw.close()
    except (DBAPIError, sqlite3.OperationalError) as exc:
        database.dispose()
        cause = getattr(exc, "orig", exc)
        reason = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        raise DatabaseError(f"Cannot open {database.describe()}: {mask_secrets(reason)}") from exc
    except BaseException:
        database.dispose()
        raise
    return database
