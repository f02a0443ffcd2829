"""Database maintenance: db upgrade, db check, db reindex, backup."""

from __future__ import annotations

import argparse
import sys

from dayuan_desktop.cli.common import EXIT_FAILURE, EXIT_OK, database_target
from dayuan_desktop.core.config import Settings
from dayuan_desktop.core.logs import log


def upgrade_schema(args: argparse.Namespace, settings: Settings) -> int:
    """``db upgrade``: bring the schema to this version (opens the database itself, without upgrading on open)."""
    from dayuan_desktop.core.db import open_database

    database = open_database(database_target(args, settings), upgrade=False)
    log.info("database: %s", database.describe())
    try:
        state = database.schema_state()
        backup = database.upgrade(settings.backup_dir)
        if state.needs_upgrade or state.current is None:
            print(f"schema upgraded from {state.current or 'empty'} to {state.head}")
            if backup is not None:
                print(f"backup written first: {backup}")
        else:
            print(f"schema already at {state.head}; nothing to do")
    finally:
        database.dispose()
    return EXIT_OK


def check_database(args: argparse.Namespace, store, settings: Settings) -> int:
    """``db check``: the database's own checks, the search index, bodies against photos; exit 1 on a problem."""
    from dayuan_desktop.core.photos.consistency import photo_inconsistencies

    problems = store.db.integrity_problems()
    problems += photo_inconsistencies(store.db)
    for problem in problems:
        print(f"problem: {problem}")
    print("database OK" if not problems else f"{len(problems)} problem(s) found")
    return EXIT_FAILURE if problems else EXIT_OK


def rebuild_search_index(args: argparse.Namespace, store, settings: Settings) -> int:
    """``db reindex``: rebuild the search index from every article (one transaction: all or nothing)."""
    from dayuan_desktop.cli.export import ProgressBar

    bar = ProgressBar(sys.stderr)
    try:
        count = store.rebuild_search_index(lambda done, total: bar.update(done, total, "articles indexed"))
    finally:
        bar.close()
    print(f"search index rebuilt for {count} article(s)")
    return EXIT_OK


def backup_database(args: argparse.Namespace, store, settings: Settings) -> int:
    """``backup``: a consistent copy of the SQLite database, written while it stays open."""
    store.db.backup_to(args.file)
    print(f"backup written to {args.file} ({args.file.stat().st_size:,} bytes)")
    return EXIT_OK
