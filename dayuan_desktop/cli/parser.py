"""The command line's grammar: one function per noun adds its commands (also what ``--help`` prints)."""

from __future__ import annotations

import argparse
from pathlib import Path

from dayuan_desktop import __version__

# The sub-parsers' collection, as argparse's add_subparsers returns it.
Commands = argparse._SubParsersAction


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: the global options, then every command."""
    parser = argparse.ArgumentParser(
        prog="dayuan-desktop",
        description="Dayuan Desktop: the newsroom workstation of 大院网. Without a command it starts the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="PATH_OR_URL", help="SQLite file or SQLAlchemy URL (default: $DAYUAN_DB, "
                        "else the SQLite file in the user data folder)")
    parser.add_argument("--data-dir", type=Path, help="keep data, cache and logs under this folder")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--user", metavar="NAME", help="name written into revisions and leases (default: the login name)")
    # Start the window, wait until the sample (or last) article and its preview are on screen,
    # print what is shown as JSON and exit 0; exit 1 if that does not happen. The installer's
    # smoke test runs the built bundle this way.
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add_commands in (_add_import_commands, _add_article_commands, _add_export_command,
                         _add_package_command, _add_photo_commands, _add_channel_commands, _add_tag_commands,
                         _add_database_commands, _add_sync_command, _add_publish_command):
        add_commands(commands)
    return parser


def _add_import_commands(commands: Commands) -> None:
    """import, export-md, sample: articles in and out as files."""
    p = commands.add_parser("import", help="import Markdown files (with YAML front matter) or portal pages (.html), "
                     "merge a package (FILE.zip) by the sync rules, or import every article page of a "
                     "mirrored copy of the site (DIR, channels created from it)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--create-channels", action="store_true", help="create channels that do not exist yet")
    p.add_argument("--allow-outside", action="store_true",
                   help="read images from outside the imported file's folder (refused by default)")

    p = commands.add_parser("export-md", help="write articles as Markdown files with their photos")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--article", metavar="NUMBER|UUID", action="append", help="only this article (repeatable)")

    commands.add_parser("sample", help="load the sample article (4709) and its channels")


def _add_article_commands(commands: Commands) -> None:
    """list, search, show, trash, restore, renumber, revisions."""
    p = commands.add_parser("list", help="list articles")
    p.add_argument("--channel", help="channel path, e.g. gsyl/lzgs (includes subchannels)")
    p.add_argument("--status", help="draft, review, ready, published or withdrawn")
    p.add_argument("--tag")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="on or after this date (sort field)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="before this date (sort field)")
    p.add_argument("--sort", choices=["updated", "published"], default="updated")
    p.add_argument("--oldest-first", action="store_true")
    p.add_argument("--trash", action="store_true", help="list the trash instead")
    p.add_argument("--conflicts", action="store_true", help="only conflict copies left by sync")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)

    p = commands.add_parser("search", help="search titles, bodies, tags, summaries and captions")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)

    p = commands.add_parser("show", help="print one article")
    p.add_argument("reference", metavar="NUMBER|UUID")

    p = commands.add_parser("trash", help="move an article to the trash")
    p.add_argument("reference", metavar="NUMBER|UUID")
    p = commands.add_parser("restore", help="bring an article back from the trash")
    p.add_argument("reference", metavar="NUMBER|UUID")
    p = commands.add_parser("renumber", help="give an article another number (a published one keeps a redirect)")
    p.add_argument("reference", metavar="NUMBER|UUID")
    p.add_argument("new_number", metavar="NEW", help="the new number, or 'none' to clear a draft's number")
    p = commands.add_parser("revisions", help="list an article's revisions")
    p.add_argument("reference", metavar="NUMBER|UUID")


def _add_export_command(commands: Commands) -> None:
    """export: the portal's static site."""
    p = commands.add_parser("export", help="export published articles as the portal's static site")
    p.add_argument("--out", type=Path, required=True, help="the site folder (created if missing)")
    p.add_argument("--article", metavar="NUMBER", type=int, action="append",
                   help="only this article's page and photos (repeatable)")
    p.add_argument("--templates", type=Path, metavar="DIR",
                   help="a folder of templates overriding the built-in portal templates")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_package_command(commands: Commands) -> None:
    """package: articles with their photos as one zip for no connection (ninjs 3.3 + Markdown), or check one."""
    p = commands.add_parser("package", help="write articles and their photos as one zip to carry or mail, "
                            "or check one (--check)")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", type=Path, metavar="FILE.zip", help="write the package here")
    what.add_argument("--check", type=Path, metavar="FILE.zip",
                      help="check a package as an import would and list what it holds (writes nothing)")
    p.add_argument("--article", metavar="NUMBER|UUID", action="append", help="only this article (repeatable)")
    p.add_argument("--since", metavar="DATE", help="only articles changed on or after this date")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_photo_commands(commands: Commands) -> None:
    """photo add, photo info."""
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


def _add_channel_commands(commands: Commands) -> None:
    """channels (list, --add, --rename, --set-path, --move, --up/--down)."""
    p = commands.add_parser("channels", help="list channels, or add, rename, move or reorder one")
    edit = p.add_mutually_exclusive_group()
    edit.add_argument("--add", metavar="PATH")
    edit.add_argument("--rename", nargs=2, metavar=("PATH", "NAME"), help="give a channel another display name")
    edit.add_argument("--set-path", nargs=2, metavar=("PATH", "SEGMENT"),
                      help="change the last segment of a channel's URL path (subchannels follow)")
    edit.add_argument("--move", nargs=2, metavar=("PATH", "PARENT"), help="put a channel under PARENT ('/' for the top)")
    edit.add_argument("--up", metavar="PATH", help="move a channel one place up among its siblings")
    edit.add_argument("--down", metavar="PATH", help="move a channel one place down among its siblings")
    p.add_argument("--name", help="display name for --add")
    p.add_argument("--yes", action="store_true",
                   help="confirm a path change that changes published articles' addresses (old ones redirect)")


def _add_tag_commands(commands: Commands) -> None:
    """tags suggest."""
    p = commands.add_parser("tags", help="tags: suggestions for an article")
    tag_commands = p.add_subparsers(dest="tags_command", metavar="ACTION", required=True)
    suggest = tag_commands.add_parser("suggest", help="print up to 8 suggested tags for an article, best first")
    suggest.add_argument("reference", metavar="NUMBER", help="the article's number (or uuid)")


def _add_database_commands(commands: Commands) -> None:
    """backup, db upgrade, db check, db reindex."""
    p = commands.add_parser("backup", help="write a consistent copy of the SQLite database")
    p.add_argument("file", type=Path)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="upgrade the schema to this version (a backup is written first)")
    db_commands.add_parser("check", help="check integrity (database, search index, bodies against their photos)")
    db_commands.add_parser("reindex", help="rebuild the search index")


def _add_sync_command(commands: Commands) -> None:
    """sync: exchange articles and photos with another database."""
    p = commands.add_parser("sync", help="exchange articles and photos with the newsroom's database (or a file)")
    p.add_argument("--with", dest="other", required=True, metavar="OTHER",
                   help="the other database: a URL (postgresql://…) or a SQLite file")
    p.add_argument("--user", help="receive the drafts whose author line names this user (default: the login name)")
    p.add_argument("--channel", metavar="PATH", help="also receive every article of this channel")
    p.add_argument("--since", metavar="DATE", help="receive new articles only if changed on or after this date")


def _add_publish_command(commands: Commands) -> None:
    """publish: the exported site to the portal's web server."""
    p = commands.add_parser("publish", help="publish the exported site to the web server (only what changed)")
    p.add_argument("--to", required=True, metavar="TARGET",
                   help="sftp://user@host[:port]/path, ftp://…, ftps://… (explicit TLS) or a folder")
    p.add_argument("--site", type=Path, metavar="DIR", help="the exported site (default: the window's export folder)")
    p.add_argument("--dry-run", action="store_true", help="show what would be sent and deleted; change nothing")
    p.add_argument("--max-deletes", type=int, default=256, metavar="N",
                   help="delete nothing when more than N files would go (default 256)")
    p.add_argument("--verify", action="store_true",
                   help="compare with what the server really holds and repair files changed or deleted there")
    p.add_argument("--accept-host-key", metavar="SHA256:…", help="trust a new SSH server with this fingerprint")
    p.add_argument("--identity", type=Path, action="append", metavar="KEY", help="SSH private key file (repeatable)")
    p.add_argument("--cafile", type=Path, metavar="PEM", help="FTPS: also trust the certificates in this file")
    p.add_argument("--connections", type=int, default=4, metavar="N", help="connections in parallel (default 4)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
