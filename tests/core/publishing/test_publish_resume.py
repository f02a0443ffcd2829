"""Interrupted and tampered publishes: kill -9 mid-way resumes with only what is missing;
``--verify`` restores files changed or deleted on the server by hand; a lost record costs no upload."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.core.publishing.sitebuild import folder_files
from tests.helpers import run_cli as run

REPO = Path(__file__).resolve().parents[3]


def synthetic_site(folder: Path, photos: int = 600) -> dict[str, bytes]:
    """Many photo-sized files and a few pages: a publish that takes long enough to be killed."""
    files = {f"uploads/2026/12/{i:04d}.jpg": os.urandom(24_000) for i in range(photos)}
    files |= {f"news/{i}.html": f"<p>第{i}号</p>".encode() for i in range(1, 20)}
    files["index.html"] = b"<p>home</p>"
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return files


def journal_lines(data_dir: Path) -> list[str]:
    journals = list((data_dir / "publish").glob("*.journal"))
    if not journals:
        return []
    return [line for line in journals[0].read_text(encoding="utf-8").split("\n")[:-1]]


def test_kill_9_mid_publish_then_the_next_run_sends_only_what_was_missing(
        capsys, sftp_target, tmp_path, isolated_user_folders):
    site = tmp_path / "big-site"
    files = synthetic_site(site)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "dayuan_desktop", *sftp_target.args(site, "--connections", "1")],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    data_dir = isolated_user_folders / "data"
    deadline = time.monotonic() + 60
    while len(journal_lines(data_dir)) < 50 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGKILL)
    process.wait()
    confirmed = {line.split(" ", 2)[2] for line in journal_lines(data_dir) if line.startswith("+ ")}
    assert 50 <= len(confirmed) < len(files)
    for path in confirmed:  # what the record holds is really on the server
        assert (sftp_target.folder / path).read_bytes() == files[path]

    code, out, err = run(capsys, *sftp_target.args(site))
    assert code == 0, err
    assert out.strip().splitlines()[-1] == (
        f"{len(files) - len(confirmed)} uploaded, {len(confirmed)} unchanged, 0 deleted")
    assert folder_files(sftp_target.folder) == files  # the killed upload's temporary is gone too


def test_verify_restores_files_deleted_or_changed_on_the_server_by_hand(capsys, target, site):
    assert run(capsys, *target.args(site.out))[0] == 0
    (target.folder / "news/102.html").unlink()
    photo = next((target.folder / "uploads").rglob("*.jpg"))
    damaged = bytearray(photo.read_bytes())
    damaged[-10] ^= 0xFF  # same size, other content: a size comparison would miss it
    photo.write_bytes(bytes(damaged))
    code, out, _ = run(capsys, *target.args(site.out))
    assert code == 0 and out.strip().endswith("0 uploaded, " + f"{len(site.files())} unchanged, 0 deleted")

    code, out, err = run(capsys, *target.args(site.out, "--verify"))
    assert code == 0, err
    relative = photo.relative_to(target.folder).as_posix()
    assert "repaired: news/102.html" in out and f"repaired: {relative}" in out
    assert out.strip().splitlines()[-1].startswith("2 uploaded, ")
    assert folder_files(target.folder) == site.files()


def test_verify_after_the_record_was_lost_uploads_nothing_the_server_already_holds(
        capsys, sftp_target, site, isolated_user_folders):
    assert run(capsys, *sftp_target.args(site.out))[0] == 0
    shutil.rmtree(isolated_user_folders / "data" / "publish")
    code, out, err = run(capsys, *sftp_target.args(site.out, "--verify"))
    assert code == 0, err
    assert out.strip().splitlines()[-1] == f"0 uploaded, {len(site.files())} unchanged, 0 deleted"
