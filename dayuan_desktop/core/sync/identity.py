"""A database's stable identity: a uuid made once and kept in ``app_meta``.

Migration 0007 writes it; a database whose row is missing (written by hand, restored from a
partial dump) gets one here on first use. Two processes racing to make it both end with the
row that reached the database first.
"""

from __future__ import annotations

import uuid as uuid_module

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from dayuan_desktop.core.db import Database

DATABASE_ID_KEY = "database_id"
_READ = text("SELECT value FROM app_meta WHERE key = :k")


def database_id(database: Database) -> str:
    """This database's identity (created and stored the first time it is asked for)."""
    with database.session() as session:
        current = session.execute(_READ, {"k": DATABASE_ID_KEY}).scalar()
    if current:
        return current
    try:
        with database.session(write=True) as session:
            session.execute(
                text("INSERT INTO app_meta (key, value) VALUES (:k, :v)"),
                {"k": DATABASE_ID_KEY, "v": str(uuid_module.uuid4())},
            )
    except IntegrityError:
        pass  # another process stored one first: that one is the identity
    with database.session() as session:
        return session.execute(_READ, {"k": DATABASE_ID_KEY}).scalar()
