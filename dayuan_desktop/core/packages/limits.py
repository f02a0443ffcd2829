"""The package's error type and the limits a package must stay within to be read at all."""

from __future__ import annotations

from dataclasses import dataclass

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.photos.decoding import MAX_FILE_BYTES as MAX_PHOTO_BYTES

# The package format this code writes and the newest one it reads.
FORMAT_NAME = "dayuan-package"
FORMAT_VERSION = 1


class PackageError(ValidationError):
    """A package that cannot be used as it is: its one-line message says which file and why."""


@dataclass(frozen=True)
class PackageLimits:
    """Sizes and counts above which a package is refused (a bomb, or not one of ours).

    Each limit holds for what an entry's header declares and again for the bytes it really
    inflates to while it is read: a header can lie.
    """

    max_entries: int = 20_000
    max_manifest_bytes: int = 8 * 2**20
    max_json_bytes: int = 16 * 2**20  # a ninjs document carries the body twice (HTML and Markdown)
    max_markdown_bytes: int = 20 * 2**20
    max_photo_bytes: int = MAX_PHOTO_BYTES
    max_total_bytes: int = 4 * 2**30

    def for_name(self, name: str) -> int:
        """The size limit of one entry, by what it is."""
        if name == "manifest.json":
            return self.max_manifest_bytes
        if name.endswith(".json"):
            return self.max_json_bytes
        if name.endswith(".md"):
            return self.max_markdown_bytes
        return self.max_photo_bytes
