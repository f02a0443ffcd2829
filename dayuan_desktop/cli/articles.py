"""Article commands: list, search, show, trash, restore, renumber, revisions."""

from __future__ import annotations

import argparse
from datetime import datetime

from dayuan_desktop.cli.common import EXIT_OK, UsageError, database_target, site_zone, when
from dayuan_desktop.core.config import Settings
from dayuan_desktop.core.logs import log


def _parse_date(text: str | None, settings: Settings) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"'{text}' is not a date such as 2022-12-13 or 2022-12-13 14:46") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=site_zone(settings))


def _print_summaries(items, settings: Settings) -> None:
    for item in items:
        number = str(item.number) if item.number is not None else "-"
        print(f"{number:>7}  {item.status:<9}  {item.channel_path or '-':<14}  "
              f"{when(item.published_at or item.updated_at, settings)}  {item.title}")


def list_articles(args: argparse.Namespace, store, settings: Settings) -> int:
    """``list``: one page of articles (or of the trash), filtered and sorted, with the total."""
    from dayuan_desktop.core.store import ArticleQuery

    page = store.list_articles(
        ArticleQuery(
            channel_path=args.channel, status=args.status, tag=args.tag,
            date_from=_parse_date(args.date_from, settings), date_to=_parse_date(args.date_to, settings),
            sort=args.sort, descending=not args.oldest_first, trashed=args.trash, conflicts=args.conflicts,
            offset=args.offset, limit=args.limit,
        )
    )
    _print_page(page, settings)
    return EXIT_OK


def list_articles_quickly(args: argparse.Namespace, settings: Settings) -> int | None:
    """``list`` read straight from a current SQLite file (no database layer loaded); None: not here.

    ``core.quick_list`` answers the plain filters and orders; for anything else (a channel,
    tag or date filter, a server, a file to create or upgrade) the caller opens the store
    and runs :func:`list_articles`, which prints the same.
    """
    from dayuan_desktop.core.quick_list import quick_page

    if any(value is not None for value in (args.channel, args.tag, args.date_from, args.date_to)):
        return None
    target = database_target(args, settings)
    page = quick_page(target, status=args.status, sort=args.sort, descending=not args.oldest_first,
                      trashed=args.trash, conflicts=args.conflicts, offset=args.offset, limit=args.limit)
    if page is None:
        return None
    log.info("database: %s (current: the list read directly)", target)
    _print_page(page, settings)
    return EXIT_OK


def _print_page(page, settings: Settings) -> None:
    _print_summaries(page.items, settings)
    shown = f"{page.offset + 1}–{page.offset + len(page.items)}" if page.items else "none"
    print(f"{shown} of {page.total} article(s)")


def search_articles(args: argparse.Namespace, store, settings: Settings) -> int:
    """``search``: the articles in which every word of the query occurs."""
    query = " ".join(args.query)
    results = store.search(query, offset=args.offset, limit=args.limit)
    _print_summaries(results, settings)
    print(f"{len(results)} result(s) for “{query}”" + (f" from {args.offset + 1}" if args.offset else ""))
    return EXIT_OK


def show_article(args: argparse.Namespace, store, settings: Settings) -> int:
    """``show``: one article's fields, then its body."""
    article = store.find_article(args.reference)
    lines = [
        ("number", article.number if article.number is not None else "-"),
        ("uuid", article.uuid), ("title", article.title), ("subtitle", article.subtitle or "-"),
        ("channel", article.channel_path or "-"), ("status", article.status),
        ("author", article.author or "-"), ("source", article.source or "-"),
        ("published", when(article.published_at, settings)), ("tags", " ".join(article.tags) or "-"),
        ("summary", article.summary or "-"),
        ("photos", ", ".join(f"{p.photo.sha256[:12]} {p.photo.caption}" for p in article.photos) or "-"),
        ("version", f"{article.version}, saved {when(article.updated_at, settings)} by {article.updated_by or '-'}"),
    ]
    if article.deleted_at:
        lines.append(("trashed", when(article.deleted_at, settings)))
    for label, value in lines:
        print(f"{label:>10}: {value}")
    print()
    print(article.body)
    return EXIT_OK


def trash_article(args: argparse.Namespace, store, settings: Settings) -> int:
    """``trash``: move an article to the trash."""
    article = store.trash_article(store.find_article(args.reference).id)
    print(f"moved to the trash: {article.title}")
    return EXIT_OK


def restore_article(args: argparse.Namespace, store, settings: Settings) -> int:
    """``restore``: bring an article back from the trash."""
    article = store.restore_article(store.find_article(args.reference).id)
    print(f"restored: {article.title}")
    return EXIT_OK


def renumber_article(args: argparse.Namespace, store, settings: Settings) -> int:
    """``renumber``: give an article another number, or clear a draft's number with ``none``."""
    article = store.find_article(args.reference)
    if args.new_number.lower() == "none":
        changed = store.update_article(article.id, {}, expected_version=article.version, clear=["number"])
    elif args.new_number.isdigit():
        changed = store.update_article(article.id, {"number": int(args.new_number)}, expected_version=article.version)
    else:
        raise UsageError(f"new number must be a whole number or 'none', not {args.new_number!r:.40}")
    print(f"renumbered: {article.number if article.number is not None else '-'} -> "
          f"{changed.number if changed.number is not None else '-'} {changed.title}")
    return EXIT_OK


def list_revisions(args: argparse.Namespace, store, settings: Settings) -> int:
    """``revisions``: an article's revisions, newest first."""
    article = store.find_article(args.reference)
    for revision in store.list_revisions(article.id):
        print(f"{revision.id:>6}  v{revision.article_version:<4} {revision.kind:<9} "
              f"{when(revision.created_at, settings)}  {revision.created_by}  {revision.snapshot.get('title', '')}")
    return EXIT_OK
