"""Commands start fast (issue 20): what a command imports before it does anything.

Each check runs in a fresh interpreter (``sys.modules`` of the test process already holds
everything). No timings are asserted: the imports are what the time goes to, and they are
stable where wall-clock times on a busy machine are not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dayuan_desktop.cli.entry import _STORE_COMMANDS, command_handler

ROOT = Path(__file__).resolve().parents[1]
# Libraries that cost tens of milliseconds each to import; none is needed to parse a command line.
HEAVY = ("sqlalchemy", "alembic", "PIL", "markdown", "jinja2", "PySide6", "jieba", "paramiko", "jsonschema", "psycopg")
COMMAND_MODULES = tuple(f"dayuan_desktop.cli.{name}" for name in (
    "articles", "channels", "db", "export", "imports", "packages", "photos", "publish", "sync", "tags"))

CHILD = r"""
import json, sys
from dayuan_desktop.cli import main
for argv in json.loads(sys.argv[1]):
    try:
        code = main(argv)
    except SystemExit as exc:  # --help and --version end in argparse
        code = exc.code
    print(json.dumps({"argv": argv, "code": code}), file=sys.stderr)
watched = json.loads(sys.argv[2])
print(json.dumps(sorted(name for name in sys.modules if name in watched or name.split(".")[0] in watched)))
"""


def _imported_after(*argvs: list[str], watched: tuple[str, ...], env: dict | None = None) -> list[str]:
    """Run the command lines in one fresh interpreter; which ``watched`` modules it imported."""
    # This checkout's package, not an installed one: the child starts in the repository.
    child_env = {**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(argvs), json.dumps(watched)], cwd=ROOT,
                          env=child_env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_and_version_import_no_heavy_library_and_no_command():
    assert _imported_after(["--help"], ["--version"], ["list", "--help"], watched=HEAVY + COMMAND_MODULES) == []


def test_a_usage_error_imports_no_command(tmp_path):
    # exit 2 from argparse, before anything is opened
    assert _imported_after(["list", "--limit", "many"], watched=HEAVY + COMMAND_MODULES) == []


def test_list_imports_its_own_command_only_and_no_database_layer_once_the_file_is_current(tmp_path, capsys):
    from dayuan_desktop.cli import main

    argv = ["--data-dir", str(tmp_path / "home"), "--db", str(tmp_path / "a.sqlite3"), "list"]
    watched = ("PIL", "markdown", "jinja2", "PySide6", "jieba", "paramiko") + COMMAND_MODULES
    # The first list creates the file: the database layer does that, as before.
    first = _imported_after(argv, watched=watched + ("sqlalchemy",))
    assert "sqlalchemy" in first and [name for name in first if not name.startswith("sqlalchemy")] == [
        "dayuan_desktop.cli.articles"]
    assert main(argv) == 0 and "none of 0 article(s)" in capsys.readouterr().out
    assert _imported_after(argv, watched=watched + ("sqlalchemy", "alembic")) == ["dayuan_desktop.cli.articles"]
    # A filter only the store answers takes the usual way.
    assert "sqlalchemy" in _imported_after([*argv, "--tag", "民生"], watched=("sqlalchemy",))


def test_every_command_name_stands_for_a_function():
    for name in _STORE_COMMANDS.values():
        assert callable(command_handler(name)), name
    for name in ("db:upgrade_schema", "photos:show_photo_info", "packages:check_package_file", "publish:publish_command"):
        assert callable(command_handler(name)), name


def test_an_export_with_nothing_to_do_renders_nothing_and_one_after_a_change_writes_it(tmp_path, capsys):
    from dayuan_desktop.cli import main
    from dayuan_desktop.core.visible_text import visible_lines
    from tests.core.export.sitekit import edit, open_sqlite_store

    database, site, home = tmp_path / "newsroom.sqlite3", tmp_path / "site", tmp_path / "home"
    common = ["--data-dir", str(home), "--db", str(database)]
    assert main([*common, "sample"]) == 0  # #4709, with a photo and a Markdown body
    assert main([*common, "export", "--out", str(site), "--quiet"]) == 0
    capsys.readouterr()
    export = [*common, "export", "--out", str(site), "--quiet"]
    # Nothing changed: told from the SQLite file and the folder (core.quick_export), so neither the
    # database layer nor the renderer (Jinja, Markdown, Pillow) is even imported.
    assert _imported_after(export, watched=HEAVY) == []

    # A full export of the current file into a new folder reads it with sqlite3 alone: no database layer,
    # no Pillow for the renditions the cache holds, no process pool with nothing to hand it (issue 20).
    full = [*common, "export", "--out", str(tmp_path / "another"), "--quiet"]
    heavy_for_a_full_export = ("sqlalchemy", "alembic", "PIL", "multiprocessing", "concurrent", "xml", "email", "ssl")
    assert _imported_after(full, watched=heavy_for_a_full_export) == []
    assert _site_files(tmp_path / "another") == _site_files(site)

    store = open_sqlite_store(database)
    try:
        edit(store, 4709, title="改过的标题")
    finally:
        store.db.dispose()
    child_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "dayuan_desktop", *export], cwd=ROOT, env=child_env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written = int(done.stdout.splitlines()[-1].split()[0])  # "N written, M unchanged, 0 removed"
    assert written >= 1
    assert "改过的标题" in visible_lines((site / "gsyl" / "lzgs" / "4709.html").read_text(encoding="utf-8"))


def _site_files(folder: Path) -> dict[str, bytes]:
    """Every file of an exported site but the manifest (whose last-export record names the folder)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.name != ".dayuan-export.json"}
