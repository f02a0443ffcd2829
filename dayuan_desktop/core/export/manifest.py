"""The export manifest: for every file the export owns, the key of its inputs and its content hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from dayuan_desktop.core.export.output import OutputFolder

MANIFEST_NAME = ".dayuan-export.json"
MANIFEST_FORMAT = 1


def content_hash(data: bytes) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def input_key(*parts: object) -> str:
    """A short stable digest of everything a file is made from."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]


@dataclass
class Manifest:
    """What the last export wrote (path → input key and content hash)."""

    files: dict[str, dict[str, str]] = field(default_factory=dict)
    saved: bytes | None = field(default=None, repr=False, compare=False)  # the bytes now on disk

    @classmethod
    def load(cls, output: OutputFolder) -> Manifest:
        """The manifest in the folder; an unreadable one counts as empty (everything is checked again)."""
        raw = output.read(MANIFEST_NAME)
        if raw is None:
            return cls()
        try:
            data = json.loads(raw)
            if data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("files"), dict):
                return cls()
            return cls(files={str(k): dict(v) for k, v in data["files"].items()}, saved=raw)
        except (ValueError, AttributeError, TypeError):
            return cls()

    def save(self, output: OutputFolder) -> None:
        """Write the manifest atomically, unless it is unchanged (then an idle export writes nothing)."""
        payload = {"format": MANIFEST_FORMAT, "files": dict(sorted(self.files.items()))}
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if data != self.saved or not output.exists(MANIFEST_NAME):
            output.write(MANIFEST_NAME, data)
            self.saved = data
