"""A small SFTP version 3 client over two pipes (draft-ietf-secsh-filexfer-02, as OpenSSH speaks it).

It speaks to ``ssh -s sftp``'s stdin and stdout; it knows only the requests publishing needs.
Requests are pipelined: many are sent before their replies are read, and replies are matched
by id. At most :data:`WINDOW` requests are outstanding, so that the server's replies never fill
the pipe back to us while we are still writing (that would block both sides for good).
"""

from __future__ import annotations

import struct

INIT, VERSION, OPEN, CLOSE, READ, WRITE, FSTAT = 1, 2, 3, 4, 5, 6, 8
OPENDIR, READDIR, REMOVE, MKDIR, STAT, RENAME = 11, 12, 13, 14, 17, 18
STATUS, HANDLE, DATA, NAME, ATTRS, EXTENDED = 101, 102, 103, 104, 105, 200
OK, EOF, NO_SUCH_FILE = 0, 1, 2
OPEN_READ, OPEN_WRITE, OPEN_CREATE, OPEN_TRUNCATE = 0x01, 0x02, 0x08, 0x10
CHUNK = 32768  # the largest read or write every server must accept
WINDOW = 32
POSIX_RENAME = "posix-rename@openssh.com"
_UINT32, _UINT64 = struct.Struct(">I"), struct.Struct(">Q")
_STATUS_NAMES = {1: "end of file", 2: "no such file", 3: "permission denied", 4: "failure", 5: "bad message",
                 8: "operation unsupported"}


class SftpStatus(Exception):
    """The server answered a request with an error status (the channel itself is fine)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message or _STATUS_NAMES.get(code, f"error {code}"))
        self.code = code


class SftpBroken(Exception):
    """The channel ended or spoke nonsense: nothing more can be sent over it."""


def string(data: bytes | str) -> bytes:
    """An SFTP string: its length, then its bytes (text as UTF-8)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return _UINT32.pack(len(raw)) + raw


class _Reader:
    """Fields read one after another from a reply's body."""

    def __init__(self, body: bytes) -> None:
        self.body, self.at = body, 0

    def uint32(self) -> int:
        value = _UINT32.unpack_from(self.body, self.at)[0]
        self.at += 4
        return value

    def uint64(self) -> int:
        value = _UINT64.unpack_from(self.body, self.at)[0]
        self.at += 8
        return value

    def string(self) -> bytes:
        size = self.uint32()
        value = self.body[self.at:self.at + size]
        if len(value) != size:
            raise SftpBroken("a reply was cut short")
        self.at += size
        return value

    def attributes(self) -> tuple[int, int]:
        """(permissions with the file type, size) of an ATTRS structure; the other fields are skipped."""
        flags, size, mode = self.uint32(), 0, 0
        if flags & 0x1:
            size = self.uint64()
        if flags & 0x2:
            self.at += 8  # uid, gid
        if flags & 0x4:
            mode = self.uint32()
        if flags & 0x8:
            self.at += 8  # atime, mtime
        if flags & 0x80000000:
            for _ in range(self.uint32()):
                self.string(), self.string()
        return mode, size


class SftpChannel:
    """Requests and replies over a binary reader (the server's output) and writer (its input)."""

    def __init__(self, reader, writer) -> None:
        self.reader, self.writer = reader, writer
        self.extensions: set[str] = set()
        self._next_id = 0
        self._replies: dict[int, tuple[int, bytes]] = {}
        self._outstanding: list[int] = []
        self._unwanted: set[int] = set()  # requests whose replies are dropped unread

    def hello(self) -> None:
        """INIT, and the server's VERSION with the extensions it offers."""
        self.send_init()
        self.read_version()

    def send_init(self) -> None:
        """INIT (version 3), sent at once: it waits in the pipe while ssh connects."""
        self._write(_UINT32.pack(5) + bytes([INIT]) + _UINT32.pack(3))
        self.flush()

    def read_version(self) -> None:
        """The server's VERSION with the extensions it offers (waiting for it)."""
        kind, body = self._read_packet()
        if kind != VERSION:
            raise SftpBroken(f"the server answered INIT with message type {kind}")
        reader = _Reader(body)
        reader.uint32()
        while reader.at < len(body):
            self.extensions.add(reader.string().decode("utf-8", "replace"))
            reader.string()

    def send(self, kind: int, payload: bytes) -> int:
        """Queue one request; its id. Replies are read first when too many are outstanding."""
        while len(self._outstanding) >= WINDOW:
            self._collect(self._outstanding[0])
        self._next_id = (self._next_id + 1) & 0xFFFFFFFF
        ident = self._next_id
        self._write(_UINT32.pack(len(payload) + 5) + bytes([kind]) + _UINT32.pack(ident) + payload)
        self._outstanding.append(ident)
        return ident

    def ignore(self, ident: int) -> None:
        """Drop the reply to ``ident`` whenever it comes (a request whose outcome shows later anyway)."""
        if self._replies.pop(ident, None) is None and ident in self._outstanding:
            self._unwanted.add(ident)

    def reply(self, ident: int) -> tuple[int, _Reader]:
        """The reply to request ``ident`` (waiting for it): its type and a reader of its fields."""
        self._collect(ident)
        kind, body = self._replies.pop(ident)
        return kind, _Reader(body)

    def check(self, ident: int) -> None:
        """Wait for a status reply; :class:`SftpStatus` unless it says OK."""
        self.expect(ident, STATUS)

    def expect(self, ident: int, wanted: int) -> _Reader:
        """The reply to ``ident``, which must be of type ``wanted`` (an OK status counts for STATUS)."""
        kind, reader = self.reply(ident)
        if kind == STATUS:
            code = reader.uint32()
            if wanted == STATUS and code == OK:
                return reader
            raise SftpStatus(code, reader.string().decode("utf-8", "replace"))
        if kind != wanted:
            raise SftpBroken(f"expected message type {wanted}, the server sent {kind}")
        return reader

    def flush(self) -> None:
        """Send what is buffered (before waiting for anything)."""
        try:
            self.writer.flush()
        except (OSError, ValueError) as exc:
            raise SftpBroken(f"the server's input is closed ({exc})") from None

    def _write(self, data: bytes) -> None:
        try:
            self.writer.write(data)
        except (OSError, ValueError) as exc:
            raise SftpBroken(f"the server's input is closed ({exc})") from None

    def _collect(self, ident: int) -> None:
        if ident in self._replies:
            return
        self.flush()
        while True:
            kind, body = self._read_packet()
            if len(body) < 4:
                raise SftpBroken("a reply without its request id")
            got = _UINT32.unpack_from(body)[0]
            if got in self._outstanding:
                self._outstanding.remove(got)
            if got in self._unwanted:
                self._unwanted.discard(got)
                continue
            self._replies[got] = (kind, body[4:])
            if got == ident:
                return

    def _read_packet(self) -> tuple[int, bytes]:
        head = self._read_exactly(4)
        size = _UINT32.unpack(head)[0]
        if not 1 <= size <= 1 << 24:
            raise SftpBroken(f"a reply of {size} bytes: not SFTP")
        packet = self._read_exactly(size)
        return packet[0], packet[1:]

    def _read_exactly(self, size: int) -> bytes:
        try:
            data = self.reader.read(size)
        except (OSError, ValueError) as exc:
            raise SftpBroken(f"the server's output is closed ({exc})") from None
        if len(data) != size:
            raise SftpBroken("the connection ended")
        return data
