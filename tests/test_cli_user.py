"""``--user``: the name the command line writes into revisions (the login name without it)."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from tests.helpers import run_cli as run
from tests.helpers import write_markdown


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    return write_markdown(tmp_path, body="正文第一段。\n")


def test_user_option_names_the_revision(capsys, tmp_path, article_file):
    db = ["--db", str(tmp_path / "cli.sqlite3")]
    code, _out, err = run(capsys, *db, "--user", "张三", "import", "--create-channels", str(article_file))
    assert code == 0, err
    code, out, _ = run(capsys, *db, "revisions", "4709")
    assert code == 0 and "张三" in out


def test_without_user_option_the_login_name_is_used(capsys, tmp_path, article_file):
    db = ["--db", str(tmp_path / "cli.sqlite3")]
    assert run(capsys, *db, "import", "--create-channels", str(article_file))[0] == 0
    code, out, _ = run(capsys, *db, "revisions", "4709")
    assert code == 0 and getpass.getuser() in out


@pytest.mark.parametrize("name", ["   ", "名" * 101, "bad\x07name"])
def test_an_unusable_user_name_is_one_line_and_changes_nothing(capsys, tmp_path, article_file, name):
    database = tmp_path / "cli.sqlite3"
    code, out, err = run(capsys, "--db", str(database), "--user", name, "import", "--create-channels",
                         str(article_file))
    assert code != 0 and out == ""
    assert "user name" in err and len(err.strip().splitlines()) == 1
    assert not database.exists()
