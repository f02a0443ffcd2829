"""The support log: what a start writes, rotation, uncaught exceptions, no passwords."""

from __future__ import annotations

import logging
import sys
import threading

import pytest

from dayuan_desktop import __version__
from dayuan_desktop.cli import main
from dayuan_desktop.core import logs


@pytest.fixture(autouse=True)
def _close_the_log():
    yield
    logs.stop_logging()


def test_log_file_records_messages_in_the_injected_folder(tmp_path):
    path = logs.configure_logging(tmp_path / "logs")
    assert path == tmp_path / "logs" / "dayuan-desktop.log"
    logging.getLogger("dayuan_desktop.test").info("稿件已保存")
    logging.getLogger("sqlalchemy.test").warning("a library's warning")
    logging.getLogger("sqlalchemy.test").info("a library's chatter")
    text = path.read_text(encoding="utf-8")
    assert "INFO" in text and "稿件已保存" in text
    assert "a library's warning" in text
    assert "chatter" not in text  # libraries log warnings and worse only


def test_the_log_rotates_and_keeps_a_bounded_number_of_files(tmp_path):
    folder = tmp_path / "logs"
    logs.configure_logging(folder, max_bytes=2_000, backups=3)
    for n in range(400):
        logs.log.info("line %04d %s", n, "x" * 40)
    files = sorted(path.name for path in folder.iterdir())
    assert files == ["dayuan-desktop.log", "dayuan-desktop.log.1", "dayuan-desktop.log.2", "dayuan-desktop.log.3"]
    assert all(path.stat().st_size <= 2_000 for path in folder.iterdir())
    assert "line 0399" in (folder / "dayuan-desktop.log").read_text(encoding="utf-8")  # the newest lines stay


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_log_files_are_readable_by_their_owner_only_also_after_rotation_and_from_an_older_version(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "dayuan-desktop.log").write_text("older version's log\n", encoding="utf-8")
    (folder / "dayuan-desktop.log").chmod(0o644)
    logs.configure_logging(folder, max_bytes=2_000, backups=2)
    for n in range(200):
        logs.log.info("稿件 %04d %s", n, "x" * 40)
    modes = {path.name: path.stat().st_mode & 0o777 for path in folder.iterdir()}
    assert set(modes) == {"dayuan-desktop.log", "dayuan-desktop.log.1", "dayuan-desktop.log.2"}
    assert set(modes.values()) == {0o600}, modes


@pytest.mark.qt_no_exception_capture  # pytest-qt would take the hook over for the test
def test_uncaught_exceptions_are_logged_with_their_traceback(tmp_path, capsys):
    path = logs.configure_logging(tmp_path)

    def fail():
        raise RuntimeError("the preview broke")

    try:
        fail()
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # what Python (and Qt, for a slot) does with an uncaught one
    text = path.read_text(encoding="utf-8")
    assert "CRITICAL" in text and "uncaught exception" in text
    assert "RuntimeError: the preview broke" in text and "in fail" in text
    assert "the preview broke" in capsys.readouterr().err  # still shown on stderr as before


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # pytest's hook, chained
def test_exceptions_in_threads_are_logged(tmp_path):
    path = logs.configure_logging(tmp_path)

    def work():
        raise ValueError("worker failed")

    thread = threading.Thread(target=work, name="export-worker")
    thread.start()
    thread.join()
    text = path.read_text(encoding="utf-8")
    assert "ValueError: worker failed" in text


def test_configuring_again_moves_the_log(tmp_path):
    first = logs.configure_logging(tmp_path / "a")
    second = logs.configure_logging(tmp_path / "b")
    logs.log.info("after the move")
    assert "after the move" in second.read_text(encoding="utf-8")
    assert "after the move" not in first.read_text(encoding="utf-8")
    assert logs.current_log_file() == second


def test_a_log_folder_that_cannot_be_made_does_not_stop_the_app(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")  # fails for root too, unlike permissions
    assert logs.configure_logging(blocker / "logs") is None
    assert "no log file" in capsys.readouterr().err
    home = tmp_path / "home"
    home.mkdir()
    (home / "logs").write_text("")  # the command's log folder cannot be made either
    assert main(["--data-dir", str(home), "sample"]) == 0
    assert "1 sample article(s) loaded" in capsys.readouterr().out


@pytest.mark.parametrize(("target", "shown"), [
    ("postgresql://editor:s3cret@db.example/dayuan", "postgresql://editor:***@db.example/dayuan"),
    ("postgresql+psycopg://editor:p@ss:w0rd@db:5432/x", "postgresql+psycopg://editor:***@db:5432/x"),
    ("postgresql://editor@db/dayuan", "postgresql://editor@db/dayuan"),
    ("/home/editor/.local/share/DayuanDesktop/dayuan.sqlite3", "/home/editor/.local/share/DayuanDesktop/dayuan.sqlite3"),
])
def test_passwords_never_reach_the_log(target, shown):
    assert logs.hide_password(target) == shown


def test_a_command_logs_its_start_version_database_and_result(tmp_path, capsys):
    home = tmp_path / "home"
    assert main(["--data-dir", str(home), "sample"]) == 0
    text = (home / "logs" / "dayuan-desktop.log").read_text(encoding="utf-8")
    assert f"start: dayuan-desktop {__version__}, command sample" in text
    assert f"database: sqlite:///{home / 'data' / 'dayuan.sqlite3'}" in text
    assert "sample finished, exit code 0" in text


def test_a_failing_command_is_logged_without_the_password(tmp_path, capsys):
    home = tmp_path / "home"
    # Nothing listens on port 1: the connection is refused at once.
    code = main(["--data-dir", str(home), "--db", "postgresql://editor:s3cret@127.0.0.1:1/dayuan", "list"])
    assert code == 1
    text = (home / "logs" / "dayuan-desktop.log").read_text(encoding="utf-8")
    assert "list failed" in text
    assert "s3cret" not in text
