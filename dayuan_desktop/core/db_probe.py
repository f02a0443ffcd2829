"""Trying a database before switching to it: can it be reached, and what state is its schema in?

Nothing is created or changed: the database is opened without the upgrade step and
closed again (a SQLite file that does not exist yet is reported as empty, not created). Preferences' "Test connection" runs this off the UI thread.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from dayuan_desktop.core.db import open_database, resolve_url
from dayuan_desktop.core.errors import DatabaseError
from dayuan_desktop.core.secrets import mask_secrets

CONNECT_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class ProbeResult:
    """What a successful connection found."""

    description: str  # the URL without its password
    dialect: str  # "postgresql" or "sqlite"
    server_version: str  # "15.6" for a server, the SQLite library version for a file
    schema: str  # "empty", "current" or "upgrade" (opening it will upgrade it, after a backup)


def server_url_problem(text: str) -> str:
    """Why ``text`` is not a PostgreSQL URL with a host and a database name ("" when it is)."""
    value = text.strip()
    if not value:
        return "empty"
    try:
        url = make_url(value)
    except (ArgumentError, ValueError):
        return "malformed"
    if url.get_backend_name() != "postgresql":
        return "not postgresql"
    if not url.host or not url.database:
        return "incomplete"
    return ""


def with_connect_timeout(target: str, seconds: int = CONNECT_TIMEOUT_SECONDS) -> str:
    """The URL with a connection timeout for PostgreSQL (a wrong host must not hang the test for minutes)."""
    url = resolve_url(target)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:  # resolve_url let it through, but be sure
        raise DatabaseError(f"'{target}' is not a database URL.") from exc
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        parsed = parsed.update_query_dict({"connect_timeout": str(seconds)})
    return parsed.render_as_string(hide_password=False)


def probe_database(target: str | Path) -> ProbeResult:
    """Connect to the database at a URL or path and report on it; raises DatabaseError (one line) if not."""
    url = with_connect_timeout(str(target))
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        # Opening would create the file; a file that is not there yet is simply an empty database.
        return ProbeResult(mask_secrets(parsed.render_as_string(hide_password=True)), "sqlite", sqlite3.sqlite_version, "empty")
    try:
        database = open_database(url, upgrade=False)
    except DatabaseError as exc:
        # Name the database as the user wrote it, without the timeout added here.
        shown = mask_secrets(make_url(resolve_url(str(target))).render_as_string(hide_password=True))
        added = mask_secrets(parsed.render_as_string(hide_password=True))
        raise DatabaseError(mask_secrets(str(exc)).replace(added, shown)) from exc
    try:
        state = database.schema_state()
        version = database.engine.dialect.server_version_info or ()
        return ProbeResult(
            description=database.describe(),
            dialect=database.dialect,
            server_version=".".join(str(part) for part in version),
            schema="empty" if state.current is None else ("upgrade" if state.needs_upgrade else "current"),
        )
    finally:
        database.dispose()
