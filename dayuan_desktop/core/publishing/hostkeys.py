"""SSH host keys, checked against a known-hosts file in the data folder (OpenSSH's format).

A server seen for the first time is refused with its fingerprint, until the person (or a
script, with ``--accept-host-key SHA256:…``) accepts exactly that fingerprint. A server whose
key changed is refused with both fingerprints: that is what a man in the middle looks like.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from dayuan_desktop.core.publishing.ssh_library import paramiko
from dayuan_desktop.core.publishing.targets import PublishError


class HostKeyUnknown(PublishError):
    """The server's host key is not in the known-hosts file yet."""

    def __init__(self, host: str, fingerprint: str) -> None:
        super().__init__(f"the host key of {host} is not known yet; its fingerprint is {fingerprint}: check it "
                         f"with the server's administrator, then run again with --accept-host-key {fingerprint}")
        self.fingerprint = fingerprint
        self.host = host


class HostKeyChanged(PublishError):
    """The server shows another key than the one known for it."""


def fingerprint(key: paramiko.PKey) -> str:
    """The key's fingerprint as OpenSSH prints it (``SHA256:`` and unpadded base64)."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(key.asbytes()).digest()).decode("ascii").rstrip("=")


class KnownHostsPolicy(paramiko.MissingHostKeyPolicy):
    """Accept a new host only with its expected fingerprint, then keep it in ``known_hosts``."""

    def __init__(self, known_hosts: Path, accept: str | None) -> None:
        self.known_hosts = known_hosts
        self.accept = (accept or "").strip()

    def missing_host_key(self, client, hostname, key) -> None:
        """Called by paramiko for a host (or key type) not in the known-hosts file."""
        shown = fingerprint(key)
        known = client.get_host_keys().lookup(hostname)
        if known:  # known with another key type: a changed key as well
            raise changed_key_error(hostname, shown, [fingerprint(k) for k in known.values()], self.known_hosts)
        if self.accept != shown:
            if self.accept:
                raise PublishError(f"the host key of {hostname} is {shown}, not the {self.accept} given to accept")
            raise HostKeyUnknown(hostname, shown)
        client.get_host_keys().add(hostname, key.get_name(), key)
        try:
            self.known_hosts.parent.mkdir(parents=True, exist_ok=True)
            client.get_host_keys().save(str(self.known_hosts))
        except OSError as exc:
            raise PublishError(f"cannot write the known-hosts file {self.known_hosts}: {exc.strerror}") from None


def changed_key_error(host: str, shown: str, known: list[str], known_hosts: Path) -> HostKeyChanged:
    """The refusal of a changed host key, with what to do if the change is genuine."""
    return HostKeyChanged(
        f"the host key of {host} has CHANGED (now {shown}, known {', '.join(known)}): refused, this may be an "
        f"attack; if the server was really given a new key, remove its line from {known_hosts}")


def load_known_hosts(client: paramiko.SSHClient, known_hosts: Path) -> None:
    """Read the known-hosts file into ``client`` (a missing file is an empty one)."""
    if known_hosts.exists():
        try:
            client.get_host_keys().load(str(known_hosts))
        except (OSError, paramiko.SSHException) as exc:
            raise PublishError(f"cannot read the known-hosts file {known_hosts}: {exc}") from None
