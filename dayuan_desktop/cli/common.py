"""What the command modules share: exit codes, the usage error, the database's address, times."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from zoneinfo import ZoneInfo

from dayuan_desktop.core.config import Settings
from dayuan_desktop.core.errors import DayuanError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(DayuanError):
    """The command line asks for something that makes no sense."""


def database_target(args: argparse.Namespace, settings: Settings) -> str:
    """The database chosen by --db, then $DAYUAN_DB, then the default SQLite file."""
    return args.db or os.environ.get("DAYUAN_DB") or str(settings.default_database_path)


def site_zone(settings: Settings) -> ZoneInfo:
    """The newsroom's time zone, in which every time is printed and every date is read."""
    return ZoneInfo(settings.site_timezone)


def when(value: datetime | None, settings: Settings) -> str:
    """A moment as the newsroom reads it (``2022-12-13 14:46``), or ``-`` for none."""
    return value.astimezone(site_zone(settings)).strftime("%Y-%m-%d %H:%M") if value else "-"
