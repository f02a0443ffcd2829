"""Articles in and out as files: import (Markdown or portal pages), export-md, sample."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dayuan_desktop.cli.common import EXIT_FAILURE, EXIT_OK, UsageError
from dayuan_desktop.cli.photos import print_not_rendered, web_renditions
from dayuan_desktop.core.config import Settings
from dayuan_desktop.core.secrets import mask_secrets


def import_files(args: argparse.Namespace, store, settings: Settings) -> int:
    """``import``: each file as an article, reporting each; exit 1 if any failed."""
    from dayuan_desktop.core.dropped_html import dropped_markup
    from dayuan_desktop.core.interchange.import_pipeline import ImportOptions, import_items
    from dayuan_desktop.core.site import load_site_settings

    packages = [path for path in args.files if path.suffix.lower() == ".zip"]
    if packages:
        if len(args.files) != 1:
            raise UsageError("a package (.zip) is imported alone: give one FILE.zip and nothing else")
        return import_package_file(packages[0], store)
    if len(args.files) == 1 and args.files[0].is_dir():  # a mirrored copy of the site; among files, a failure
        from dayuan_desktop.cli.import_mirror import import_site_folder

        return import_site_folder(args.files[0], store, settings)
    site = load_site_settings(store.db)
    options = ImportOptions(create_channels=args.create_channels, allow_outside=args.allow_outside,
                            site_timezone=settings.site_timezone, site=site,
                            renditions=web_renditions(store, settings, site))
    progress = ImportProgress(sys.stderr)
    outcomes = import_items(store, args.files, options, progress=progress.update)

    failures = 0
    for outcome in outcomes:
        progress.clear()  # a file's lines never land on top of the progress line (a terminal's \r)
        if outcome.ok:
            number = f"#{outcome.article.number} " if outcome.article.number is not None else ""
            print(f"imported {outcome.path}: {number}{outcome.article.title} "
                  f"({len(outcome.article.photos)} photo(s))")
            for warning in outcome.warnings:
                print(f"  warning: {warning}")
            for dropped in dropped_markup(outcome.article.body):
                print(f"  note: raw HTML not shown on the page: {dropped}" + " (with its text)" * dropped.content_removed)
            print_not_rendered(outcome.not_rendered)
        else:
            failures += 1
            print(f"FAILED   {outcome.error}", file=sys.stderr)
    progress.finish()
    total = len(args.files)
    print(f"{total - failures} imported, {failures} failed")
    return EXIT_FAILURE if failures else EXIT_OK


class ImportProgress:
    """``import: 1,500/10,000 files (480 files/s)`` on stderr, at most twice a second; on a
    terminal one line rewritten in place, which :meth:`clear` wipes before other lines are printed."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.shown = 0.0
        self.line = ""
        self.on_screen = False  # the line sits, unfinished, on the terminal's current line

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total < 50 or (now - self.shown < 0.5 and done < total):  # a few files: their lines say it all
            return
        self.shown = now
        rate = done / max(now - self.started, 1e-6)
        self.line = f"import: {done:,}/{total:,} files ({rate:,.0f} files/s)"
        self.on_screen = self.stream.isatty()
        print(self.line, end="\r" if self.on_screen else "\n", file=self.stream, flush=True)

    def clear(self) -> None:
        """Wipe the progress line from the terminal (the next update writes it again)."""
        if self.on_screen:
            print(" " * len(self.line), end="\r", file=self.stream, flush=True)
            self.on_screen = False

    def finish(self) -> None:
        """End the progress line on a terminal, where the last figures stay in view."""
        if self.on_screen:
            print(file=self.stream)
            self.on_screen = False


def import_package_file(path: Path, store) -> int:
    """``import FILE.zip``: merge a package by the sync rules; progress on stderr, the summary line last."""
    from dayuan_desktop.cli.sync import SyncProgress
    from dayuan_desktop.core.packages.importing import import_package

    print(f"importing the package {path}", file=sys.stderr)
    summary = import_package(store, path, progress=SyncProgress(sys.stderr).update)
    for line in summary.details():
        print(mask_secrets(line))
    print(summary)
    return EXIT_OK


def export_markdown_files(args: argparse.Namespace, store, settings: Settings) -> int:
    """``export-md``: write articles (all, or those given) as Markdown files with their photos."""
    from dayuan_desktop.core.interchange.markdown_files import export_markdown

    articles = [store.find_article(ref) for ref in args.article] if args.article else None
    written = export_markdown(store, args.out, articles=articles, site_timezone=settings.site_timezone)
    print(f"{len(written)} article(s) written to {args.out}")
    return EXIT_OK


def load_sample_articles(args: argparse.Namespace, store, settings: Settings) -> int:
    """``sample``: load the sample article (4709) and its channels unless already there."""
    from dayuan_desktop.core.sample import load_sample

    loaded = load_sample(store)
    for article in loaded:
        print(f"loaded #{article.number} {article.title}")
    print(f"{len(loaded)} sample article(s) loaded" if loaded else "the sample is already in the database")
    return EXIT_OK
