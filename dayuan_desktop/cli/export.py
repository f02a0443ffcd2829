"""``export``: the portal's static site, with a progress bar on stderr."""

from __future__ import annotations

import argparse
import sys

from dayuan_desktop.cli.common import EXIT_FAILURE, EXIT_OK
from dayuan_desktop.core.config import Settings


def export_site(args: argparse.Namespace, store, settings: Settings) -> int:
    """Export the published articles (all, or the numbers given) into the site folder."""
    from dayuan_desktop.core.site import load_site_settings

    return _export(args, store, load_site_settings(store.db), settings)


def export_site_quickly(args: argparse.Namespace, settings: Settings) -> int | None:
    """The whole export of a current SQLite file, read with the sqlite3 module alone (no SQLAlchemy,
    ~0.2 s of a 500-article export: ``core.export.sqlite_source``); None when the file is not one
    (a server, an older or newer file, a missing one) or articles are chosen: then the usual way runs."""
    from dayuan_desktop.cli.common import database_target
    from dayuan_desktop.core.export.sqlite_source import SqliteSource
    from dayuan_desktop.core.logs import log

    if args.article:
        return None
    source = SqliteSource.open(database_target(args, settings))
    if source is None:
        return None
    log.info("database: %s (read with sqlite3)", source.db.describe())
    try:
        return _export(args, source, source.site_settings(), settings)
    finally:
        source.close()


def _export(args: argparse.Namespace, store, site, settings: Settings) -> int:
    """Run the export from ``store`` (a Store or the SQLite reader) and print its report."""
    from dayuan_desktop.core.export import SiteExporter

    bar = None if args.quiet else ProgressBar(sys.stderr)
    exporter = SiteExporter(
        store, site, args.out, template_dir=args.templates,
        progress=bar.update if bar else None, cache_dir=settings.cache_dir,
    )
    try:
        report = exporter.run(only_numbers=args.article)
    finally:
        if bar:
            bar.close()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for old_path, new_path in report.redirects:
        print(f"redirect: {old_path} -> {new_path}")
    for line in report.checks:  # pre-publish findings, "#4709: 提醒：没有摘要…"
        print(line, file=sys.stderr)
    print(report.summary())
    # Everything else was written; a refused (symlinked) path leaves the site incomplete: scripts must notice.
    return EXIT_FAILURE if report.skipped else EXIT_OK


def export_nothing_to_do(args: argparse.Namespace, settings: Settings) -> int | None:
    """Print what the export would when nothing changed since the last complete export of this
    SQLite file into this folder, without loading the database layer or the renderer; None when
    that is not certain (``core.quick_export``): then :func:`export_site` runs as usual."""
    from dayuan_desktop.cli.common import database_target
    from dayuan_desktop.core.quick_export import nothing_to_do

    if args.article:
        return None
    result = nothing_to_do(database_target(args, settings), args.out, args.templates)
    if result is None:
        return None
    if not args.quiet:  # the bar the usual way draws when it finds nothing due
        bar = ProgressBar(sys.stderr)
        bar.update(0, 0, "")
        bar.close()
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for old_path, new_path in result.redirects:
        print(f"redirect: {old_path} -> {new_path}")
    print(result.summary())
    return EXIT_OK


class ProgressBar:
    """A one-line terminal progress bar (redrawn at most ~10 times a second)."""

    def __init__(self, stream, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.last = 0.0
        self.shown = False
        self.interactive = hasattr(stream, "isatty") and stream.isatty()

    def update(self, done: int, total: int, label: str) -> None:
        """Redraw for ``done`` of ``total`` (skipped when the last redraw is too recent)."""
        import time

        now = time.monotonic()
        if done < total and now - self.last < (0.1 if self.interactive else 2.0):
            return
        self.last = now
        filled = self.width * done // total if total else self.width
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {label[-40:]}"
        self.stream.write(("\r" + line.ljust(self.width + 60)) if self.interactive else line + "\n")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """End the bar's line on a terminal."""
        if self.shown and self.interactive:
            self.stream.write("\n")
            self.stream.flush()
