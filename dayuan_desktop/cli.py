"""The ``dayuan-desktop`` command: every data job without a window.

Exit codes: 0 success, 1 failure, 2 usage. Errors are one line on stderr; a traceback
only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dayuan_desktop import __version__
from dayuan_desktop.closed_pipe import silence_stdout, stdout_reader_gone
from dayuan_desktop.core.config import Settings, load_settings
from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.logs import configure_logging, hide_password, log
from dayuan_desktop.core.secrets import mask_secrets, remember_secret, split_password

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(DayuanError):
    """The command line asks for something that makes no sense."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also what ``--help`` prints)."""
    parser = argparse.ArgumentParser(
        prog="dayuan-desktop",
        description="Dayuan Desktop: the newsroom workstation of 大院网. Without a command it starts the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="PATH_OR_URL", help="SQLite file or SQLAlchemy URL (default: $DAYUAN_DB, "
                        "else the SQLite file in the user data folder)")
    parser.add_argument("--data-dir", type=Path, help="keep data, cache and logs under this folder")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    # Start the window, wait until the sample (or last) article and its preview are on screen,
    # print what is shown as JSON and exit 0; exit 1 if that does not happen. The installer's
    # smoke test runs the built bundle this way.
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("import", help="import Markdown files (with YAML front matter) or portal pages (.html)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--create-channels", action="store_true", help="create channels that do not exist yet")
    p.add_argument("--allow-outside", action="store_true",
                   help="read images from outside the imported file's folder (refused by default)")

    p = commands.add_parser("list", help="list articles")
    p.add_argument("--channel", help="channel path, e.g. gsyl/lzgs (includes subchannels)")
    p.add_argument("--status", help="draft, review, ready, published or withdrawn")
    p.add_argument("--tag")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="on or after this date (sort field)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="before this date (sort field)")
    p.add_argument("--sort", choices=["updated", "published"], default="updated")
    p.add_argument("--oldest-first", action="store_true")
    p.add_argument("--trash", action="store_true", help="list the trash instead")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)

    p = commands.add_parser("search", help="search titles, bodies, tags, summaries and captions")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)

    p = commands.add_parser("show", help="print one article")
    p.add_argument("reference", metavar="NUMBER|UUID")

    p = commands.add_parser("export-md", help="write articles as Markdown files with their photos")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--article", metavar="NUMBER|UUID", action="append", help="only this article (repeatable)")

    p = commands.add_parser("export", help="export published articles as the portal's static site")
    p.add_argument("--out", type=Path, required=True, help="the site folder (created if missing)")
    p.add_argument("--article", metavar="NUMBER", type=int, action="append",
                   help="only this article's page and photos (repeatable)")
    p.add_argument("--templates", type=Path, metavar="DIR",
                   help="a folder of templates overriding the built-in portal templates")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    commands.add_parser("sample", help="load the sample article (4709) and its channels")

    p = commands.add_parser("photo", help="photos: add files to an article, or show what a file says")
    photo_commands = p.add_subparsers(dest="photo_command", metavar="ACTION", required=True)
    add = photo_commands.add_parser("add", help="add photo files to an article (after its photos and body)")
    add.add_argument("reference", metavar="NUMBER", help="the article's number (or uuid)")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add.add_argument("--caption", metavar="T", help="caption for every file (instead of the file's)")
    add.add_argument("--by", metavar="NAME", dest="photographer",
                     help="photographer for every file (instead of the file's)")
    info = photo_commands.add_parser("info", help="what a photo file says, its caption line and its problems")
    info.add_argument("file", type=Path, metavar="FILE")

    p = commands.add_parser("backup", help="write a consistent copy of the SQLite database")
    p.add_argument("file", type=Path)

    p = commands.add_parser("channels", help="list channels, or add one")
    p.add_argument("--add", metavar="PATH")
    p.add_argument("--name", help="display name for --add")

    p = commands.add_parser("trash", help="move an article to the trash")
    p.add_argument("reference", metavar="NUMBER|UUID")
    p = commands.add_parser("restore", help="bring an article back from the trash")
    p.add_argument("reference", metavar="NUMBER|UUID")
    p = commands.add_parser("renumber", help="give an article another number (a published one keeps a redirect)")
    p.add_argument("reference", metavar="NUMBER|UUID")
    p.add_argument("new_number", metavar="NEW", help="the new number, or 'none' to clear a draft's number")
    p = commands.add_parser("revisions", help="list an article's revisions")
    p.add_argument("reference", metavar="NUMBER|UUID")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="upgrade the schema to this version (a backup is written first)")
    db_commands.add_parser("check", help="check integrity (database, search index, bodies against their photos)")
    db_commands.add_parser("reindex", help="rebuild the search index")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the flush at interpreter exit
    except DayuanError as exc:
        log.warning("%s failed: %s", args.command or "window", exc)
        if args.debug:
            raise
        print(f"dayuan-desktop: error: {mask_secrets(exc)}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_FAILURE
    except Exception as exc:
        if isinstance(exc, BrokenPipeError) and stdout_reader_gone():  # `list | head`: the reader has enough
            silence_stdout()
            log.info("%s stopped: the reader closed the output pipe", args.command or "window")
            return EXIT_OK
        log.exception("%s failed", args.command or "window")
        if not _is_database_failure(exc):  # a bug: still one line unless debugging
            if args.debug:
                raise
            print(f"dayuan-desktop: unexpected error: {type(exc).__name__}: {mask_secrets(exc)} "
                  "(run with --debug for details)", file=sys.stderr)
            return EXIT_FAILURE
        # the database failed under a running command (server gone, disk full…)
        if args.debug:
            raise
        reason = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
        print(f"dayuan-desktop: error: the database failed: {mask_secrets(reason)}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        log.warning("%s interrupted", args.command or "window")
        print("dayuan-desktop: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    log.info("%s finished, exit code %s", args.command or "window", code)
    return code


def _log_start(args: argparse.Namespace, settings: Settings) -> None:
    """Open the support log and say who is starting, where, with what (no passwords)."""
    configure_logging(settings.log_dir)
    frozen = f"bundle {Path(sys.executable).parent}" if getattr(sys, "frozen", False) else "source"
    log.info("start: dayuan-desktop %s, command %s, Python %s on %s, %s", __version__,
             args.command or "window", platform.python_version(),
             f"{platform.system()} {platform.release()} {platform.machine()}", frozen)
    log.info("folders: data %s, cache %s, log %s", settings.data_dir, settings.cache_dir, settings.log_dir)


def _is_database_failure(exc: BaseException) -> bool:
    # SQLAlchemy is imported lazily (the window paints before it loads): when it was never
    # imported, no error can have come from it.
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    return sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.DBAPIError)


def _dispatch(args: argparse.Namespace) -> int:
    for given in (args.db, os.environ.get("DAYUAN_DB")):  # masked wherever it shows up later
        remember_secret(split_password(given)[1] if given else "")
    settings = load_settings(args.data_dir)
    _log_start(args, settings)
    if args.command is None:
        return _start_window(args, settings)
    if args.command == "db" and args.db_command == "upgrade":
        return _db_upgrade(args, settings)
    if args.command == "photo" and args.photo_command == "info":
        return _cmd_photo_info(args, settings)  # reads a file only: no database needed
    store = _open_store(args, settings)
    try:
        handler = _HANDLERS[args.command]
        return handler(args, store, settings)
    finally:
        store.db.dispose()


def database_target(args: argparse.Namespace, settings: Settings) -> str:
    """The database chosen by --db, then $DAYUAN_DB, then the default SQLite file."""
    return args.db or os.environ.get("DAYUAN_DB") or str(settings.default_database_path)


def _open_store(args: argparse.Namespace, settings: Settings):
    from dayuan_desktop.core.db import open_database
    from dayuan_desktop.core.store import Store

    database = open_database(database_target(args, settings), backup_dir=settings.backup_dir)
    log.info("database: %s", database.describe())
    store = Store(database, user_name=settings.user_name)
    if store.ensure_search_index() and store.count_articles():
        print("search index rebuilt", file=sys.stderr)
    return store


def _start_window(args: argparse.Namespace, settings: Settings) -> int:
    try:
        from dayuan_desktop.ui.app import run
    except ImportError as exc:  # installed without the "gui" extra
        raise DayuanError(f"the window needs PySide6 ({exc}); install dayuan-desktop[gui]") from exc
    from dayuan_desktop.ui.app import chosen_database

    target = chosen_database(settings, args.db or os.environ.get("DAYUAN_DB"))
    log.info("database: %s", hide_password(target))
    return run(settings, target, smoke_test=args.smoke_test, debug=args.debug)


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
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


def _zone(settings: Settings) -> ZoneInfo:
    return ZoneInfo(settings.site_timezone)


def _when(value: datetime | None, settings: Settings) -> str:
    return value.astimezone(_zone(settings)).strftime("%Y-%m-%d %H:%M") if value else "-"


def _parse_date(text: str | None, settings: Settings) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"'{text}' is not a date such as 2022-12-13 or 2022-12-13 14:46") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=_zone(settings))


def _print_summaries(items, settings: Settings) -> None:
    for item in items:
        number = str(item.number) if item.number is not None else "-"
        print(f"{number:>7}  {item.status:<9}  {item.channel_path or '-':<14}  "
              f"{_when(item.published_at or item.updated_at, settings)}  {item.title}")


def _cmd_import(args, store, settings) -> int:
    from dayuan_desktop.core.dropped_html import dropped_markup
    from dayuan_desktop.core.interchange.markdown_files import import_markdown_file
    from dayuan_desktop.core.interchange.portal_pages import PAGE_SUFFIXES, import_portal_page
    from dayuan_desktop.core.site import load_site_settings

    site = load_site_settings(store.db)

    def import_one(path: Path):
        if path.suffix.lower() in PAGE_SUFFIXES:  # a portal page; anything else is read as Markdown
            return import_portal_page(store, path, create_channels=args.create_channels, site=site,
                                      allow_outside=args.allow_outside)
        return import_markdown_file(
            store, path, create_channels=args.create_channels, site_timezone=settings.site_timezone,
            allow_outside=args.allow_outside,
        )

    failures = 0
    for outcome in map(import_one, args.files):
        if outcome.ok:
            number = f"#{outcome.article.number} " if outcome.article.number is not None else ""
            print(f"imported {outcome.path}: {number}{outcome.article.title} "
                  f"({len(outcome.article.photos)} photo(s))")
            for warning in outcome.warnings:
                print(f"  warning: {warning}")
            for dropped in dropped_markup(outcome.article.body):
                print(f"  note: raw HTML not shown on the page: {dropped}" + " (with its text)" * dropped.content_removed)
            _prepare_renditions(store, settings, [link.photo.sha256 for link in outcome.article.photos], site)
        else:
            failures += 1
            print(f"FAILED   {outcome.error}", file=sys.stderr)
    total = len(args.files)
    print(f"{total - failures} imported, {failures} failed")
    return EXIT_FAILURE if failures else EXIT_OK


def _cmd_list(args, store, settings) -> int:
    from dayuan_desktop.core.store import ArticleQuery

    page = store.list_articles(
        ArticleQuery(
            channel_path=args.channel, status=args.status, tag=args.tag,
            date_from=_parse_date(args.date_from, settings), date_to=_parse_date(args.date_to, settings),
            sort=args.sort, descending=not args.oldest_first, trashed=args.trash,
            offset=args.offset, limit=args.limit,
        )
    )
    _print_summaries(page.items, settings)
    shown = f"{page.offset + 1}–{page.offset + len(page.items)}" if page.items else "none"
    print(f"{shown} of {page.total} article(s)")
    return EXIT_OK


def _cmd_search(args, store, settings) -> int:
    query = " ".join(args.query)
    results = store.search(query, offset=args.offset, limit=args.limit)
    _print_summaries(results, settings)
    print(f"{len(results)} result(s) for “{query}”" + (f" from {args.offset + 1}" if args.offset else ""))
    return EXIT_OK


def _cmd_show(args, store, settings) -> int:
    article = store.find_article(args.reference)
    lines = [
        ("number", article.number if article.number is not None else "-"),
        ("uuid", article.uuid), ("title", article.title), ("subtitle", article.subtitle or "-"),
        ("channel", article.channel_path or "-"), ("status", article.status),
        ("author", article.author or "-"), ("source", article.source or "-"),
        ("published", _when(article.published_at, settings)), ("tags", " ".join(article.tags) or "-"),
        ("summary", article.summary or "-"),
        ("photos", ", ".join(f"{p.photo.sha256[:12]} {p.photo.caption}" for p in article.photos) or "-"),
        ("version", f"{article.version}, saved {_when(article.updated_at, settings)} by {article.updated_by or '-'}"),
    ]
    if article.deleted_at:
        lines.append(("trashed", _when(article.deleted_at, settings)))
    for label, value in lines:
        print(f"{label:>10}: {value}")
    print()
    print(article.body)
    return EXIT_OK


def _cmd_export_md(args, store, settings) -> int:
    from dayuan_desktop.core.interchange.markdown_files import export_markdown

    articles = [store.find_article(ref) for ref in args.article] if args.article else None
    written = export_markdown(store, args.out, articles=articles, site_timezone=settings.site_timezone)
    print(f"{len(written)} article(s) written to {args.out}")
    return EXIT_OK


def _cmd_export(args, store, settings) -> int:
    from dayuan_desktop.core.export import SiteExporter
    from dayuan_desktop.core.site import load_site_settings

    bar = None if args.quiet else ProgressBar(sys.stderr)
    exporter = SiteExporter(
        store, load_site_settings(store.db), args.out, template_dir=args.templates,
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


def _cmd_sample(args, store, settings) -> int:
    from dayuan_desktop.core.sample import load_sample

    loaded = load_sample(store)
    for article in loaded:
        print(f"loaded #{article.number} {article.title}")
    print(f"{len(loaded)} sample article(s) loaded" if loaded else "the sample is already in the database")
    return EXIT_OK


def _cmd_photo_add(args, store, settings) -> int:
    from dayuan_desktop.core.captions import compose_caption
    from dayuan_desktop.core.photos import add_photos_to_article

    result = add_photos_to_article(
        store, args.reference, args.files, caption=args.caption, photographer=args.photographer,
        zone=settings.site_timezone,
    )
    number = f"#{result.article.number}" if result.article.number is not None else result.article.uuid
    for item in result.photos:
        line = compose_caption(item.photo.caption, item.photo.photographer) or "(no caption)"
        print(f"added {item.photo.sha256[:12]} {item.file.name} to {number}: {line}")
        for problem in item.problems:
            print(f"  problem: {problem.message}")
        for note in item.file.notes:
            print(f"  note: {note}")
    print(f"{len(result.photos)} photo(s) added to {number}, {len(result.placed)} placed at the end of the body")
    _prepare_renditions(store, settings, [item.photo.sha256 for item in result.photos])
    return EXIT_OK


def _prepare_renditions(store, settings: Settings, sha256s: list[str], site=None) -> None:
    """Make the imported photos' web renditions now, so the next export only copies them."""
    from dayuan_desktop.core.photos.ready_renditions import prepare_renditions
    from dayuan_desktop.core.site import load_site_settings

    if not sha256s:
        return
    site = site or load_site_settings(store.db)
    report = prepare_renditions(store, settings.cache_dir, sha256s, long_side=site.rendition_width)
    for sha, reason in report.failed.items():
        print(f"  note: no web rendition yet for photo {sha[:12]} ({reason}); the export will try again")


def _cmd_photo_info(args, settings) -> int:
    from dayuan_desktop.core.photos import make_web_rendition, read_photo

    photo = read_photo(args.file, zone=settings.site_timezone)
    meta = photo.metadata
    caption, photographer = photo.text()

    def sourced(value: str, field: str) -> str:
        return f"{value} ({meta.sources[field]})" if value and field in meta.sources else (value or "-")

    turned = f" (EXIF orientation {meta.orientation} applied)" if meta.orientation != 1 else ""
    lines = [
        ("file", f"{photo.name} ({photo.format}, {len(photo.data):,} bytes)"),
        ("sha256", photo.sha256),
        ("size", f"{photo.width} x {photo.height} px as shown{turned}"),
        ("taken", sourced(_when(meta.taken_at, settings) if meta.taken_at else "", "taken_at")),
        ("caption", sourced(caption, "caption")),
        ("photographer", sourced(photographer, "photographer")),
        ("credit", sourced(meta.credit, "credit")),
        ("copyright", sourced(meta.copyright, "copyright")),
        ("keywords", sourced(", ".join(meta.keywords), "keywords")),
        ("GPS", "present (removed from every published copy)" if meta.gps else "none"),
        ("caption line", photo.composed_caption() or "-"),
    ]
    for label, value in lines:
        print(f"{label:>13}: {value}")
    problems = photo.problems()
    print(f"{'problems':>13}: {'none' if not problems else len(problems)}")
    for problem in problems:
        print(f"{'':>15}- {problem.message}")
    for note in photo.notes:
        print(f"{'note':>13}: {note}")
    rendition = make_web_rendition(photo.data, text=None, name=photo.name)
    kept = [name for name, value in (("caption", caption), ("photographer", photographer),
                                     ("copyright", meta.copyright), ("credit", meta.credit)) if value]
    print(f"{'rendition':>13}: {rendition.format} {rendition.width} x {rendition.height} px, sRGB, upright, "
          f"{len(rendition.data):,} bytes")
    print(f"{'keeps':>13}: " + (", ".join(kept) + " (as XMP; photographer and copyright also as EXIF Artist/Copyright)"
                                  if kept else "no texts (the file has none)"))
    print(f"{'drops':>13}: " + ("; ".join(meta.dropped) if meta.dropped else "nothing (the file carries no metadata)"))
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
        if self.shown and self.interactive:
            self.stream.write("\n")
            self.stream.flush()


def _cmd_backup(args, store, settings) -> int:
    store.db.backup_to(args.file)
    print(f"backup written to {args.file} ({args.file.stat().st_size:,} bytes)")
    return EXIT_OK


def _cmd_channels(args, store, settings) -> int:
    if args.add:
        channel = store.create_channel(args.add, args.name)
        print(f"channel {channel.path} ({channel.name})")
        return EXIT_OK
    for channel in store.list_channels():
        print(f"{channel.path:<20} {channel.name}")
    return EXIT_OK


def _cmd_trash(args, store, settings) -> int:
    article = store.trash_article(store.find_article(args.reference).id)
    print(f"moved to the trash: {article.title}")
    return EXIT_OK


def _cmd_restore(args, store, settings) -> int:
    article = store.restore_article(store.find_article(args.reference).id)
    print(f"restored: {article.title}")
    return EXIT_OK


def _cmd_renumber(args, store, settings) -> int:
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


def _cmd_revisions(args, store, settings) -> int:
    article = store.find_article(args.reference)
    for revision in store.list_revisions(article.id):
        print(f"{revision.id:>6}  v{revision.article_version:<4} {revision.kind:<9} "
              f"{_when(revision.created_at, settings)}  {revision.created_by}  {revision.snapshot.get('title', '')}")
    return EXIT_OK


def _cmd_db(args, store, settings) -> int:
    if args.db_command == "reindex":
        count = store.rebuild_search_index()
        print(f"search index rebuilt for {count} article(s)")
        return EXIT_OK
    from dayuan_desktop.core.photos.consistency import photo_inconsistencies

    problems = store.db.integrity_problems()
    problems += photo_inconsistencies(store.db)
    for problem in problems:
        print(f"problem: {problem}")
    print("database OK" if not problems else f"{len(problems)} problem(s) found")
    return EXIT_FAILURE if problems else EXIT_OK


_HANDLERS = {
    "import": _cmd_import,
    "list": _cmd_list,
    "search": _cmd_search,
    "show": _cmd_show,
    "export-md": _cmd_export_md,
    "backup": _cmd_backup,
    "export": _cmd_export,
    "sample": _cmd_sample,
    "photo": _cmd_photo_add,  # "photo info" needs no database and is dispatched before the store opens
    "channels": _cmd_channels,
    "trash": _cmd_trash,
    "restore": _cmd_restore,
    "renumber": _cmd_renumber,
    "revisions": _cmd_revisions,
    "db": _cmd_db,
}
