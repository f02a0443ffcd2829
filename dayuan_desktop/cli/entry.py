"""Start-up, dispatch and failure handling of the command line.

Every failure becomes one line on stderr (secrets masked) and an exit code; a reader that
closes the output pipe early (``list | head``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from dayuan_desktop import __version__
from dayuan_desktop.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, database_target
from dayuan_desktop.cli.parser import build_parser
from dayuan_desktop.closed_pipe import silence_stdout, stdout_reader_gone
from dayuan_desktop.core.config import Settings, load_settings, with_user_name
from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.logs import configure_logging, hide_password, log
from dayuan_desktop.core.secrets import mask_secrets, remember_secret, split_password

# The commands that work on the open database, by command and (for "photo" and "db") action:
# "module:function" in dayuan_desktop.cli. Named, not imported: `--help`, `--version` and a
# usage error import no command module, and a command imports only its own (issue 20).
# "db upgrade" and "photo info" do not open the database the usual way: they are dispatched before.
_STORE_COMMANDS: dict[tuple[str, str | None], str] = {
    ("import", None): "imports:import_files",
    ("export-md", None): "imports:export_markdown_files",
    ("sample", None): "imports:load_sample_articles",
    ("list", None): "articles:list_articles",
    ("search", None): "articles:search_articles",
    ("show", None): "articles:show_article",
    ("trash", None): "articles:trash_article",
    ("restore", None): "articles:restore_article",
    ("renumber", None): "articles:renumber_article",
    ("revisions", None): "articles:list_revisions",
    ("export", None): "export:export_site",
    ("package", None): "packages:write_package_file",
    ("photo", "add"): "photos:add_photos",
    ("channels", None): "channels:list_or_add_channels",
    ("tags", "suggest"): "tags:suggest_tags",
    ("backup", None): "db:backup_database",
    ("db", "check"): "db:check_database",
    ("db", "reindex"): "db:rebuild_search_index",
    ("sync", None): "sync:sync_with",
}


def command_handler(name: str) -> Callable[..., int]:
    """The command function a ``"module:function"`` name stands for; imports its module now."""
    module, function = name.split(":")
    return getattr(importlib.import_module(f"dayuan_desktop.cli.{module}"), function)


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
        return _unexpected_failure(args, exc)
    except KeyboardInterrupt:
        log.warning("%s interrupted", args.command or "window")
        print("dayuan-desktop: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    log.info("%s finished, exit code %s", args.command or "window", code)
    return code


def _unexpected_failure(args: argparse.Namespace, exc: Exception) -> int:
    """A closed pipe, a failing database or a bug: the exit code, after one line on stderr (or re-raise with --debug)."""
    if isinstance(exc, BrokenPipeError) and stdout_reader_gone():  # `list | head`: the reader has enough
        silence_stdout()
        log.info("%s stopped: the reader closed the output pipe", args.command or "window")
        return EXIT_OK
    log.exception("%s failed", args.command or "window")
    if not _is_database_failure(exc):  # a bug: still one line unless debugging
        if args.debug:
            raise exc
        print(f"dayuan-desktop: unexpected error: {type(exc).__name__}: {mask_secrets(exc)} "
              "(run with --debug for details)", file=sys.stderr)
        return EXIT_FAILURE
    # the database failed under a running command (server gone, disk full…)
    if args.debug:
        raise exc
    reason = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
    print(f"dayuan-desktop: error: the database failed: {mask_secrets(reason)}", file=sys.stderr)
    return EXIT_FAILURE


def _log_start(args: argparse.Namespace, settings: Settings) -> None:
    """Open the support log and say who is starting, where, with what (no passwords)."""
    configure_logging(settings.log_dir)
    frozen = f"bundle {Path(sys.executable).parent}" if getattr(sys, "frozen", False) else "source"
    log.info("start: dayuan-desktop %s, command %s, Python %s on %s, %s", __version__,
             args.command or "window", ".".join(map(str, sys.version_info[:3])), _system(), frozen)
    log.info("folders: data %s, cache %s, log %s", settings.data_dir, settings.cache_dir, settings.log_dir)


def _system() -> str:
    """``Linux 6.1.0 x86_64``: the system, its release and the machine (as ``platform`` says them)."""
    uname = getattr(os, "uname", None)
    if uname is None:  # Windows: only there is the platform module (~5 ms at every start) needed
        import platform

        return f"{platform.system()} {platform.release()} {platform.machine()}"
    system = uname()
    return f"{system.sysname} {system.release} {system.machine}"


def _is_database_failure(exc: BaseException) -> bool:
    # SQLAlchemy is imported lazily (the window paints before it loads): when it was never
    # imported, no error can have come from it.
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    return sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.DBAPIError)


def _dispatch(args: argparse.Namespace) -> int:
    for given in (args.db, os.environ.get("DAYUAN_DB")):  # masked wherever it shows up later
        remember_secret(split_password(given)[1] if given else "")
    settings = load_settings(args.data_dir)
    if getattr(args, "user", None):
        settings = with_user_name(settings, args.user)
    _log_start(args, settings)
    if args.command is None:
        return _start_window(args, settings)
    if args.command == "db" and args.db_command == "upgrade":
        return command_handler("db:upgrade_schema")(args, settings)
    if args.command == "photo" and args.photo_command == "info":
        return command_handler("photos:show_photo_info")(args, settings)  # reads a file only: no database needed
    if args.command == "package" and args.check is not None:
        return command_handler("packages:check_package_file")(args, settings)  # a file only: no database needed
    if args.command == "publish":
        return command_handler("publish:publish_command")(args, settings)  # files and a server: no database needed
    if args.command == "list":  # a current SQLite file is listed without loading SQLAlchemy (~0.3 s)
        code = command_handler("articles:list_articles_quickly")(args, settings)
        if code is not None:
            return code
    if args.command == "export":  # nothing changed since the last export: told without SQLAlchemy (~0.3 s)
        code = command_handler("export:export_nothing_to_do")(args, settings)
        if code is None:  # a current SQLite file: the whole export without SQLAlchemy either (~0.2 s)
            code = command_handler("export:export_site_quickly")(args, settings)
        if code is not None:
            return code
    handler = command_handler(_STORE_COMMANDS[(args.command, _action(args))])
    store = _open_store(args, settings)
    try:
        return handler(args, store, settings)
    finally:
        store.db.dispose()


def _action(args: argparse.Namespace) -> str | None:
    """The action of a command that has them ("photo add", "db check"), else None."""
    return getattr(args, f"{args.command.replace('-', '_')}_command", None)


def _open_store(args: argparse.Namespace, settings: Settings):
    from dayuan_desktop.core.db import open_database
    from dayuan_desktop.core.store import Store

    database = open_database(database_target(args, settings), backup_dir=settings.backup_dir)
    log.info("database: %s", database.describe())
    store = Store(database, user_name=settings.user_name)
    bars = []  # a format upgrade: the index is rebuilt before the command, in one go, with a bar

    def progress(done: int, total: int) -> None:
        if not bars:  # imported only then: a current database's commands start without it
            from dayuan_desktop.cli.export import ProgressBar

            bars.append(ProgressBar(sys.stderr))
        bars[0].update(done, total, "articles indexed")

    try:
        rebuilt = store.ensure_search_index(progress)
    finally:
        for bar in bars:
            bar.close()
    if rebuilt and store.count_articles():
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
