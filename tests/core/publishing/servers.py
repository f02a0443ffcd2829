"""Real servers for the publishing tests: OpenSSH's sshd and pyftpdlib's FTP/FTPS, on loopback.

Like the PostgreSQL fixture: a missing server program skips the tests here but fails them
under CI (``CI`` is set), where tools/setup.sh installs openssh-server and pyftpdlib.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"
FTP_USER, FTP_PASSWORD = "editor", "Ftp-s3cret-Pa55word"


def unavailable(reason: str):
    """Skip locally, fail in CI: the publishing tests must run against real servers before shipping."""
    if os.environ.get("CI"):
        pytest.fail(f"publishing tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"publishing tests skipped: {reason}")


def free_port() -> int:
    """A TCP port on loopback nobody listens on (right now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 10.0) -> bool:
    """Whether something accepts connections on the port before the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def keygen(path: Path) -> Path:
    """A fresh ed25519 key pair without passphrase (``path`` and ``path.pub``)."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path


def ssh_fingerprint(public_key: Path) -> str:
    """OpenSSH's SHA256 fingerprint of a public key file."""
    out = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", str(public_key)], check=True,
                         capture_output=True, text=True).stdout
    return out.split()[1]


@dataclass
class Sshd:
    """An sshd serving SFTP on loopback; the user logs in with ``user_key``."""

    folder: Path
    port: int
    user: str
    user_key: Path
    host_key: Path
    process: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.folder / "sshd.log"

    @property
    def fingerprint(self) -> str:
        return ssh_fingerprint(self.host_key.with_suffix(".pub"))

    def url(self, path: Path) -> str:
        return f"sftp://{self.user}@127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        config = self.folder / "sshd_config"
        config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {self.host_key}\n"
            f"AuthorizedKeysFile {self.folder / 'authorized_keys'}\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n"
            f"PidFile {self.folder / 'sshd.pid'}\nMaxStartups 50\nMaxSessions 50\n"
            "Subsystem sftp internal-sftp\n"
        )
        Path("/run/sshd").mkdir(exist_ok=True)
        log = open(self.log, "ab")  # noqa: SIM115 — the server's stderr for as long as it runs
        self.process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
        if not wait_for_port(self.port, self.process):
            self.stop()
            pytest.fail(f"sshd did not start:\n{self.log.read_text(errors='replace')}", pytrace=False)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def restart_with_new_host_key(self) -> None:
        """The same server with another host key (what a man in the middle shows)."""
        self.stop()
        for suffix in ("", ".pub"):
            Path(f"{self.host_key}{suffix}").unlink()
        keygen(self.host_key)
        self.start()


def start_sshd(folder: Path) -> Sshd:
    """A running sshd in ``folder`` with fresh host and user keys."""
    if not Path(SSHD).is_file() or not shutil.which("ssh-keygen"):
        unavailable(f"{SSHD} or ssh-keygen not found (apt-get install openssh-server openssh-client)")
    user_key = keygen(folder / "user_key")
    (folder / "authorized_keys").write_text(user_key.with_suffix(".pub").read_text())
    import getpass

    server = Sshd(folder=folder, port=free_port(), user=getpass.getuser(), user_key=user_key,
                  host_key=keygen(folder / "host_key"))
    server.start()
    return server


@dataclass
class FtpServer:
    """A pyftpdlib server in a thread; ``events`` records what the server saw, in order."""

    home: Path
    port: int
    tls: bool
    certificate: Path | None
    server: object
    thread: threading.Thread
    events: list[tuple[str, str]]

    def url(self, path: str = "/") -> str:
        return f"{'ftps' if self.tls else 'ftp'}://{FTP_USER}@127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.server.close_all()
        self.thread.join(10)


def start_ftp(home: Path, *, tls: bool, certificate: Path | None = None, perm: str = "elradfmwMT") -> FtpServer:
    """pyftpdlib on a free loopback port; FTPS requires TLS on control and data connections."""
    try:
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
        from pyftpdlib.ioloop import IOLoop
        from pyftpdlib.servers import ThreadedFTPServer
    except ImportError as exc:
        unavailable(f"pyftpdlib (and pyOpenSSL for FTPS) not installed: {exc}")
    events: list[tuple[str, str]] = []
    lock = threading.Lock()
    authorizer = DummyAuthorizer()
    authorizer.add_user(FTP_USER, FTP_PASSWORD, str(home), perm=perm)

    class Recording(TLS_FTPHandler if tls else FTPHandler):
        """Notes every rename into place and every deletion, as the server performs them."""

        def ftp_RNTO(self, path):  # noqa: N802 — pyftpdlib's command names
            result = super().ftp_RNTO(path)
            with lock:
                events.append(("rename", os.path.relpath(path, home)))
            return result

        def ftp_DELE(self, path):  # noqa: N802
            result = super().ftp_DELE(path)
            with lock:
                events.append(("delete", os.path.relpath(path, home)))
            return result

    Recording.authorizer = authorizer
    Recording.banner = "test server"
    Recording.passive_ports = None
    if tls:
        Recording.certfile = str(certificate)
        Recording.tls_control_required = True
        Recording.tls_data_required = True
    port = free_port()
    # Its own IOLoop: stopping one server (close_all) must not close the others' sockets.
    server = ThreadedFTPServer(("127.0.0.1", port), Recording, ioloop=IOLoop())
    # ThreadedFTPServer keeps its exit flag and lock on the class: one server's close_all would
    # stop every other server's connection threads. Each gets its own.
    server._exit, server._lock = threading.Event(), threading.Lock()
    thread = threading.Thread(target=server.serve_forever, kwargs={"handle_exit": False}, daemon=True)
    thread.start()
    wait_for_port(port)
    return FtpServer(home, port, tls, certificate, server, thread, events)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """The FTPS server's PEM (key and self-signed certificate for 127.0.0.1) and the certificate alone."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM)
    server_pem, trusted = folder / "server.pem", folder / "trusted.pem"
    server_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()) + certificate_pem)
    trusted.write_bytes(certificate_pem)
    return server_pem, trusted
