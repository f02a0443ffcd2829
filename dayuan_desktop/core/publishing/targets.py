"""Where a site is published: ``sftp://user@host[:port]/path``, ``ftp://…``, ``ftps://…`` or a folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.secrets import remember_secret

SCHEMES = {"sftp": 22, "ftp": 21, "ftps": 21}


class PublishError(DayuanError):
    """Publishing cannot go on; the message is one line for a person to read."""


@dataclass(frozen=True)
class Target:
    """A parsed target. ``password`` is only set when the address itself carried one."""

    scheme: str  # "sftp", "ftp", "ftps" or "folder"
    path: str  # the server folder (absolute, "/" separated) or the local folder
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""

    @property
    def key(self) -> str:
        """The target's address without password: names its record, its keyring entry, its log lines."""
        if self.scheme == "folder":
            return str(Path(self.path).resolve())
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{self.user}@{host}:{self.port}{self.path}"

    def __str__(self) -> str:
        return self.key


def parse_target(text: str) -> Target:
    """The target written as ``text``; :class:`PublishError` (one line) when it cannot be one."""
    text = text.strip()
    if not text:
        raise PublishError("no publishing target given")
    if "://" not in text:
        return Target(scheme="folder", path=text)
    scheme = text.partition("://")[0].lower()
    if scheme not in SCHEMES:
        raise PublishError(f"unknown kind of target '{scheme}://': use sftp://, ftp://, ftps:// or a folder path")
    try:
        parts = urlsplit(text)
        port = parts.port or SCHEMES[scheme]
    except ValueError as exc:
        raise PublishError(f"not a valid target address ({exc}): expected {scheme}://user@host[:port]/path") from None
    if not parts.hostname:
        raise PublishError(f"the target has no server name: expected {scheme}://user@host[:port]/path")
    if parts.query or parts.fragment:
        raise PublishError("the target address cannot have '?' or '#' parts")
    password = unquote(parts.password or "")
    remember_secret(password)
    path = unquote(parts.path or "/")
    if any(part == ".." for part in path.split("/")):
        raise PublishError("the target path cannot contain '..'")
    return Target(scheme=scheme, path="/" + path.strip("/") if path.strip("/") else "/", host=parts.hostname,
                  port=port, user=unquote(parts.username or ""), password=password)
