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
    joined = "\x1f".join(map(str, parts)) + "\x1f"  # one hashing call: exports key ~20,000 files
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


@dataclass
class Manifest:
    """What the last export wrote (path → input key and content hash)."""

    files: dict[str, dict[str, str]] = field(default_factory=dict)
    saved: bytes | None = field(default=None, repr=False, compare=False)  # the bytes now on disk
    changed: bool = field(default=False, repr=False, compare=False)  # entries differ from ``saved``

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
            files = data["files"]
            # Taken as parsed (JSON keys are strings): copying 20,000 entries cost more than checking them.
            if not all(type(entry) is dict for entry in files.values()):
                return cls()
            return cls(files=files, saved=raw)
        except (ValueError, AttributeError, TypeError):
            return cls()

    def record(self, path: str, key: str, digest: str) -> None:
        """Note what a file is now made from and holds."""
        entry = {"input": key, "sha256": digest}
        if self.files.get(path) != entry:
            self.files[path] = entry
            self.changed = True

    def forget(self, path: str) -> None:
        """Drop a file the export no longer owns."""
        if self.files.pop(path, None) is not None:
            self.changed = True

    def save(self, output: OutputFolder) -> None:
        """Write the manifest atomically, unless it is unchanged (then an idle export writes nothing)."""
        if not self.changed and self.saved is not None and output.exists(MANIFEST_NAME):
            return  # nothing recorded since it was read: skip serialising ~20,000 entries
        payload = {"format": MANIFEST_FORMAT, "files": self.files}
        # sort_keys sorts in the encoder (C): stable bytes for the same entries, without a sorted copy.
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
        if data != self.saved or not output.exists(MANIFEST_NAME):
            output.write(MANIFEST_NAME, data)
            self.saved = data
        self.changed = False
