"""An export folder that cannot be written (full disk, read-only disk, no permission) and a planted
symbolic link, through the command a user runs: one line saying what and where, nothing else.

The full and read-only disks are real small tmpfs file systems mounted for the test (the tests
run as root, so a chmod'ed folder would not stop a write); they are skipped where mounting is
not permitted. The chmod'ed folder is checked when the tests run as an ordinary user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.core.export.sitekit import site_files
from tests.helpers import run_cli as run

PAGE = "gsyl/lzgs/4709.html"


@pytest.fixture
def db(tmp_path, capsys) -> list[str]:
    """``--db`` of a SQLite file holding the sample (article 4709 with its photo)."""
    arg = ["--db", str(tmp_path / "newsroom.sqlite3"), "--data-dir", str(tmp_path / "data")]
    code, _, err = run(capsys, *arg, "sample")
    assert code == 0, err
    return arg


def _mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(folder)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"mount is not permitted here: {result.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path):
    """A real 24 KiB file system: the sample site (~100 KB) does not fit."""
    folder = tmp_path / "small"
    _mount_tmpfs(folder, "24k")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def read_only_disk(tmp_path):
    """A real file system mounted read-only, holding an empty ``site`` folder."""
    folder = tmp_path / "ro"
    _mount_tmpfs(folder, "1m")
    try:
        (folder / "site").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("[")]  # [###…] progress
    assert len(lines) == 1, err
    assert lines[0].startswith("dayuan-desktop: error: cannot write ") and "unexpected" not in lines[0], err
    return lines[0]


def test_full_disk_says_what_and_where_in_one_line(db, small_disk, capsys):
    site = small_disk / "site"
    code, out, err = run(capsys, *db, "export", "--quiet", "--out", str(site))
    assert code == 1
    line = _one_error_line(err)
    assert f"{site}/" in line and line.endswith("the disk is full (No space left on device)"), line
    assert not [name for name in os.listdir(site) if name.startswith(".dayuan-tmp")]  # no half-written files left
    assert out == ""


def test_read_only_disk_says_what_and_where_in_one_line(db, read_only_disk, capsys):
    site = read_only_disk / "site"
    code, _, err = run(capsys, *db, "export", "--quiet", "--out", str(site))
    assert code == 1
    line = _one_error_line(err)
    assert str(site) in line and "the disk is read-only (Read-only file system)" in line, line


def test_folder_without_write_permission(db, tmp_path, capsys):
    """A chmod'ed folder stops an ordinary user; root ignores it (the read-only mount above covers root)."""
    if os.geteuid() == 0:
        pytest.skip("root writes into a chmod'ed folder anyway; see the read-only mount test")
    site = tmp_path / "locked"
    site.mkdir()
    site.chmod(0o555)
    try:
        code, _, err = run(capsys, *db, "export", "--quiet", "--out", str(site))
    finally:
        site.chmod(0o755)
    assert code == 1
    line = _one_error_line(err)
    assert str(site) in line and "permission denied" in line, line


def test_planted_symlink_is_skipped_and_the_rest_exported(db, tmp_path, capsys):
    site = tmp_path / "site"
    (site / "gsyl").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / "gsyl" / "lzgs").symlink_to(elsewhere, target_is_directory=True)
    code, out, err = run(capsys, *db, "export", "--quiet", "--out", str(site))
    assert code == 1  # the site is incomplete: scripts must notice
    assert out.strip().splitlines()[-1].endswith("skipped")
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert any(line.startswith(f"warning: {PAGE} skipped: ") and "leads outside the export folder" in line
               for line in warnings), err
    assert os.listdir(elsewhere) == []
    assert {"index.html", "rss.xml", "sitemap.xml"} <= set(site_files(site))
