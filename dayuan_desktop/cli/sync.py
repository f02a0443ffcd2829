"""``sync``: exchange articles and photos with another database (the newsroom's server or a file)."""

from __future__ import annotations

import argparse
import sys

from dayuan_desktop.cli.articles import _parse_date
from dayuan_desktop.cli.common import EXIT_OK, UsageError
from dayuan_desktop.core.config import Settings
from dayuan_desktop.core.secrets import mask_secrets


def open_other_store(target: str, settings: Settings, user_name: str):
    """The other side's store (see :func:`dayuan_desktop.core.sync.peer.open_peer`)."""
    from dayuan_desktop.core.sync.peer import open_peer

    return open_peer(target, user_name=user_name, backup_dir=settings.backup_dir)


def sync_with(args: argparse.Namespace, store, settings: Settings) -> int:
    """Sync this database with ``--with``; progress on stderr, the summary as the last line."""
    from dayuan_desktop.core.sync.engine import sync_stores
    from dayuan_desktop.core.sync.scope import SyncScope

    user = args.user if args.user is not None else store.user_name
    scope = SyncScope(user=user, channel=args.channel, since=_parse_date(args.since, settings))
    if args.channel is not None:
        from dayuan_desktop.core.validation import check_channel_path

        try:
            check_channel_path(args.channel)
        except Exception as exc:
            raise UsageError(str(exc)) from None
    other = open_other_store(args.other, settings, store.user_name)
    try:
        print(f"syncing {store.db.describe()} with {other.db.describe()}", file=sys.stderr)
        progress = SyncProgress(sys.stderr)
        summary = sync_stores(store, other, scope=scope, progress=progress.update)
    finally:
        other.db.dispose()
    for line in summary.details():
        print(mask_secrets(line))
    print(summary)
    return EXIT_OK


class SyncProgress:
    """Progress lines on stderr: on a terminal one redrawn line, else a line per percent (at most 100)."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.shown = -1

    def update(self, done: int, total: int, label: str) -> None:
        """Show ``done`` of ``total`` articles looked at."""
        if not total:
            return
        step = done * 100 // total
        if step == self.shown:
            return
        self.shown = step
        line = f"sync: {done}/{total} articles"
        self.stream.write(f"\r{line}" + ("\n" if done == total else "") if self.interactive else line + "\n")
        self.stream.flush()
