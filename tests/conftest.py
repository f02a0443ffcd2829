"""Shared fixtures: injected user folders, a throw-away PostgreSQL server, and a store per backend.

The PostgreSQL server is real: the session starts it with ``initdb`` + ``pg_ctl`` in a
temporary folder on a free port and stops it at the end. When the binaries are missing the
PostgreSQL runs are skipped locally (with the reason), but fail under CI (``CI`` is set):
the store must be proven on both backends before anything ships.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from dayuan_desktop.core.db import Database, open_database
from dayuan_desktop.core.store import Store
from tests.watchdog import clean_up_when_gone

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
PG_USER = "tester"
PG_OS_USER = "postgres"  # initdb and postgres refuse to run as root; they run as this user then


# -- user folders ------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch) -> Path:
    """Point every settings/data folder at a temporary one: tests never touch the real user's."""
    root = tmp_path_factory.mktemp("user-home")
    monkeypatch.setenv("DAYUAN_DATA_DIR", str(root / "dayuan"))
    monkeypatch.delenv("DAYUAN_DB", raising=False)
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(root / name.lower()))
    return root / "dayuan"


# -- PostgreSQL server -------------------------------------------------------------------------
@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def admin_conninfo(self) -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname=postgres"


def _find_postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl (PATH first, then Debian's versioned folders)."""
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)

    def version(folder: str) -> tuple[int, ...]:
        number = Path(folder).parent.name
        return tuple(int(part) for part in number.split(".") if part.isdigit())

    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        candidates.append(Path(folder))
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fast_temp_root() -> str | None:
    """A RAM-backed folder for the throw-away cluster when there is room (CREATE DATABASE is ~20x
    faster there than on an overlay disk); otherwise the usual temp folder."""
    shm = "/dev/shm"
    try:
        if os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= 1024**3:
            return shm
    except OSError:
        pass
    return None


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for this test session, in a temporary folder on a free port."""
    bin_dir = _find_postgres_bin()
    if bin_dir is None:
        _unavailable("initdb/pg_ctl not found on PATH or under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        try:
            owner = pwd.getpwnam(PG_OS_USER)
        except KeyError:
            _unavailable(f"running as root and there is no '{PG_OS_USER}' system user to run the server as")
        prefix = ["runuser", "-u", PG_OS_USER, "--"]
    base = Path(tempfile.mkdtemp(prefix="dayuan-pg-", dir=_fast_temp_root()))
    if as_root:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data = base / "data"
    log = base / "server.log"

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*prefix, *args], cwd=base, check=check, capture_output=True, text=True, timeout=120
        )

    started = False
    try:
        try:
            run(
                str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", PG_USER,
                "--locale=C.UTF-8", "-E", "UTF8", "--no-sync",
            )
        except subprocess.CalledProcessError as exc:
            pytest.fail(f"initdb failed:\n{exc.stdout}\n{exc.stderr}", pytrace=False)
        port = 0
        for _attempt in range(5):  # another process may take the free port before the server does
            port = _free_port()
            options = (
                f"-p {port} -k {base} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            result = run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start",
                         check=False)
            if result.returncode == 0:
                started = True
                break
        if not started:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            pytest.fail(f"pg_ctl start failed:\n{result.stdout}\n{result.stderr}\n{server_log}", pytrace=False)
        # A run killed by SIGTERM/SIGKILL runs no teardown: this stops the server once pytest is gone.
        watchdog = clean_up_when_gone([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                                      base)
        yield PostgresServer(host="127.0.0.1", port=port, user=PG_USER)
    finally:
        if started:
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop", check=False)
            watchdog.kill()
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def _fresh_postgres_database(server: PostgresServer) -> Iterator[str]:
    import psycopg

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server.admin_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.url(name)
    finally:
        with psycopg.connect(server.admin_conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    with _fresh_postgres_database(postgres_server) as url:
        yield url


# -- databases and stores ----------------------------------------------------------------------
@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, request, tmp_path: Path) -> str:
    """The URL of a fresh database on the backend under test (SQLite: a real file)."""
    if backend == "sqlite":
        return str(tmp_path / "newsroom.sqlite3")
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="module", params=BACKENDS)
def module_database_url(request, tmp_path_factory) -> Iterator[str]:
    """A fresh database shared by one test module (for read-only tests over a fixed corpus)."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("module-db") / "shared.sqlite3")
        return
    with _fresh_postgres_database(request.getfixturevalue("postgres_server")) as url:
        yield url


@pytest.fixture
def database(database_url: str, tmp_path: Path) -> Iterator[Database]:
    db = open_database(database_url, backup_dir=tmp_path / "backups")
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def store(database: Database) -> Store:
    store = Store(database, user_name="tester")
    store.ensure_search_index()
    return store
