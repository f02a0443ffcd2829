"""The command line, run in-process (and once as a real process): outputs and exit codes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dayuan_desktop import __version__
from dayuan_desktop.cli import main
from tests.helpers import jpeg_bytes, write_markdown
from tests.helpers import run_cli as run

BODY = (
    "亮身份、扬旗帜、树形象,连日来,市区机关广大党员干部奋战在一线。\n\n"
    '![图为防控人员在道路卡口逐一查验过往车辆。](checkpoint.jpg "马向英")\n\n'
    "## 党员干部集结下沉防疫一线\n"
)




@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    (tmp_path / "checkpoint.jpg").write_bytes(jpeg_bytes())
    return write_markdown(tmp_path, body=BODY)


@pytest.fixture
def db_arg(database_url: str) -> list[str]:
    """``--db`` pointing at a fresh database of the backend under test."""
    return ["--db", database_url]


def test_import_then_search_two_characters_finds_it(capsys, db_arg, sample_file):
    code, out, err = run(capsys, *db_arg, "import", "--create-channels", str(sample_file))
    assert code == 0, err
    assert "imported" in out and "#4709" in out and "1 photo(s)" in out
    assert "1 imported, 0 failed" in out
    code, out, _ = run(capsys, *db_arg, "search", "扬旗")
    assert code == 0
    assert "4709" in out and "党旗飘扬筑起疫情防控“钢铁长城”" in out and "1 result(s)" in out
    code, out, _ = run(capsys, *db_arg, "search", "不存在的词")
    assert code == 0 and "0 result(s)" in out


def test_default_database_is_created_in_the_user_data_folder(capsys, sample_file, isolated_user_folders):
    code, _, err = run(capsys, "import", "--create-channels", str(sample_file))
    assert code == 0, err
    database = isolated_user_folders / "data" / "dayuan.sqlite3"
    assert database.is_file()
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT number FROM articles").fetchall() == [(4709,)]


def test_dayuan_db_environment_variable_selects_the_database(capsys, monkeypatch, tmp_path, sample_file):
    target = tmp_path / "elsewhere.sqlite3"
    monkeypatch.setenv("DAYUAN_DB", str(target))
    assert run(capsys, "import", "--create-channels", str(sample_file))[0] == 0
    assert target.is_file()
    code, out, _ = run(capsys, "--db", str(tmp_path / "empty.sqlite3"), "list")
    assert code == 0 and "of 0 article(s)" in out  # --db wins over DAYUAN_DB


def test_list_show_revisions_trash_restore(capsys, db_arg, sample_file):
    run(capsys, *db_arg, "import", "--create-channels", str(sample_file))
    code, out, _ = run(capsys, *db_arg, "list", "--channel", "gsyl", "--status", "published", "--tag", "防控")
    assert code == 0 and "4709" in out and "1–1 of 1" in out
    code, out, _ = run(capsys, *db_arg, "list", "--status", "draft")
    assert "of 0 article(s)" in out
    code, out, _ = run(capsys, *db_arg, "show", "4709")
    assert code == 0
    assert "title: 党旗飘扬筑起疫情防控“钢铁长城”" in out and "tags: 防控 疫情 党员干部" in out
    assert "published: 2022-12-13 14:46" in out and "## 党员干部集结下沉防疫一线" in out
    code, out, _ = run(capsys, *db_arg, "revisions", "4709")
    assert code == 0 and "import" in out
    assert run(capsys, *db_arg, "trash", "4709")[0] == 0
    assert "of 0 article(s)" in run(capsys, *db_arg, "list")[1]
    assert "0 result(s)" in run(capsys, *db_arg, "search", "扬旗")[1]
    assert "4709" in run(capsys, *db_arg, "list", "--trash")[1]
    assert run(capsys, *db_arg, "restore", "#4709")[0] == 0
    assert "1 result(s)" in run(capsys, *db_arg, "search", "扬旗")[1]


def test_export_md_writes_files_and_photos(capsys, db_arg, sample_file, tmp_path):
    run(capsys, *db_arg, "import", "--create-channels", str(sample_file))
    out_dir = tmp_path / "md"
    code, out, _ = run(capsys, *db_arg, "export-md", "--out", str(out_dir))
    assert code == 0 and "1 article(s) written" in out
    text = (out_dir / "4709.md").read_text(encoding="utf-8")
    assert '"马向英")' in text
    assert len(list((out_dir / "photos").glob("*.jpg"))) == 1


def test_failed_file_in_batch_gives_exit_1_and_reports_each(capsys, db_arg, tmp_path, sample_file):
    bad = write_markdown(tmp_path, "bad.md", front="title: 坏\nnumber: x\n")
    code, out, err = run(capsys, *db_arg, "import", "--create-channels", str(bad), str(sample_file))
    assert code == 1
    assert "FAILED" in err and "bad.md" in err and "number" in err
    assert "imported" in out and "1 imported, 1 failed" in out


def test_errors_are_one_line_without_traceback(capsys, db_arg):
    code, out, err = run(capsys, *db_arg, "show", "99999")
    assert code == 1
    assert err.strip().count("\n") == 0 and "no article" in err and "Traceback" not in err


def test_debug_shows_the_traceback(db_arg):
    from dayuan_desktop.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        main([*db_arg, "--debug", "show", "99999"])


def test_usage_errors_exit_2(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    code, _, err = run(capsys, "--db", str(tmp_path / "x.sqlite3"), "list", "--from", "last tuesday")
    assert code == 2 and "not a date" in err


def test_no_command_starts_the_window_which_loads_the_sample_and_quits_cleanly_on_sigterm(tmp_path):
    import signal
    import time

    data = tmp_path / "home"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DAYUAN_DATA_DIR": str(data)}
    # -X faulthandler: should the window crash while closing, its stack shows in the failure.
    process = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "dayuan_desktop"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    database = data / "data" / "dayuan.sqlite3"
    try:
        deadline = time.monotonic() + 60
        titles: list = []
        while time.monotonic() < deadline and not titles:
            time.sleep(0.2)
            assert process.poll() is None, process.communicate()
            if database.exists():
                try:
                    with sqlite3.connect(database) as connection:
                        titles = connection.execute("SELECT title FROM articles WHERE number = 4709").fetchall()
                except sqlite3.OperationalError:
                    pass  # the schema is still being created
        assert titles == [("党旗飘扬筑起疫情防控“钢铁长城”",)]
        process.send_signal(signal.SIGTERM)  # a logout or shutdown: close like the user would
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err


def test_backup_makes_a_readable_copy_and_db_check_passes(capsys, tmp_path, sample_file):
    database = tmp_path / "main.sqlite3"
    run(capsys, "--db", str(database), "import", "--create-channels", str(sample_file))
    copy = tmp_path / "copy.sqlite3"
    code, out, _ = run(capsys, "--db", str(database), "backup", str(copy))
    assert code == 0 and "backup written" in out
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT title FROM articles").fetchone()[0] == "党旗飘扬筑起疫情防控“钢铁长城”"
    code, out, _ = run(capsys, "--db", str(copy), "db", "check")
    assert code == 0 and "database OK" in out
    code, out, _ = run(capsys, "--db", str(copy), "search", "扬旗")
    assert "1 result(s)" in out


def test_db_check_reports_a_damaged_file(capsys, tmp_path, sample_file):
    database = tmp_path / "main.sqlite3"
    run(capsys, "--db", str(database), "import", "--create-channels", str(sample_file))
    data = bytearray(database.read_bytes())
    data[0:16] = b"not sqlite at al"
    database.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    code, _, err = run(capsys, "--db", str(database), "db", "check")
    assert code == 1 and err.startswith("dayuan-desktop: error:") and "Traceback" not in err


def test_db_upgrade_on_a_fresh_and_a_current_database(capsys, tmp_path):
    target = str(tmp_path / "fresh.sqlite3")
    code, out, _ = run(capsys, "--db", target, "db", "upgrade")
    assert code == 0 and "upgraded from empty" in out
    code, out, _ = run(capsys, "--db", target, "db", "upgrade")
    assert code == 0 and "already at" in out


def test_backup_refuses_a_server_database(capsys, postgres_url):
    code, _, err = run(capsys, "--db", postgres_url, "backup", "x.sqlite3")
    assert code == 1 and "pg_dump" in err


def test_real_process_version_and_module_entry_point(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "dayuan_desktop", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and __version__ in result.stdout
    script = Path(sys.executable).with_name("dayuan-desktop")
    result = subprocess.run(
        [str(script), "--db", str(tmp_path / "p.sqlite3"), "show", "1"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1 and result.stderr.startswith("dayuan-desktop: error:")
