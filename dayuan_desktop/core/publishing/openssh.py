"""Publishing over OpenSSH's own client: ``ssh -s sftp`` as a child process, spoken to in SFTP.

Why: a one-article publish spent most of its time loading paramiko and cryptography (~0.15 s)
and doing the SSH handshake in Python; OpenSSH's client starts and connects in a fraction of
that, in its own process, while the site is scanned.

It is used only where it keeps every guarantee of the paramiko transport: the server's host
key is already in OUR known-hosts file (OpenSSH is told to trust that file only, and to refuse
anything else), the login needs no password (keys or the agent; ``BatchMode`` forbids any
prompt) and no ssh configuration file is read (the paramiko transport reads none either). In
every other case, and whenever ``ssh`` fails before the SFTP session is up (unknown or changed
host key, refused login, no ``ssh`` program), the caller falls back to paramiko, which asks
for a new host key, refuses a changed one with its clear message, and takes passwords.

The child dies with us: its input is our pipe, and at end of input (our exit, even by SIGKILL)
OpenSSH closes the session and exits.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import shutil
import stat
import subprocess
import threading
from pathlib import Path

from dayuan_desktop.core.publishing.connection import FileFailed, join, parent_folders, part_name
from dayuan_desktop.core.publishing.scan import is_publishable
from dayuan_desktop.core.publishing.sftp_wire import (
    ATTRS,
    CHUNK,
    CLOSE,
    DATA,
    EOF,
    EXTENDED,
    HANDLE,
    MKDIR,
    NAME,
    NO_SUCH_FILE,
    OPEN,
    OPEN_CREATE,
    OPEN_READ,
    OPEN_TRUNCATE,
    OPEN_WRITE,
    OPENDIR,
    POSIX_RENAME,
    READ,
    READDIR,
    REMOVE,
    RENAME,
    STAT,
    WRITE,
    SftpBroken,
    SftpChannel,
    SftpStatus,
    string,
)
from dayuan_desktop.core.publishing.targets import PublishError, Target

CONNECT_TIMEOUT = 20
# The key exchange paramiko uses, first: OpenSSH 9's default (sntrup761x25519, post-quantum) cost
# ~0.13 s of the client's CPU per connection here, a third of a one-article publish. The others
# stay allowed for servers without curve25519. An ssh older than 8.5 rejects the list, and the
# paramiko transport takes over.
KEX = ("curve25519-sha256,curve25519-sha256@libssh.org,sntrup761x25519-sha512@openssh.com,"
       "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,"
       "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256")


class OpenSshUnavailable(Exception):
    """OpenSSH could not open the session (the caller falls back to paramiko): the reason."""


def host_entry_name(host: str, port: int) -> str:
    """The name a known-hosts line gives a server (OpenSSH's and paramiko's ``[host]:port``)."""
    return host if port == 22 else f"[{host}]:{port}"


def host_is_known(known_hosts: Path, host: str, port: int) -> bool:
    """Whether our known-hosts file has a plain entry for the server, and nothing OpenSSH would
    read differently from paramiko (wildcards, negations, ``@cert-authority``/``@revoked``)."""
    wanted = host_entry_name(host, port)
    try:
        text = known_hosts.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    found = False
    for line in text.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if fields[0].startswith("@") or any(mark in fields[0] for mark in "*?!"):
            return False  # written by hand: leave the reading of it to paramiko's rules
        if len(fields) >= 3 and any(_matches(pattern, wanted) for pattern in fields[0].split(",")):
            found = True
    return found


def _matches(pattern: str, name: str) -> bool:
    if not pattern.startswith("|1|"):
        return pattern == name
    try:  # a hashed entry: |1|salt|HMAC-SHA1(salt, name), both base64
        salt, digest = (base64.b64decode(part) for part in pattern[3:].split("|", 1))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(hmac.new(salt, name.encode("utf-8"), hashlib.sha1).digest(), digest)


def ssh_program() -> str | None:
    """OpenSSH's client, where this system has one we may use (POSIX only)."""
    return shutil.which("ssh") if os.name == "posix" else None


def ssh_command(program: str, target: Target, known_hosts: Path, identity_files: tuple[str, ...]) -> list[str]:
    """The ``ssh`` command line of an SFTP session that trusts only ``known_hosts`` and never prompts."""
    command = [program, "-F", os.devnull, "-T", "-x", "-a", "-e", "none", "-p", str(target.port),
               "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
               "-o", f"UserKnownHostsFile={_quoted(known_hosts)}", "-o", f"GlobalKnownHostsFile={os.devnull}",
               "-o", "CheckHostIP=no", "-o", "UpdateHostKeys=no", "-o", "VerifyHostKeyDNS=no",
               "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no",
               "-o", f"ConnectTimeout={CONNECT_TIMEOUT}", "-o", "ServerAliveInterval=10",
               "-o", "ServerAliveCountMax=3", "-o", "ControlMaster=no", "-o", "ControlPath=none",
               "-o", f"KexAlgorithms={KEX}", "-o", "LogLevel=ERROR"]
    for identity in identity_files:
        command += ["-i", identity]
    if target.user:
        command += ["-l", target.user]
    return [*command, "-s", "--", target.host, "sftp"]


def _quoted(path: Path) -> str:
    # ssh splits option values at spaces unless quoted; a quote inside cannot be expressed.
    text = str(path)
    if '"' in text:
        raise OpenSshUnavailable("the known-hosts path contains a quote")
    return f'"{text}"'


class OpenSshConnection:
    """One ``ssh -s sftp`` child with its SFTP channel, rooted at the target's folder."""

    def __init__(self, target: Target, known_hosts: Path, identity_files: tuple[str, ...] = (), *,
                 wait: bool = True) -> None:
        """Start ssh; unless ``wait`` is false, also wait for the session (see :meth:`finish`)."""
        program = ssh_program()
        if program is None or not host_is_known(known_hosts, target.host, target.port):
            raise OpenSshUnavailable("no ssh program, or the host key is not in our known-hosts file")
        self.root, self.host = target.path, target.host
        self.known_folders: set[str] = set()
        command = ssh_command(program, target, known_hosts, identity_files)
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, close_fds=True)
        except OSError as exc:
            raise OpenSshUnavailable(f"cannot start ssh: {exc.strerror}") from None
        self.said: list[str] = []  # ssh's last words, read as they come (a full pipe would stall it)
        self.drain = threading.Thread(target=self._drain, name="ssh-stderr", daemon=True)
        self.drain.start()
        self.channel = SftpChannel(self.process.stdout, self.process.stdin)
        try:
            self.channel.send_init()
        except SftpBroken:
            raise OpenSshUnavailable(self._end("ssh ended before the SFTP session")) from None
        if wait:
            self.finish()

    def finish(self) -> OpenSshConnection:
        """Wait until the SFTP session is up and the target's folder is there; this connection.

        :class:`OpenSshUnavailable` when ssh gave up first (the caller falls back to paramiko).
        """
        try:
            self.channel.read_version()
        except SftpBroken:
            raise OpenSshUnavailable(self._end("ssh ended before the SFTP session")) from None
        try:
            self.channel.expect(self.channel.send(STAT, string(self.root)), ATTRS)
        except SftpStatus as exc:
            self.close()
            raise PublishError(f"cannot use the folder {self.root} on {self.host}: {exc}") from None
        except SftpBroken as exc:
            raise PublishError(self._end(f"the connection to {self.host} broke ({exc})")) from None
        return self

    def upload(self, local: Path, path: str) -> None:
        """Send ``local`` under the temporary name, then rename it into place once the server
        confirmed every write and the close (a rename never installs a half-written file)."""
        final, temporary = join(self.root, path), join(self.root, part_name(path))
        try:
            with open(local, "rb") as source:
                self._make_folders(path)
                self._write_file(source, temporary)
            self._rename(temporary, final)
        except SftpStatus as exc:
            raise FileFailed(path, f"the server refused it ({exc})") from None
        except SftpBroken as exc:
            raise PublishError(self._end(f"the connection broke while sending {path} ({exc})")) from None
        except OSError as exc:
            raise FileFailed(path, f"cannot read it here ({exc.strerror})") from None

    def _make_folders(self, path: str) -> None:
        # Sent without waiting: an error usually means the folder exists; worse shows at the OPEN.
        for folder in parent_folders(path):
            if folder not in self.known_folders:
                self.channel.ignore(self.channel.send(MKDIR, string(join(self.root, folder)) + b"\0\0\0\0"))
                self.known_folders.add(folder)

    def _write_file(self, source, remote: str) -> None:
        channel = self.channel
        flags = OPEN_WRITE | OPEN_CREATE | OPEN_TRUNCATE
        opened = channel.send(OPEN, string(remote) + flags.to_bytes(4, "big") + b"\0\0\0\0")
        handle = channel.expect(opened, HANDLE).string()
        writes, offset, failure = [], 0, None
        while chunk := source.read(CHUNK):
            writes.append(channel.send(WRITE, string(handle) + offset.to_bytes(8, "big") + string(chunk)))
            offset += len(chunk)
        closed = channel.send(CLOSE, string(handle))
        for ident in [*writes, closed]:
            try:
                channel.check(ident)
            except SftpStatus as exc:
                failure = failure or exc
        if failure is not None:
            raise failure

    def _rename(self, temporary: str, final: str) -> None:
        channel = self.channel
        if POSIX_RENAME in channel.extensions:
            channel.check(channel.send(EXTENDED, string(POSIX_RENAME) + string(temporary) + string(final)))
            return
        with contextlib.suppress(SftpStatus):  # the plain rename refuses to replace
            channel.check(channel.send(REMOVE, string(final)))
        channel.check(channel.send(RENAME, string(temporary) + string(final)))

    def delete(self, path: str) -> None:
        """Remove ``path`` (gone already is fine)."""
        try:
            self.channel.check(self.channel.send(REMOVE, string(join(self.root, path))))
        except SftpStatus as exc:
            if exc.code != NO_SUCH_FILE:
                raise FileFailed(path, f"the server refused to delete it ({exc})") from None
        except SftpBroken as exc:
            raise PublishError(self._end(f"the connection broke while deleting {path} ({exc})")) from None

    def sizes(self) -> dict[str, int]:
        """Every file under the target's folder with its size (one listing per folder)."""
        found: dict[str, int] = {}
        pending = [""]
        try:
            while pending:
                folder = pending.pop()
                for name, mode, size in self._listing(join(self.root, folder) if folder else self.root):
                    relative = f"{folder}/{name}" if folder else name
                    if stat.S_ISDIR(mode):
                        pending.append(relative)
                    elif stat.S_ISREG(mode) and is_publishable(name):
                        found[relative] = size
        except SftpStatus as exc:
            raise PublishError(f"cannot list the server's files: {exc}") from None
        except SftpBroken as exc:
            raise PublishError(self._end(f"cannot list the server's files ({exc})")) from None
        return found

    def _listing(self, folder: str) -> list[tuple[str, int, int]]:
        channel = self.channel
        handle = channel.expect(channel.send(OPENDIR, string(folder)), HANDLE).string()
        entries = []
        try:
            while True:
                try:
                    reader = channel.expect(channel.send(READDIR, string(handle)), NAME)
                except SftpStatus as exc:
                    if exc.code == EOF:
                        return entries
                    raise
                for _ in range(reader.uint32()):
                    name = reader.string().decode("utf-8", "surrogateescape")
                    reader.string()  # the long name, as ls -l prints it
                    mode, size = reader.attributes()
                    if name not in (".", ".."):
                        entries.append((name, mode, size))
        finally:
            with contextlib.suppress(SftpStatus):
                channel.check(channel.send(CLOSE, string(handle)))

    def sha256(self, path: str) -> str | None:
        """Read the server's copy back and hash it (SFTP has no portable hash request)."""
        channel = self.channel
        try:
            try:
                handle = channel.expect(channel.send(OPEN, string(join(self.root, path)) + OPEN_READ.to_bytes(4, "big")
                                                     + b"\0\0\0\0"), HANDLE).string()
            except SftpStatus as exc:
                if exc.code == NO_SUCH_FILE:
                    return None
                raise
            try:
                return self._read_hash(handle)
            finally:
                channel.check(channel.send(CLOSE, string(handle)))
        except SftpStatus as exc:
            raise PublishError(f"cannot read back {path}: {exc}") from None
        except SftpBroken as exc:
            raise PublishError(self._end(f"cannot read back {path} ({exc})")) from None

    def _read_hash(self, handle: bytes) -> str:
        """Reads of CHUNK bytes, eight in flight; after a short read the next window starts where it ended."""
        channel, digest, offset = self.channel, hashlib.sha256(), 0
        while True:
            window = [(start, channel.send(READ, string(handle) + start.to_bytes(8, "big") + CHUNK.to_bytes(4, "big")))
                      for start in range(offset, offset + 8 * CHUNK, CHUNK)]
            done = False
            for start, ident in window:
                try:
                    data = channel.expect(ident, DATA).string()
                except SftpStatus as exc:
                    if exc.code != EOF:
                        raise
                    done = done or start == offset
                    continue
                if start == offset and not done:
                    if not data:
                        raise SftpBroken("the server sent an empty read")
                    digest.update(data)
                    offset += len(data)
            if done:
                return digest.hexdigest()

    def _drain(self) -> None:
        with contextlib.suppress(Exception):
            for line in self.process.stderr:
                if line.strip():
                    self.said = [*self.said[-9:], line.decode("utf-8", "replace").strip()]

    def _end(self, reason: str) -> str:
        """Stop the child; ``reason`` with what ssh said last on its way out."""
        self.close()
        self.drain.join(2)
        return f"{reason}: {self.said[-1]}" if self.said else reason

    def close(self) -> None:
        """End the session: end of input, then ssh exits (killed if it does not within 5 s)."""
        with contextlib.suppress(Exception):
            self.process.stdin.close()
            self.process.wait(5)
        self._kill()

    def _kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(Exception):
            self.process.stdout.close()
