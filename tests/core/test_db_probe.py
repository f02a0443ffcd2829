"""Probing a database before switching to it: reachable or a one-line reason; nothing changed."""

from __future__ import annotations

import socket

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.db_probe import probe_database, with_connect_timeout
from dayuan_desktop.core.errors import DatabaseError


@pytest.mark.postgres
def test_a_reachable_server_is_described(postgres_url):
    result = probe_database(postgres_url)
    assert result.dialect == "postgresql" and result.schema == "empty"
    assert result.server_version.split(".")[0].isdigit()
    open_database(postgres_url).dispose()
    assert probe_database(postgres_url).schema == "current"


def test_an_unreachable_server_is_one_line():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DatabaseError) as caught:
        probe_database(f"postgresql://nobody@127.0.0.1:{port}/dayuan")
    message = str(caught.value)
    assert "\n" not in message and "Cannot open" in message and str(port) in message
    assert message.startswith(f"Cannot open postgresql+psycopg://nobody@127.0.0.1:{port}/dayuan: ")  # no timeout


def test_a_sqlite_file_is_not_created_by_probing(tmp_path):
    missing = tmp_path / "new.sqlite3"
    assert probe_database(str(missing)).schema == "empty"
    assert not missing.exists()
    open_database(missing).dispose()
    assert probe_database(str(missing)).schema == "current"


def test_the_timeout_is_added_once_and_only_for_postgresql():
    url = with_connect_timeout("postgresql://editor:secret@server/dayuan")
    assert url.endswith("connect_timeout=5") and url.startswith("postgresql+psycopg://editor:secret@")
    assert with_connect_timeout(url) == url
    assert "connect_timeout" not in with_connect_timeout("/tmp/x.sqlite3")
