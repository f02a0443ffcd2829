"""SSH host keys, keys and the agent; passwords from the keyring or the environment, never in a file."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from dayuan_desktop.core.publishing.targets import parse_target
from dayuan_desktop.core.secrets import PUBLISH_KEYRING_SERVICE
from tests.core.publishing.servers import FTP_PASSWORD, start_sshd
from tests.core.publishing.sitebuild import folder_files
from tests.helpers import run_cli as run
from tests.keyrings import MemoryKeyring, no_keyring, using_keyring


def without(options: list[str], name: str) -> list[str]:
    """``options`` minus ``name`` and its value."""
    index = options.index(name)
    return options[:index] + options[index + 2 :]


def test_a_new_host_is_refused_with_its_fingerprint_until_exactly_that_one_is_accepted(
        capsys, sftp_target, sshd, site, isolated_user_folders):
    sftp_target.options = without(sftp_target.options, "--accept-host-key")
    code, _, err = run(capsys, *sftp_target.args(site.out))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "not known yet" in err and f"--accept-host-key {sshd.fingerprint}" in err
    assert folder_files(sftp_target.folder) == {}

    code, _, err = run(capsys, *sftp_target.args(site.out, "--accept-host-key", "SHA256:" + "A" * 43))
    assert code == 1 and "not the SHA256:AAAA" in err and folder_files(sftp_target.folder) == {}

    assert run(capsys, *sftp_target.args(site.out, "--accept-host-key", sshd.fingerprint))[0] == 0
    known_hosts = isolated_user_folders / "data" / "known_hosts"
    assert f"[127.0.0.1]:{sshd.port} ssh-ed25519 " in known_hosts.read_text()
    code, out, err = run(capsys, *sftp_target.args(site.out))  # known now: no flag needed
    assert code == 0 and out.strip().endswith(", 0 deleted"), err


def test_a_changed_host_key_is_refused_with_a_clear_message(capsys, tmp_path, site, isolated_user_folders):
    (tmp_path / "own-sshd").mkdir()
    server = start_sshd(tmp_path / "own-sshd")
    try:
        www = server.folder / "www"
        www.mkdir()
        args = ["publish", "--to", server.url(www), "--site", str(site.out), "--quiet",
                "--identity", str(server.user_key)]
        old = server.fingerprint
        assert run(capsys, *args, "--accept-host-key", old)[0] == 0
        server.restart_with_new_host_key()
        (site.out / "extra.html").write_text("<p>新页面</p>", encoding="utf-8")
        code, out, err = run(capsys, *args, "--accept-host-key", server.fingerprint)
        assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
        assert "has CHANGED" in err and server.fingerprint in err and old in err
        assert str(isolated_user_folders / "data" / "known_hosts") in err
        assert not (www / "extra.html").exists()
    finally:
        server.stop()


def test_the_ssh_agent_logs_in_without_a_key_file(capsys, sftp_target, site, monkeypatch):
    agent = subprocess.run(["ssh-agent", "-s"], capture_output=True, text=True, check=True).stdout
    socket_path = re.search(r"SSH_AUTH_SOCK=([^;]+);", agent)[1]
    pid = int(re.search(r"SSH_AGENT_PID=(\d+);", agent)[1])
    try:
        monkeypatch.setenv("SSH_AUTH_SOCK", socket_path)
        key = sftp_target.options[sftp_target.options.index("--identity") + 1]
        subprocess.run(["ssh-add", "-q", key], check=True, env={**os.environ, "SSH_AUTH_SOCK": socket_path})
        monkeypatch.setenv("HOME", str(Path(key).parent / "empty-home"))  # no ~/.ssh keys to fall back on
        sftp_target.options = without(sftp_target.options, "--identity")
        code, _, err = run(capsys, *sftp_target.args(site.out))
        assert code == 0, err
        assert folder_files(sftp_target.folder) == site.files()
    finally:
        os.kill(pid, 15)


def secret_forms(password: str) -> list[bytes]:
    return [password.encode(), quote(password, safe="").encode()]


def files_containing(folder: Path, needles: list[bytes]) -> list[str]:
    return [str(path) for path in folder.rglob("*") if path.is_file() and any(n in path.read_bytes() for n in needles)]


@pytest.mark.parametrize("how", ["environment", "address", "keyring"])
def test_no_password_in_any_file_under_the_data_folder_after_a_password_publish(
        capsys, ftp_target, site, isolated_user_folders, monkeypatch, how):
    keyring = MemoryKeyring()
    target = parse_target(ftp_target.url)
    if how == "address":
        monkeypatch.delenv("DAYUAN_PUBLISH_PASSWORD")
        ftp_target.url = ftp_target.url.replace("editor@", f"editor:{quote(FTP_PASSWORD, safe='')}@")
    elif how == "keyring":
        monkeypatch.delenv("DAYUAN_PUBLISH_PASSWORD")
        keyring.set_password(PUBLISH_KEYRING_SERVICE, target.key, FTP_PASSWORD)
    with using_keyring(keyring):
        code, out, err = run(capsys, *ftp_target.args(site.out, "--verify"))
    assert code == 0, err
    assert folder_files(ftp_target.folder) == site.files()
    assert FTP_PASSWORD not in out + err
    assert (isolated_user_folders / "data" / "publish").is_dir()
    assert files_containing(isolated_user_folders, secret_forms(FTP_PASSWORD)) == []  # data, cache and logs


def test_without_keyring_or_variable_the_command_says_so_in_one_line(capsys, ftp_target, site, monkeypatch):
    monkeypatch.delenv("DAYUAN_PUBLISH_PASSWORD")
    with no_keyring():
        code, out, err = run(capsys, *ftp_target.args(site.out))
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "no keyring service" in err and "DAYUAN_PUBLISH_PASSWORD" in err
    assert folder_files(ftp_target.folder) == {}


def test_ftps_data_connections_reuse_the_control_connections_tls_session(ftps_server, ftps_certificates, tmp_path):
    from dayuan_desktop.core.publishing.ftp import FtpConnection, FtpOptions

    folder = ftps_server.home / "reuse"
    folder.mkdir()
    source = tmp_path / "page.html"
    source.write_bytes("<p>会话复用</p>".encode())
    connection = FtpConnection(parse_target(ftps_server.url("/reuse")),
                               FtpOptions(FTP_PASSWORD, str(ftps_certificates[1])))
    try:
        connection.upload(source, "a/page.html")
        assert connection.ftp.reused is True
    finally:
        connection.close()
    assert (folder / "a/page.html").read_bytes() == source.read_bytes()


def _publish_at_a_terminal(args: list[str], answer: str) -> tuple[int, str]:
    """Run the command with a pseudo-terminal as its stdin; answer the first question asked on stderr."""
    import pty
    import select
    import sys

    controller, terminal = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "dayuan_desktop", *args], stdin=terminal,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    os.close(terminal)
    err = b""
    try:
        while b"[y/N]" not in err:
            ready, _, _ = select.select([child.stderr], [], [], 60)
            chunk = os.read(child.stderr.fileno(), 4096) if ready else b""
            if not chunk:
                break
            err += chunk
        if b"[y/N]" in err:
            os.write(controller, answer.encode() + b"\n")
        out, rest = child.communicate(timeout=120)
    finally:
        os.close(controller)
        if child.poll() is None:
            child.kill()
    return child.returncode, (err + rest).decode() + "\n" + out.decode()


def test_at_a_terminal_a_new_host_key_is_shown_and_asked_for(sftp_target, sshd, site, isolated_user_folders):
    sftp_target.options = without(sftp_target.options, "--accept-host-key")
    args = sftp_target.args(site.out)
    known_hosts = isolated_user_folders / "data" / "known_hosts"

    code, text = _publish_at_a_terminal(args, "n")
    assert code == 1 and sshd.fingerprint in text and "Accept this key" in text
    assert folder_files(sftp_target.folder) == {} and not known_hosts.exists()

    code, text = _publish_at_a_terminal(args, "y")
    assert code == 0, text
    assert f"[127.0.0.1]:{sshd.port} ssh-ed25519 " in known_hosts.read_text()
    assert folder_files(sftp_target.folder) == site.files()
