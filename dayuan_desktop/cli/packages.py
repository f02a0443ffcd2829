"""``package``: articles and their photos as one zip for no connection (``--out``), or check one (``--check``)."""

from __future__ import annotations

import argparse
import sys
import tempfile

from dayuan_desktop.cli.articles import _parse_date
from dayuan_desktop.cli.common import EXIT_OK, UsageError, when
from dayuan_desktop.core.config import Settings


def write_package_file(args: argparse.Namespace, store, settings: Settings) -> int:
    """``package --out FILE.zip``: the articles given (or all), changed since a date, in one package."""
    from dayuan_desktop.core.packages.writing import articles_to_package, write_package

    chosen = [store.find_article(ref) for ref in args.article] if args.article else None
    articles = articles_to_package(store, articles=chosen, since=_parse_date(args.since, settings))
    if not articles:
        raise UsageError("no article to package" + (f" changed since {args.since}" if args.since else ""))
    if args.out.suffix.lower() != ".zip":
        raise UsageError(f"{args.out} should end in .zip (a package is a zip file)")
    from dayuan_desktop.cli.export import ProgressBar

    bar = None if args.quiet else ProgressBar(sys.stderr)
    try:
        summary = write_package(store, args.out, articles, site_timezone=settings.site_timezone,
                                progress=bar.update if bar else None)
    finally:
        if bar:
            bar.close()
    print(f"{summary.articles} article(s), {summary.photos} photo(s) written to {summary.path} "
          f"({summary.size:,} bytes)")
    return EXIT_OK


def check_package_file(args: argparse.Namespace, settings: Settings) -> int:
    """``package --check FILE.zip``: every check an import makes, then what the package holds (no database)."""
    from dayuan_desktop.core.packages.reading import read_package

    with tempfile.TemporaryDirectory(prefix="dayuan-package-") as work_dir:
        package = read_package(args.check, work_dir)
        for article in package.articles:
            values = article.values
            number = f"#{values['number']}" if values["number"] is not None else "-"
            trashed = "  (in the trash)" if article.deleted_at else ""
            print(f"{number:>7}  {values['status']:<9}  v{article.version:<4} {when(article.updated_at, settings)}  "
                  f"{values['title']}  [{len(article.photos)} photo(s)]{trashed}")
        print(f"package OK: {len(package.articles)} article(s), {len(package.photo_files)} photo(s), "
              f"format {package.format_version}, made {when(package.created, settings)} by {package.generator or '-'}",
              file=sys.stdout)
    return EXIT_OK
