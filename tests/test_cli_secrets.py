"""Real commands with a PostgreSQL URL carrying a password: it shows up in no file, log or output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dayuan_desktop.core.secrets import split_password

REPO_ROOT = str(Path(__file__).resolve().parents[1])  # the package under test, for subprocesses

pytestmark = pytest.mark.postgres

# Each password form a URL can carry it in; the trust-auth test server ignores them, so the
# good URLs connect and the bad ones fail for another reason (no such database, closed port).
PASSWORDS = ("Zq8/sl ash:x", "Pw%Enc9", "Hunt3r2Query")


def _urls(good_url: str, closed_port: int) -> list[tuple[str, list[str]]]:
    bare, _ = split_password(good_url)
    scheme_user, _, location = bare.rpartition("@")  # postgresql+psycopg://tester, 127.0.0.1:port/name
    host, _, _name = location.partition("/")

    def url(password_part: str, where: str = host, name: str = _name, query: str = "") -> str:
        return f"{scheme_user}{password_part}@{where}/{name}" + (f"?{query}" if query else "")

    in_user_part = url(":" + PASSWORDS[0])  # '/', ' ' and ':' as typed, not encoded
    encoded = url(":Pw%25Enc9")
    in_query = url("", query=f"password={PASSWORDS[2]}")
    closed = f"127.0.0.1:{closed_port}"
    return [
        (in_user_part, ["db", "upgrade"]),
        (in_user_part, ["list"]),
        (encoded, ["search", "防控"]),
        (in_query, ["list"]),
        (in_query, ["photo", "add", "1", "/nonexistent.jpg"]),
        (url(":" + PASSWORDS[0], name="no_such_database"), ["list"]),
        (url(":Pw%25Enc9", name="no_such_database"), ["db", "upgrade"]),
        (url("", where=closed, query=f"sslmode=disable&password={PASSWORDS[2]}"), ["list"]),
        (url(":" + PASSWORDS[0], where=closed), ["db", "check"]),
        (in_query.replace("postgresql+psycopg", "postgresql+nodriver"), ["list"]),
    ]


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _all_text_under(folder: Path) -> str:
    return "\n".join(path.read_bytes().decode("utf-8", "replace") for path in folder.rglob("*") if path.is_file())


def _leaks(text: str) -> list[str]:
    forms = {p for p in PASSWORDS} | {"Pw%25Enc9", "Zq8%2Fsl"}
    return [form for form in forms if form in text]


def test_no_password_in_any_file_log_or_output(postgres_url, tmp_path):
    root = tmp_path / "home"
    env = {**os.environ, "DAYUAN_DATA_DIR": str(root), "PYTHONPATH": REPO_ROOT}
    env.pop("DAYUAN_DB", None)
    outputs = []
    codes = []
    for url, command in _urls(postgres_url, _closed_port()):
        result = subprocess.run([sys.executable, "-m", "dayuan_desktop", "--db", url, *command],
                                capture_output=True, text=True, timeout=120, env=env)
        codes.append(result.returncode)
        outputs.append(result.stdout + result.stderr)
    # the same through $DAYUAN_DB
    env_db = {**env, "DAYUAN_DB": f"{split_password(postgres_url)[0]}?password={PASSWORDS[2]}"}
    result = subprocess.run([sys.executable, "-m", "dayuan_desktop", "list"], capture_output=True, text=True,
                            timeout=120, env=env_db)
    outputs.append(result.stdout + result.stderr)
    assert codes[:3] == [0, 0, 0] and all(code == 1 for code in codes[4:]), (codes, outputs)
    assert any("no_such_database" in out for out in outputs)  # failures still say what failed
    assert _leaks("\n".join(outputs)) == []
    logs = _all_text_under(root)
    assert "database: postgresql+psycopg://tester" in logs  # the log names the database…
    assert _leaks(logs) == []  # …without any of its passwords
