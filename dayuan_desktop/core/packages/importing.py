"""Importing a package: check it, build it as a throw-away database, and sync from that (receive only).

The package is the sender's database in small: the materialized store takes the sender's
identity, so the bases this import records are found by the next import of the same package
(nothing changes the second time) and by a later sync with the sender itself.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from dayuan_desktop.core.packages.limits import PackageError, PackageLimits
from dayuan_desktop.core.packages.materialize import materialize
from dayuan_desktop.core.packages.reading import read_package
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.summary import SyncSummary

Progress = Callable[[int, int, str], None]


def import_package(
    store: Store,
    path: Path,
    *,
    work_dir: Path | None = None,
    limits: PackageLimits | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> SyncSummary:
    """Merge the package at ``path`` into ``store`` by the sync rules; PackageError (one line) if it is bad.

    Nothing is written to ``store`` before the package has passed every check and been built as
    a database; every temporary file (inside ``work_dir``, default the system's) is removed,
    whatever happens.
    """
    from dayuan_desktop.core.sync.engine import sync_stores

    with tempfile.TemporaryDirectory(prefix="dayuan-import-", dir=work_dir) as temporary:
        package = read_package(Path(path), Path(temporary), limits=limits)
        if package.sender == store.database_id:
            raise PackageError(f"{Path(path).name} was made from this database: there is nothing to import")
        sender = materialize(package, Path(temporary) / "pkg.sqlite3", user_name=store.user_name)
        try:
            return sync_stores(store, sender, receive_only=True, progress=progress, cancel=cancel)
        finally:
            sender.db.dispose()  # the file goes with the folder; Windows would refuse it while open
