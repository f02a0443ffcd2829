"""``dayuan-desktop package``: --out writes a package of the chosen articles, --check verifies one and
lists it; a hostile package is one line on stderr, exit 1, and the database is left as it was."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.store import Store
from tests.core.packages.packagekit import fill_newsroom
from tests.helpers import run_cli


def _newsroom(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "newsroom.sqlite3"
    database = open_database(path)
    ids = fill_newsroom(Store(database, user_name="tester"))
    database.dispose()
    return path, ids


def test_package_then_check_lists_what_it_holds(tmp_path, capsys):
    db, ids = _newsroom(tmp_path)
    out = tmp_path / "field.zip"
    code, stdout, stderr = run_cli(capsys, "--db", str(db), "package", "--out", str(out))
    assert code == 0, stderr
    assert stdout.strip().splitlines()[-1].startswith(f"3 article(s), 2 photo(s) written to {out}")
    code, stdout, stderr = run_cli(capsys, "package", "--check", str(out))
    assert code == 0, stderr
    lines = stdout.strip().splitlines()
    assert lines[-1].startswith("package OK: 3 article(s), 2 photo(s), format 1")
    assert any("#4709" in line and "published" in line and "党旗飘扬" in line for line in lines)
    assert any("县城来稿" in line and "v2" in line and "[2 photo(s)]" in line for line in lines)
    assert any("撤下的稿子" in line and "in the trash" in line for line in lines)


def test_package_of_chosen_articles_since_a_date(tmp_path, capsys):
    db, ids = _newsroom(tmp_path)
    out = tmp_path / "one.zip"
    code, stdout, _ = run_cli(capsys, "--db", str(db), "package", "--out", str(out), "--article", "4709")
    assert code == 0 and stdout.startswith("1 article(s), 1 photo(s)")
    assert f"articles/{ids['published']}.json" in zipfile.ZipFile(out).namelist()
    code, _, stderr = run_cli(capsys, "--db", str(db), "package", "--out", str(out), "--since", "2999-01-01")
    assert code == 2 and "no article to package changed since 2999-01-01" in stderr
    code, _, stderr = run_cli(capsys, "--db", str(db), "package", "--out", str(out), "--since", "yesterday")
    assert code == 2 and "'yesterday' is not a date" in stderr
    assert zipfile.ZipFile(out).namelist()  # the earlier package is still whole


def test_a_hostile_package_is_one_line_and_changes_nothing(tmp_path, capsys):
    db, _ = _newsroom(tmp_path)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("../../outside.txt", "owned")
    code, stdout, stderr = run_cli(capsys, "--db", str(db), "package", "--check", str(evil))
    assert code == 1 and stdout == ""
    assert stderr.strip().splitlines() == [
        "dayuan-desktop: error: the package holds a file whose path leaves its folder, '../../outside.txt': refused"
    ]
    assert not (tmp_path.parent / "outside.txt").exists()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_check_of_junk_and_of_a_missing_file(tmp_path, capsys):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"\x00" * 1000)
    code, _, stderr = run_cli(capsys, "package", "--check", str(junk))
    assert code == 1 and "junk.zip is not a package: not a zip file, or damaged or cut short" in stderr
    code, _, stderr = run_cli(capsys, "package", "--check", str(tmp_path / "absent.zip"))
    assert code == 1 and "cannot read the package" in stderr and "No such file" in stderr


def test_out_and_check_go_alone(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        run_cli(capsys, "package", "--out", "a.zip", "--check", "b.zip")
    assert exited.value.code == 2
