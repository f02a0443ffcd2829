"""What every transport offers the runner: one connection to the target's folder.

Paths are relative to the target's folder, "/" separated. Each file goes up under a
temporary name beside its final one (``.NAME.dayuan-part``) and is renamed into place, so a
visitor sees the old file or the new one, never half of one. The temporary name is the same
every time: an upload cut short is overwritten by the next run's, not left to pile up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from dayuan_desktop.core.publishing.scan import PART_SUFFIX
from dayuan_desktop.core.publishing.targets import PublishError


class FileFailed(PublishError):
    """The server refused one file (permission, quota…); the connection itself is fine."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Connection(Protocol):
    """One open connection to the target (each worker thread has its own)."""

    def upload(self, local: Path, path: str) -> None:
        """Send ``local`` to ``path`` (temporary name, then rename); returns once the server has it."""

    def delete(self, path: str) -> None:
        """Remove ``path``; a file already gone is not an error."""

    def sizes(self) -> dict[str, int]:
        """Every file under the target's folder (relative path → size), temporaries left out."""

    def sha256(self, path: str) -> str | None:
        """The sha256 of the server's copy of ``path`` (read back), or None when it is missing."""

    def close(self) -> None:
        """Close the connection (never raises)."""


def part_name(path: str) -> str:
    """The temporary name ``path`` is uploaded under, in the same folder."""
    folder, _, name = path.rpartition("/")
    return f"{folder}/.{name}{PART_SUFFIX}" if folder else f".{name}{PART_SUFFIX}"


def parent_folders(path: str) -> list[str]:
    """The folders ``path`` sits in, outermost first (``a/b/c.html`` → ``a``, ``a/b``)."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def join(root: str, path: str) -> str:
    """The server path of ``path`` under the target's folder ``root``."""
    return f"{root.rstrip('/')}/{path}" if path else root
