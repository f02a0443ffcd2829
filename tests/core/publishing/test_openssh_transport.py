"""SFTP over OpenSSH's own client (``ssh -s sftp``) against the real sshd: used only for a host
already in our known-hosts file, byte for byte, resumable, and paramiko wherever it cannot keep a guarantee."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dayuan_desktop.core.publishing.hostkeys import HostKeyChanged
from dayuan_desktop.core.publishing.openssh import OpenSshConnection, OpenSshUnavailable, host_is_known
from dayuan_desktop.core.publishing.site_publish import (
    PublishOptions,
    connection_opener,
    open_record,
    publish_site,
)
from dayuan_desktop.core.publishing.targets import PublishError, parse_target
from tests.core.publishing.servers import start_sshd, unavailable
from tests.core.publishing.sitebuild import folder_files


@pytest.fixture(autouse=True)
def openssh_client() -> None:
    """Skipped locally, failed in CI, without OpenSSH's client (as without its server)."""
    if not shutil.which("ssh"):
        unavailable("no OpenSSH client (apt-get install openssh-client)")


def known_line(server) -> str:
    """The line paramiko writes for the server, written here by hand."""
    kind, key = server.host_key.with_suffix(".pub").read_text().split()[:2]
    return f"[127.0.0.1]:{server.port} {kind} {key}\n"


def options_for(server, data: Path, **more) -> PublishOptions:
    return PublishOptions(data_dir=data, cache_dir=data.parent / "cache", identity_files=(str(server.user_key),),
                          **{"connections": 1, **more})


def ssh_children() -> list[int]:
    """The ``ssh`` processes this test process started."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                name = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if name == "ssh" and int(fields[1]) == os.getpid():
                found.append(int(entry.name))
    return found


def test_a_host_met_first_goes_through_paramiko_then_openssh_reads_its_known_hosts_line(sshd, site, tmp_path):
    folder = sshd.folder / "www-openssh-first"
    folder.mkdir()
    target, data = parse_target(sshd.url(folder)), tmp_path / "data"
    with pytest.raises(PublishError, match="not known yet"):  # unknown: paramiko's question, not ssh's
        publish_site(site.out, target, options_for(sshd, data))
    _, report = publish_site(site.out, target, options_for(sshd, data, accept_host_key=sshd.fingerprint))
    assert len(report.uploaded) == len(site.files()) and folder_files(folder) == site.files()
    assert host_is_known(data / "known_hosts", "127.0.0.1", sshd.port)
    connection = connection_opener(target, options_for(sshd, data))()
    try:
        assert isinstance(connection, OpenSshConnection)
    finally:
        connection.close()
    with_password = connection_opener(target, options_for(sshd, data, password="not-for-a-command-line"))()
    try:  # a password is never given to ssh: paramiko takes it
        assert not isinstance(with_password, OpenSshConnection)
    finally:
        with_password.close()


def _known_host_folders(sshd, tmp_path, name: str):
    """A new server folder ``name``, and a data folder whose known-hosts file already holds the
    server's key (so the OpenSSH transport is used)."""
    folder = sshd.folder / name
    folder.mkdir()
    data = tmp_path / "data"
    data.mkdir()
    (data / "known_hosts").write_text(known_line(sshd))
    return folder, data


def test_full_publish_over_openssh_is_byte_for_byte_and_one_change_sends_only_its_files(sshd, site, tmp_path):
    folder, data = _known_host_folders(sshd, tmp_path, "www-openssh")
    target = parse_target(sshd.url(folder))
    # Big enough for many writes and reads in flight (more than the window of outstanding requests).
    (site.out / "uploads/video").mkdir(parents=True)
    (site.out / "uploads/video/clip.mp4").write_bytes(os.urandom(3_000_017))
    files = site.files()
    _, report = publish_site(site.out, target, options_for(sshd, data, connections=3))
    assert sorted(report.uploaded) == sorted(files) and not report.failed
    assert folder_files(folder) == files  # no temporary left, nothing missing
    before = files
    site.edit(103, title="理政公示栏目改过的标题")
    after = site.files()
    changed = sorted(path for path in after if before.get(path) != after[path])
    _, report = publish_site(site.out, target, options_for(sshd, data))
    assert sorted(report.uploaded) == changed and report.unchanged == len(after) - len(changed)
    assert folder_files(folder) == after
    (folder / changed[0]).unlink()  # deleted on the server by hand
    photo = next(path for path in after if path.startswith("uploads/"))
    (folder / photo).write_bytes(b"changed by hand")
    with open(folder / "uploads/video/clip.mp4", "r+b") as clip:  # same size, other bytes: read back to see it
        clip.seek(2_000_000)
        clip.write(b"\0" * 16)
    _, report = publish_site(site.out, target, options_for(sshd, data, verify=True))
    assert len(report.repaired) == 3 and "uploads/video/clip.mp4" in report.repaired
    assert folder_files(folder) == after


def test_a_killed_ssh_stops_the_run_with_a_clear_error_and_the_next_run_sends_only_the_rest(sshd, site, tmp_path):
    folder, data = _known_host_folders(sshd, tmp_path, "www-openssh-killed")
    target, files = parse_target(sshd.url(folder)), site.files()

    def kill_ssh_after_three(progress) -> None:
        if progress.files_done == 3:
            for pid in ssh_children():
                os.kill(pid, signal.SIGKILL)

    with pytest.raises(PublishError, match="connection broke while sending"):
        publish_site(site.out, target, options_for(sshd, data), progress=kill_ssh_after_three)
    recorded = open_record(target, data).files
    assert len(recorded) == 3
    for path in recorded:  # what the record says the server holds, it holds
        assert (folder / path).read_bytes() == files[path]
    _, report = publish_site(site.out, target, options_for(sshd, data))
    assert len(report.uploaded) == len(files) - 3 and folder_files(folder) == files


def test_a_changed_host_key_is_refused_by_ssh_itself_and_then_said_clearly(site, tmp_path):
    (tmp_path / "own-sshd").mkdir()
    server = start_sshd(tmp_path / "own-sshd")
    try:
        folder = server.folder / "www"
        folder.mkdir()
        data = tmp_path / "data"
        data.mkdir()
        (data / "known_hosts").write_text(known_line(server))
        server.restart_with_new_host_key()
        target = parse_target(server.url(folder))
        with pytest.raises(OpenSshUnavailable):
            OpenSshConnection(target, data / "known_hosts", (str(server.user_key),))
        with pytest.raises(HostKeyChanged, match="has CHANGED"):
            publish_site(site.out, target, options_for(server, data, accept_host_key=server.fingerprint))
        assert folder_files(folder) == {} and ssh_children() == []
    finally:
        server.stop()


CHILD = """
import sys, time
from pathlib import Path
from dayuan_desktop.core.publishing.openssh import OpenSshConnection
from dayuan_desktop.core.publishing.targets import parse_target
connection = OpenSshConnection(parse_target(sys.argv[1]), Path(sys.argv[2]), (sys.argv[3],))
print(connection.process.pid, flush=True)
time.sleep(60)
"""


def test_the_ssh_child_dies_with_a_publish_killed_by_sigkill(sshd, tmp_path):
    (tmp_path / "known_hosts").write_text(known_line(sshd))
    publisher = subprocess.Popen([sys.executable, "-c", CHILD, sshd.url(sshd.folder), str(tmp_path / "known_hosts"),
                                  str(sshd.user_key)], stdout=subprocess.PIPE, text=True)
    try:
        ssh_pid = int(publisher.stdout.readline())
        assert Path(f"/proc/{ssh_pid}").exists()
        publisher.kill()
        publisher.wait(10)
        deadline = time.monotonic() + 10
        while _alive(ssh_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(ssh_pid)
    finally:
        if publisher.poll() is None:
            publisher.kill()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_hand_written_wildcard_line_leaves_the_known_hosts_file_to_paramiko(tmp_path):
    known = tmp_path / "known_hosts"
    known.write_text("[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ\n")
    assert host_is_known(known, "127.0.0.1", 2222) and not host_is_known(known, "127.0.0.1", 22)
    known.write_text(known.read_text() + "* ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK\n")
    assert not host_is_known(known, "127.0.0.1", 2222)
    known.write_bytes(b"\xff\xfe garbage\n")
    assert not host_is_known(known, "127.0.0.1", 2222) and not host_is_known(tmp_path / "none", "h", 22)
