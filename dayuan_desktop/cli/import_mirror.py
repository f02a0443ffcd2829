"""``import DIR``: a mirrored copy of the live site, every article page in it (see core.interchange.site_mirror)."""

from __future__ import annotations

import sys
from pathlib import Path

from dayuan_desktop.cli.common import EXIT_FAILURE, EXIT_OK
from dayuan_desktop.cli.photos import print_not_rendered, web_renditions
from dayuan_desktop.core.config import Settings


def import_site_folder(folder: Path, store, settings: Settings) -> int:
    """Import the folder's article pages; each page's line on stdout, progress on stderr, the summary last.

    Exit 1 when a page (or a file of the folder) failed; duplicates and skipped pages are not failures.
    """
    from dayuan_desktop.core.dropped_html import dropped_markup
    from dayuan_desktop.core.interchange.mirror_import import import_mirror
    from dayuan_desktop.core.site import load_site_settings

    site = load_site_settings(store.db)
    print(f"importing the mirrored site in {folder}", file=sys.stderr)

    def show(outcome) -> None:
        if outcome.ok:
            number = f"#{outcome.article.number} " if outcome.article.number is not None else ""
            print(f"imported {outcome.path}: {number}{outcome.article.title} ({len(outcome.article.photos)} photo(s))")
            for warning in outcome.warnings:
                print(f"  warning: {warning}")
            for dropped in dropped_markup(outcome.article.body):  # as the import of single pages notes them
                print(f"  note: raw HTML not shown on the page: {dropped}" + " (with its text)" * dropped.content_removed)
            print_not_rendered(outcome.not_rendered)
        elif outcome.duplicate:
            print(f"already  {outcome.error}")
        else:
            print(f"FAILED   {outcome.error}", file=sys.stderr)

    report = import_mirror(store, folder, site=site, renditions=web_renditions(store, settings, site),
                           progress=lambda line: print(line, file=sys.stderr, flush=True), on_outcome=show)
    for error in report.scan.errors:
        print(f"FAILED   {error}", file=sys.stderr)
    print(report.summary())
    return EXIT_FAILURE if report.failed else EXIT_OK
