"""Fixtures of the publishing tests: real servers (sshd, pyftpdlib FTP and FTPS), an exported
site from a real store, and a target of each kind whose server-side folder the test can read."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.core.publishing.servers import (
    FTP_PASSWORD,
    FtpServer,
    Sshd,
    self_signed_certificate,
    start_ftp,
    start_sshd,
)
from tests.core.publishing.sitebuild import Site, build_site

_folders = itertools.count(1)


@pytest.fixture(scope="session")
def sshd(tmp_path_factory) -> Iterator[Sshd]:
    """A real OpenSSH server on a loopback port, with temporary host and user keys."""
    server = start_sshd(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ftp_server(tmp_path_factory) -> Iterator[FtpServer]:
    """pyftpdlib, plain FTP."""
    server = start_ftp(tmp_path_factory.mktemp("ftp-home"), tls=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ftps_certificates(tmp_path_factory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("ftps-cert"))


@pytest.fixture(scope="session")
def ftps_server(tmp_path_factory, ftps_certificates) -> Iterator[FtpServer]:
    """pyftpdlib with explicit TLS required on control and data connections."""
    server = start_ftp(tmp_path_factory.mktemp("ftps-home"), tls=True, certificate=ftps_certificates[0])
    yield server
    server.stop()


@dataclass
class PublishTarget:
    """A target for the command line, and the folder on this machine where its server keeps the files."""

    kind: str
    url: str
    folder: Path
    options: list[str] = field(default_factory=list)

    def args(self, site: Path, *extra: str) -> list[str]:
        """``publish`` arguments for this target."""
        return ["publish", "--to", self.url, "--site", str(site), "--quiet", *self.options, *extra]


def make_target(kind: str, request, tmp_path: Path, monkeypatch) -> PublishTarget:
    """A fresh, empty server folder behind a target of ``kind``."""
    if kind == "folder":
        folder = tmp_path / "share"
        return PublishTarget(kind, str(folder), folder)
    if kind == "sftp":
        server: Sshd = request.getfixturevalue("sshd")
        folder = server.folder / f"www{next(_folders)}"
        folder.mkdir()
        return PublishTarget(kind, server.url(folder), folder,
                             ["--identity", str(server.user_key), "--accept-host-key", server.fingerprint])
    server = request.getfixturevalue("ftps_server" if kind == "ftps" else "ftp_server")
    folder = server.home / f"www{next(_folders)}"
    folder.mkdir()
    monkeypatch.setenv("DAYUAN_PUBLISH_PASSWORD", FTP_PASSWORD)
    options = ["--cafile", str(request.getfixturevalue("ftps_certificates")[1])] if kind == "ftps" else []
    return PublishTarget(kind, server.url(f"/{folder.name}"), folder, options)


@pytest.fixture(params=["folder", "sftp", "ftp", "ftps"])
def target(request, tmp_path, monkeypatch) -> PublishTarget:
    """A target of every kind in turn."""
    return make_target(request.param, request, tmp_path, monkeypatch)


@pytest.fixture
def sftp_target(request, tmp_path, monkeypatch) -> PublishTarget:
    return make_target("sftp", request, tmp_path, monkeypatch)


@pytest.fixture
def ftp_target(request, tmp_path, monkeypatch) -> PublishTarget:
    return make_target("ftp", request, tmp_path, monkeypatch)


@pytest.fixture
def site(tmp_path) -> Iterator[Site]:
    """A real store with a few articles and photos, exported once."""
    built = build_site(tmp_path / "db", tmp_path / "site")
    try:
        yield built
    finally:
        built.store.db.dispose()
