"""The export manifest: for every file the export owns, the key of its inputs and its content hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from dayuan_desktop.core.export.output import OutputFolder
from dayuan_desktop.core.export_names import MANIFEST_FORMAT, MANIFEST_NAME, RECORD_KEY

KEY_CHARS = 32


def content_hash(data: bytes) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def input_key(*parts: object) -> str:
    """A short stable digest of everything a file is made from (:data:`KEY_CHARS` hex digits)."""
    return joined_key("\x1f".join(map(str, parts)) + "\x1f")


def joined_key(joined: str) -> str:
    """:func:`input_key` of parts already joined, each followed by ``\x1f`` (for the export's
    loops over 10,000s of files, which build that text in one f-string)."""
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:KEY_CHARS]


@dataclass
class Manifest:
    """What the last export wrote: path → ``"<input key> <content sha256>"``."""

    files: dict[str, str] = field(default_factory=dict)
    saved: bytes | None = field(default=None, repr=False, compare=False)  # the bytes now on disk
    changed: bool = field(default=False, repr=False, compare=False)  # entries differ from ``saved``
    # core.quick_export's record of the last complete export (None: none, the next export runs in full).
    last_complete: dict | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, output: OutputFolder) -> Manifest:
        """The manifest in the folder; an unreadable one counts as empty (everything is checked again).

        A damaged entry keeps its path with an empty record: the file is checked again, and
        still removed when the site no longer has it.
        """
        raw = output.read(MANIFEST_NAME)
        if raw is None:
            return cls()
        try:
            data = json.loads(raw)
            files = data.get("files")
            if not isinstance(files, dict):
                return cls()
            if data.get("format") == 1:  # written by an older version: same facts, read once
                return cls(files={path: _old_entry(entry) for path, entry in files.items()}, changed=True)
            if data.get("format") != MANIFEST_FORMAT:
                return cls()
            # Taken as parsed (JSON keys are strings): copying 20,000 entries cost more than checking them.
            if not all(type(entry) is str for entry in files.values()):
                return cls(files={path: entry if type(entry) is str else "" for path, entry in files.items()},
                           changed=True)
            record = data.get(RECORD_KEY)
            return cls(files=files, saved=raw, last_complete=record if isinstance(record, dict) else None)
        except (ValueError, AttributeError, RecursionError):  # not JSON, not an object, absurdly nested
            return cls()

    def holds(self, path: str, key: str) -> bool:
        """Whether the last export made ``path`` from inputs of this key."""
        entry = self.files.get(path)
        return entry is not None and entry.startswith(key) and entry[len(key) : len(key) + 1] == " "

    def sha256_of(self, path: str) -> str:
        """The content hash recorded for ``path`` (empty when none is)."""
        entry = self.files.get(path)
        return entry.rpartition(" ")[2] if entry is not None else ""

    def record(self, path: str, key: str, digest: str) -> None:
        """Note what a file is now made from and holds."""
        entry = f"{key} {digest}"
        if self.files.get(path) != entry:
            self.files[path] = entry
            self.changed = True

    def forget(self, path: str) -> None:
        """Drop a file the export no longer owns."""
        if self.files.pop(path, None) is not None:
            self.changed = True

    def set_record(self, record: dict | None) -> None:
        """Replace the record of the last complete export (see ``core.quick_export``)."""
        if record != self.last_complete:
            self.last_complete = record
            self.changed = True

    def save(self, output: OutputFolder) -> None:
        """Write the manifest atomically, unless it is unchanged (then an idle export writes nothing)."""
        if not self.changed and self.saved is not None and output.exists(MANIFEST_NAME):
            return  # nothing recorded since it was read: skip serialising ~20,000 entries
        payload = {"format": MANIFEST_FORMAT, "files": self.files}
        if self.last_complete is not None:
            payload[RECORD_KEY] = self.last_complete
        # sort_keys sorts in the encoder (C): stable bytes for the same entries, without a sorted copy.
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
        if data != self.saved or not output.exists(MANIFEST_NAME):
            output.write(MANIFEST_NAME, data)
            self.saved = data
        self.changed = False


def _old_entry(entry: object) -> str:
    """A format-1 entry (``{"input": …, "sha256": …}``) as a format-2 one; empty when damaged."""
    if isinstance(entry, dict) and type(entry.get("input")) is str and type(entry.get("sha256")) is str:
        return f"{entry['input']} {entry['sha256']}"
    return ""


def comparable_site_files(root: Path) -> dict[str, bytes]:
    """Every file of an exported folder by relative path, as two exports of the same content agree.

    The manifest's record of the last complete export names this run's inodes and times, so
    it is left out of the manifest's bytes; every file entry in it still counts.
    """
    found: dict[str, bytes] = {}
    for path in sorted(Path(root).rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        data = path.read_bytes()
        if name == MANIFEST_NAME:
            try:
                manifest = json.loads(data)
                manifest.pop(RECORD_KEY, None)
                data = json.dumps(manifest, sort_keys=True).encode()
            except (ValueError, AttributeError):
                pass  # a damaged manifest compares as the bytes it holds
        found[name] = data
    return found
