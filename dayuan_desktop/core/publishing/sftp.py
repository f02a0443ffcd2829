"""Publishing over SFTP with paramiko: host keys checked, SSH keys, the agent or a password."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import socket
import stat
from dataclasses import dataclass
from pathlib import Path

from dayuan_desktop.core.publishing.connection import FileFailed, join, parent_folders, part_name
from dayuan_desktop.core.publishing.hostkeys import (
    KnownHostsPolicy,
    changed_key_error,
    fingerprint,
    load_known_hosts,
)
from dayuan_desktop.core.publishing.scan import is_publishable
from dayuan_desktop.core.publishing.ssh_library import paramiko
from dayuan_desktop.core.publishing.targets import PublishError, Target

TIMEOUT = 20


@dataclass(frozen=True)
class SshOptions:
    """How to reach and trust an SSH server."""

    known_hosts: Path
    accept_host_key: str | None = None
    identity_files: tuple[str, ...] = ()
    password: str = ""


def open_ssh(target: Target, options: SshOptions) -> paramiko.SSHClient:
    """An authenticated SSH client; one-line :class:`PublishError` on any failure."""
    client = paramiko.SSHClient()
    load_known_hosts(client, options.known_hosts)
    client.set_missing_host_key_policy(KnownHostsPolicy(options.known_hosts, options.accept_host_key))
    where = f"{target.host}:{target.port}"
    try:
        client.connect(target.host, target.port, username=target.user or None, password=options.password or None,
                       key_filename=list(options.identity_files) or None, allow_agent=True,
                       look_for_keys=not options.identity_files, timeout=TIMEOUT, banner_timeout=TIMEOUT,
                       auth_timeout=TIMEOUT)
    except PublishError:  # the host-key policy's refusal
        client.close()
        raise
    except paramiko.BadHostKeyException as exc:
        client.close()
        raise changed_key_error(exc.hostname, fingerprint(exc.key), [fingerprint(exc.expected_key)],
                                options.known_hosts) from None
    except paramiko.AuthenticationException:
        client.close()
        raise PublishError(f"the server {where} refused the login of '{target.user}' (wrong password or key)") from None
    except (OSError, paramiko.SSHException, EOFError) as exc:
        client.close()
        raise PublishError(f"cannot connect to {where}: {_reason(exc)}") from None
    return client


class SftpConnection:
    """One SSH connection with its SFTP channel, rooted at the target's folder."""

    def __init__(self, target: Target, options: SshOptions) -> None:
        self.root = target.path
        self.client = open_ssh(target, options)
        try:
            self.sftp = self.client.open_sftp()
            self.sftp.stat(self.root)
        except (OSError, paramiko.SSHException) as exc:
            self.client.close()
            raise PublishError(f"cannot use the folder {self.root} on {target.host}: {_reason(exc)}") from None
        self.known_folders: set[str] = set()

    def upload(self, local: Path, path: str) -> None:
        """Send ``local`` under the temporary name, then rename it into place (atomic on OpenSSH)."""
        final, temporary = join(self.root, path), join(self.root, part_name(path))
        try:
            self._make_folders(path)
            # No stat after the write: the reply to close (and then to the rename) is the server's confirmation.
            self.sftp.put(str(local), temporary, confirm=False)
            try:
                self.sftp.posix_rename(temporary, final)
            except OSError:  # no posix-rename@openssh.com: the plain rename refuses to replace
                self._remove_quietly(final)
                self.sftp.rename(temporary, final)
        except OSError as exc:
            raise FileFailed(path, f"the server refused it ({_reason(exc)})") from None
        except (paramiko.SSHException, EOFError) as exc:
            raise PublishError(f"the connection broke while sending {path}: {_reason(exc)}") from None

    def _make_folders(self, path: str) -> None:
        for folder in parent_folders(path):
            if folder in self.known_folders:
                continue
            # An error usually means it exists already; anything worse shows at the upload itself.
            with contextlib.suppress(OSError):
                self.sftp.mkdir(join(self.root, folder))
            self.known_folders.add(folder)

    def _remove_quietly(self, remote: str) -> None:
        with contextlib.suppress(OSError):
            self.sftp.remove(remote)

    def delete(self, path: str) -> None:
        """Remove ``path`` (gone already is fine)."""
        try:
            self.sftp.remove(join(self.root, path))
        except FileNotFoundError:
            pass
        except OSError as exc:
            if getattr(exc, "errno", None) != errno.ENOENT:
                raise FileFailed(path, f"the server refused to delete it ({_reason(exc)})") from None

    def sizes(self) -> dict[str, int]:
        """Every file under the target's folder with its size (one listing per folder)."""
        found: dict[str, int] = {}
        pending = [""]
        try:
            while pending:
                folder = pending.pop()
                for entry in self.sftp.listdir_attr(join(self.root, folder) if folder else self.root):
                    relative = f"{folder}/{entry.filename}" if folder else entry.filename
                    if stat.S_ISDIR(entry.st_mode or 0):
                        pending.append(relative)
                    elif stat.S_ISREG(entry.st_mode or 0) and is_publishable(entry.filename):
                        found[relative] = entry.st_size or 0
        except (OSError, paramiko.SSHException, EOFError) as exc:
            raise PublishError(f"cannot list the server's files: {_reason(exc)}") from None
        return found

    def sha256(self, path: str) -> str | None:
        """Read the server's copy back and hash it (SFTP has no portable hash request)."""
        digest = hashlib.sha256()
        try:
            with self.sftp.open(join(self.root, path), "rb") as handle:
                handle.prefetch()
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except FileNotFoundError:
            return None
        except (OSError, paramiko.SSHException, EOFError) as exc:
            raise PublishError(f"cannot read back {path}: {_reason(exc)}") from None
        return digest.hexdigest()

    def close(self) -> None:
        """Close the SFTP channel and the SSH connection."""
        try:
            self.sftp.close()
        finally:
            self.client.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, paramiko.ssh_exception.NoValidConnectionsError) and exc.errors:
        exc = next(iter(exc.errors.values()))  # paramiko's wrapper: the socket's own reason reads better
    if isinstance(exc, socket.timeout):
        return "timed out"
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
