"""``dayuan-desktop import`` with hostile files, run as a real process with a time limit: a named
pipe never hangs it, one bad file never stops the batch, every error is one line, the exit code
says something failed, and ``--allow-outside`` reads images from outside the folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import jpeg_bytes, write_markdown

TIME_LIMIT = 120  # far above a normal run (a few seconds); only a hang reaches it


def _import(tmp_path: Path, *arguments: str | Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DAYUAN_DATA_DIR": str(tmp_path / "data")}
    env.pop("DAYUAN_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "dayuan_desktop", "--db", str(tmp_path / "db.sqlite3"), "import", *map(str, arguments)],
        capture_output=True, text=True, timeout=TIME_LIMIT, env=env,
    )


def _failed_lines(result: subprocess.CompletedProcess) -> list[str]:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert all(line.startswith("FAILED   ") for line in lines), result.stderr  # nothing else, no traceback
    return lines


def test_named_pipe_as_image_and_as_file_does_not_hang_the_batch(tmp_path):
    os.mkfifo(tmp_path / "pipe.jpg")
    os.mkfifo(tmp_path / "pipe.md")
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "p.jpg").write_bytes(jpeg_bytes())
    first = write_markdown(tmp_path, "1.md", front="title: 第一篇\n", body="![图](p.jpg)\n")
    piped = write_markdown(tmp_path, "2.md", front="title: 管道\n", body="![管](pipe.jpg)\n")
    last = write_markdown(tmp_path, "3.md", front="title: 第三篇\n")
    result = _import(tmp_path, first, piped, tmp_path / "pipe.md", tmp_path / "pipe.html", last)
    assert result.returncode == 1
    assert "2 imported, 3 failed" in result.stdout
    assert "imported " + str(first) in result.stdout and "imported " + str(last) in result.stdout
    failed = _failed_lines(result)
    assert len(failed) == 3 and all("(a named pipe)" in line for line in failed)
    assert "image 'pipe.jpg' (line 1)" in failed[0]


def test_every_hostile_file_fails_alone_in_one_line(tmp_path):
    good = write_markdown(tmp_path, "good.md", front="title: 好的\n")
    bad = [
        write_markdown(tmp_path, "number.md", front='title: 标题\nnumber: "²"\n'),
        write_markdown(tmp_path, "date.md", front="title: 标题\ndate: 0001-01-01 00:00:00\n"),
        write_markdown(tmp_path, "deep.md", front="title: " + "[" * 20_000 + "]" * 20_000 + "\n"),
        write_markdown(tmp_path, "zero.md", front="title: 标题\n", body="![零](/dev/zero)\n"),
        write_markdown(tmp_path, "random.md", front="title: 标题\n", body="![随机](/dev/urandom)\n"),
    ]
    (tmp_path / "folder.md").mkdir()
    result = _import(tmp_path, *bad, tmp_path / "folder.md", good)
    assert result.returncode == 1
    assert "1 imported, 6 failed" in result.stdout and "imported " + str(good) in result.stdout
    failed = _failed_lines(result)
    assert len(failed) == 6
    assert "unexpected error" not in result.stderr and "Traceback" not in result.stderr
    assert "front matter 'number'" in failed[0] and "front matter 'date'" in failed[1] and "nests" in failed[2]
    assert "points outside the folder" in failed[3]


def test_endless_devices_are_not_read_even_when_outside_is_allowed(tmp_path):
    zero = write_markdown(tmp_path, "zero.md", front="title: 标题\n", body="![零](/dev/zero)\n")
    random = write_markdown(tmp_path, "random.md", front="title: 标题\n", body="![随机](/dev/urandom)\n")
    result = _import(tmp_path, "--allow-outside", zero, random)
    assert result.returncode == 1 and "0 imported, 2 failed" in result.stdout
    failed = _failed_lines(result)
    assert len(failed) == 2 and all("is not a regular file (a device)" in line for line in failed)


def test_allow_outside_reads_an_image_from_elsewhere(tmp_path):
    outside = tmp_path / "elsewhere" / "photo.jpg"
    outside.parent.mkdir()
    outside.write_bytes(jpeg_bytes(400, 300))
    folder = tmp_path / "in"
    folder.mkdir()
    article = write_markdown(folder, front="title: 外面的照片\n", body=f"![外]({outside})\n")
    refused = _import(tmp_path, article)
    assert refused.returncode == 1 and "0 imported, 1 failed" in refused.stdout
    [line] = _failed_lines(refused)
    assert str(outside) in line and "--allow-outside" in line
    allowed = _import(tmp_path, "--allow-outside", article)
    assert allowed.returncode == 0, allowed.stderr
    assert "外面的照片 (1 photo(s))" in allowed.stdout


def test_photo_add_of_a_named_pipe_or_a_device_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "pipe.jpg")
    env = {**os.environ, "DAYUAN_DATA_DIR": str(tmp_path / "data")}
    db = ["--db", str(tmp_path / "db.sqlite3")]
    sample = subprocess.run([sys.executable, "-m", "dayuan_desktop", *db, "sample"], capture_output=True, text=True,
                            timeout=TIME_LIMIT, env=env)
    assert sample.returncode == 0, sample.stderr
    for file, kind in ((tmp_path / "pipe.jpg", "a named pipe"), (Path("/dev/zero"), "a device")):
        result = subprocess.run([sys.executable, "-m", "dayuan_desktop", *db, "photo", "add", "4709", str(file)],
                                capture_output=True, text=True, timeout=TIME_LIMIT, env=env)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"dayuan-desktop: error: {file.name} is not a regular file ({kind}); only files can be read"
        ], result.stderr
