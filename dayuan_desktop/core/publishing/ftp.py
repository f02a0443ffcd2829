"""Publishing over FTP and FTPS (explicit TLS) with ftplib.

``ftplib.FTP_TLS`` opens each data connection with a fresh TLS session; servers that demand
the control connection's session be reused (vsftpd's ``require_ssl_reuse``, FileZilla Server
1.x) refuse those transfers. :class:`SessionReusingFTP_TLS` hands the control connection's
session to every data connection. Tested against pyftpdlib's FTP and FTPS servers.
"""

from __future__ import annotations

import contextlib
import ftplib
import hashlib
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from dayuan_desktop.core.publishing.connection import FileFailed, join, parent_folders, part_name
from dayuan_desktop.core.publishing.scan import is_publishable
from dayuan_desktop.core.publishing.targets import PublishError, Target

TIMEOUT = 20
_BLOCK = 1 << 16


class SessionReusingFTP_TLS(ftplib.FTP_TLS):  # noqa: N801 — named after ftplib's class
    """FTP_TLS whose data connections resume the control connection's TLS session."""

    reused: bool | None = None  # whether the last data connection's session was resumed

    def ntransfercmd(self, cmd, rest=None):
        """Open the data connection, wrapping it with the control connection's session."""
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
            self.reused = conn.session_reused
        return conn, size


@dataclass(frozen=True)
class FtpOptions:
    """How to log in (and, for FTPS, which certificates to trust)."""

    password: str = ""
    cafile: str | None = None  # a PEM to trust besides the system's authorities (a self-signed server)


def _tls_context(cafile: str | None) -> ssl.SSLContext:
    try:
        context = ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise PublishError(f"cannot read the certificate file {cafile}: {exc}") from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class FtpConnection:
    """One FTP (or FTPS, data channel protected) connection rooted at the target's folder."""

    def __init__(self, target: Target, options: FtpOptions) -> None:
        self.root = target.path
        where = f"{target.host}:{target.port}"
        tls = target.scheme == "ftps"
        self.ftp = SessionReusingFTP_TLS(context=_tls_context(options.cafile)) if tls else ftplib.FTP()
        self.ftp.encoding = "utf-8"
        try:
            self.ftp.connect(target.host, target.port, timeout=TIMEOUT)
            self.ftp.login(target.user or "anonymous", options.password)
            if tls:
                self.ftp.prot_p()
            self.ftp.voidcmd("TYPE I")
            self.ftp.cwd(self.root)
        except ftplib.error_perm as exc:
            self.close()
            if str(exc).startswith("530"):
                raise PublishError(f"the server {where} refused the login of '{target.user}' (wrong password?)") \
                    from None
            raise PublishError(f"cannot use the folder {self.root} on {where}: {_reason(exc)}") from None
        except (OSError, EOFError, ftplib.Error) as exc:
            self.close()
            raise PublishError(f"cannot connect to {where}: {_reason(exc)}") from None
        self.known_folders: set[str] = set()

    def upload(self, local: Path, path: str) -> None:
        """STOR under the temporary name, then RNFR/RNTO into place."""
        final, temporary = join(self.root, path), join(self.root, part_name(path))
        try:
            self._make_folders(path)
            with open(local, "rb") as handle:
                self.ftp.storbinary(f"STOR {temporary}", handle, blocksize=_BLOCK)
            try:
                self.ftp.rename(temporary, final)
            except ftplib.error_perm:  # servers that will not rename over a file
                self._delete_quietly(final)
                self.ftp.rename(temporary, final)
        except ftplib.error_perm as exc:
            raise FileFailed(path, f"the server refused it ({_reason(exc)})") from None
        except (OSError, EOFError, ftplib.Error) as exc:
            raise PublishError(f"the connection broke while sending {path}: {_reason(exc)}") from None

    def _make_folders(self, path: str) -> None:
        for folder in parent_folders(path):
            if folder not in self.known_folders:
                # An error usually means it exists; anything worse shows at STOR.
                with contextlib.suppress(ftplib.error_perm):
                    self.ftp.mkd(join(self.root, folder))
                self.known_folders.add(folder)

    def _delete_quietly(self, remote: str) -> None:
        with contextlib.suppress(ftplib.error_perm):
            self.ftp.delete(remote)

    def delete(self, path: str) -> None:
        """DELE ``path``; a 550 for a file that is not there counts as done."""
        try:
            self.ftp.delete(join(self.root, path))
        except ftplib.error_perm as exc:
            if self._size(path) is not None:
                raise FileFailed(path, f"the server refused to delete it ({_reason(exc)})") from None
        except (OSError, EOFError, ftplib.Error) as exc:
            raise PublishError(f"the connection broke while deleting {path}: {_reason(exc)}") from None

    def _size(self, path: str) -> int | None:
        try:
            return self.ftp.size(join(self.root, path))
        except ftplib.error_perm:
            return None

    def sizes(self) -> dict[str, int]:
        """Every file under the target's folder with its size (MLSD, one listing per folder)."""
        found: dict[str, int] = {}
        pending = [""]
        try:
            while pending:
                folder = pending.pop()
                for name, facts in self.ftp.mlsd(join(self.root, folder) if folder else self.root, ["type", "size"]):
                    relative = f"{folder}/{name}" if folder else name
                    if facts.get("type") == "dir":
                        pending.append(relative)
                    elif facts.get("type") == "file" and is_publishable(name):
                        found[relative] = int(facts.get("size", "0"))
        except ftplib.error_perm as exc:
            raise PublishError(f"the server cannot list its folders with MLSD, which --verify needs ({_reason(exc)})") \
                from None
        except (OSError, EOFError, ftplib.Error, ValueError) as exc:
            raise PublishError(f"the connection broke while listing the server's files: {_reason(exc)}") from None
        return found

    def sha256(self, path: str) -> str | None:
        """Download the server's copy and hash it (no hash command is common to FTP servers)."""
        digest = hashlib.sha256()
        try:
            self.ftp.retrbinary(f"RETR {join(self.root, path)}", digest.update, blocksize=_BLOCK)
        except ftplib.error_perm:
            return None
        except (OSError, EOFError, ftplib.Error) as exc:
            raise PublishError(f"the connection broke while reading back {path}: {_reason(exc)}") from None
        return digest.hexdigest()

    def close(self) -> None:
        """QUIT politely, or just close the socket."""
        try:
            self.ftp.quit()
        except (OSError, EOFError, ftplib.Error, AttributeError):
            self.ftp.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "timed out"
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
