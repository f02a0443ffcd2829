"""Opening the other side of a sync (the newsroom's server URL or a SQLite file) as a store."""

from __future__ import annotations

from pathlib import Path

from dayuan_desktop.core.errors import DatabaseError
from dayuan_desktop.core.secrets import remember_secret, split_password


def open_peer(target: str, *, user_name: str, backup_dir: Path | None = None):
    """The other side's store; a missing file, a file that is not a database or a newer one: one-line error.

    A SQLite path must name an existing file: opening would create an empty database there, and
    a typo must not. The password in a URL is masked from every message from now on.
    """
    from dayuan_desktop.core.db import open_database
    from dayuan_desktop.core.store import Store

    remember_secret(split_password(target)[1] or "")
    if "://" not in target:
        path = Path(target).expanduser()
        if not path.is_file():
            raise DatabaseError(f"{path}: no such database file")
    database = open_database(target, backup_dir=backup_dir)
    store = Store(database, user_name=user_name)
    store.ensure_search_index()
    return store
