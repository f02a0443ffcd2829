"""An export with nothing to do, told with the sqlite3 module alone (issue 20).

An export that finds nothing to do still paid ~0.45 s, almost all of it importing SQLAlchemy,
the models, Jinja and python-markdown before planning found every file current. Everything
an export's output is made from is:

* the database's content: on SQLite, triggers (migration 0010) replace a random token in
  ``app_meta['export_inputs']`` on every row written to a table the export reads;
* this version of the app (its templates' defaults, renditions, keys), the schema and the
  search-index format it keeps;
* the templates: the built-in folder and a ``--templates`` folder, by every file's size and
  modification time;
* the output folder: which one, and that it still holds the manifest's files as the last
  export left them (size, modification time and inode of each; no temporary file or symbolic link).

A complete export (every file of the site recorded, nothing skipped, no selection) writes
:func:`record` of these into its manifest, with what it would print on doing nothing (its
planning warnings, redirects, the number of files). :func:`nothing_to_do` compares them
again; when all are equal the command prints the same lines and exits. Any difference or
doubt — a server URL, a missing or older file, a damaged manifest, a file touched in the
folder, any error — returns None and the export runs the usual way, which decides file by
file (and writes a fresh record when it completes).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dayuan_desktop import __version__
from dayuan_desktop.core.export_names import MANIFEST_FORMAT, MANIFEST_NAME, RECORD_KEY, TEMP_MARK
from dayuan_desktop.core.markers import EXPORT_INPUTS_KEY, SCHEMA_HEAD, SEARCH_FORMAT
from dayuan_desktop.core.quick_list import BUSY_TIMEOUT_S, current_file
from dayuan_desktop.core.resources import portal_template_dir

RECORD_FORMAT = 1
_TRIGGERS = 24  # migration 0010: insert, update and delete on 8 tables


@dataclass(frozen=True)
class NothingToDo:
    """What an export that writes nothing prints: the last complete export's findings."""

    unchanged: int
    redirects: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]

    def summary(self) -> str:
        """The same line as ``ExportReport.summary`` for an export that wrote nothing."""
        text = f"0 written, {self.unchanged} unchanged, 0 removed"
        return text + (f", {len(self.redirects)} redirect(s)" if self.redirects else "")


def inputs(database: Path, token: str, out_root: Path, template_dir: Path | None) -> dict[str, object]:
    """Everything besides the output folder's files that decides an export's output."""
    templates = Path(template_dir).expanduser().resolve() if template_dir is not None else None
    return {
        "app": __version__, "schema": SCHEMA_HEAD, "search": SEARCH_FORMAT,
        "database": str(Path(database).resolve()), "token": token, "out": str(Path(out_root).resolve()),
        "templates": str(templates or ""), "template_files": _tree_fingerprint([portal_template_dir(), templates]),
    }


def record(inputs_now: dict[str, object], out_root: Path, files: list[str], unchanged: int,
           redirects: list[tuple[str, str]], warnings: list[str]) -> dict[str, object] | None:
    """The manifest's record of a complete export (None when the folder cannot be fingerprinted)."""
    try:
        held = files_fingerprint(Path(out_root), files)
    except OSError:  # an unreadable folder: no record, the next export runs in full
        return None
    if held is None:
        return None
    return {"format": RECORD_FORMAT, "inputs": inputs_now, "files": held, "unchanged": unchanged,
            "redirects": [list(pair) for pair in redirects], "warnings": list(warnings)}


def nothing_to_do(target: str, out: Path, template_dir: Path | None) -> NothingToDo | None:
    """What to print when the export at ``out`` of the SQLite file ``target`` is current; else None."""
    try:
        return _decide(target, Path(out), template_dir)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, sqlite3.Error):
        return None  # any doubt: the usual way decides and reports


def _decide(target: str, out: Path, template_dir: Path | None) -> NothingToDo | None:
    if "://" in target:
        return None
    database = Path(target).expanduser().resolve()
    out_root = out.expanduser().resolve()
    manifest = out_root / MANIFEST_NAME
    if not database.is_file() or manifest.is_symlink() or not manifest.is_file():
        return None
    data = json.loads(manifest.read_bytes())
    saved = data.get(RECORD_KEY)
    files = data.get("files")
    if data.get("format") != MANIFEST_FORMAT or not isinstance(saved, dict) or not isinstance(files, dict):
        return None
    if saved.get("format") != RECORD_FORMAT or saved.get("unchanged") != len(files):
        return None
    token = database_token(database)
    if token is None or inputs(database, token, out_root, template_dir) != saved.get("inputs"):
        return None
    if files_fingerprint(out_root, list(files)) != saved.get("files"):
        return None
    redirects = tuple((str(old), str(new)) for old, new in saved["redirects"])
    return NothingToDo(len(files), redirects, tuple(str(line) for line in saved["warnings"]))


def database_token(database: Path) -> str | None:
    """The export-inputs token of a current SQLite file with its triggers in place; else None
    (also on any error: the caller then records nothing or takes the usual way)."""
    try:
        return _read_token(database)
    except (OSError, sqlite3.Error):
        return None


def _read_token(database: Path) -> str | None:
    connection = sqlite3.connect(f"{database.as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S,
                                 isolation_level=None)
    try:
        connection.execute("BEGIN")
        if not current_file(connection):
            return None
        triggers = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_export\\_inputs\\_%' "
            "ESCAPE '\\'").fetchone()[0]
        token = connection.execute("SELECT value FROM app_meta WHERE key = ?", (EXPORT_INPUTS_KEY,)).fetchall()
        return str(token[0][0]) if triggers == _TRIGGERS and len(token) == 1 and token[0][0] else None
    finally:
        connection.close()


def files_fingerprint(root: Path, files: list[str]) -> str | None:
    """A digest of the size, modification time and inode of each of ``files`` in the folder (not the
    change time: another export folder hard-linking the same cached rendition moves it); None when one is
    missing or the folder holds a temporary file or a symbolic link anywhere (the usual export
    cleans or refuses those)."""
    found: dict[str, os.stat_result] = {}
    pending = [("", str(root))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink() or entry.name.startswith(TEMP_MARK):
                    return None
                if entry.is_dir():
                    pending.append((prefix + entry.name + "/", entry.path))
                else:
                    found[prefix + entry.name] = entry.stat()
    digest = hashlib.sha256()
    for path in sorted(files):
        status = found.get(path)
        if status is None:
            return None
        digest.update(f"{path}\x1f{status.st_size}\x1f{status.st_mtime_ns}\x1f{status.st_ino}\x1e".encode())
    return digest.hexdigest()


def _tree_fingerprint(folders: list[Path | None]) -> str:
    """A digest of every file's path, size and modification time under these folders."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(f"{folder}\x1d".encode())
        if folder is None or not folder.is_dir():
            continue
        for parent, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                status = os.stat(os.path.join(parent, name))
                relative = os.path.relpath(os.path.join(parent, name), folder)
                digest.update(f"{relative}\x1f{status.st_size}\x1f{status.st_mtime_ns}\x1e".encode())
    return digest.hexdigest()
