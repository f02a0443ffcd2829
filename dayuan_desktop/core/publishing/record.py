"""What a target is known to hold: path → sha256, one record per target in the data folder.

A file's entry is written only after the server confirmed that file, so a run that is
interrupted (even killed) resumes exactly where it stopped. The record is a snapshot
(``<id>.json``, rewritten atomically at the end of a run) plus a journal (``<id>.journal``)
that gets one appended line per confirmed upload or deletion. A torn last line (the process
died while writing it) is ignored: that file is simply sent again.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from dayuan_desktop.core.publishing.targets import PublishError, Target

RECORD_FORMAT = 1


class TargetRecord:
    """The record of one target, loaded from and appended to files under ``folder``."""

    def __init__(self, folder: Path, target: Target) -> None:
        self.target_key = target.key
        ident = hashlib.sha256(self.target_key.encode("utf-8")).hexdigest()[:24]
        self.snapshot_path = folder / f"{ident}.json"
        self.journal_path = folder / f"{ident}.journal"
        self.files: dict[str, str] = {}
        self._lock = threading.Lock()
        self._journal = None
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.snapshot_path.read_bytes())
            if data.get("format") == RECORD_FORMAT and data.get("target") == self.target_key:
                self.files = {str(k): str(v) for k, v in data.get("files", {}).items()}
        except FileNotFoundError:
            pass
        except (ValueError, AttributeError, OSError):  # damaged: everything is compared again, nothing lost
            self.files = {}
        try:
            lines = self.journal_path.read_bytes().split(b"\n")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise PublishError(f"cannot read the publishing record {self.journal_path}: {exc.strerror}") from None
        for line in lines[:-1]:  # the part after the last newline is torn or empty
            self._replay(line.decode("utf-8", "replace"))

    def _replay(self, line: str) -> None:
        kind, _, rest = line.partition(" ")
        if kind == "+":
            digest, _, path = rest.partition(" ")
            if len(digest) == 64 and path:
                self.files[path] = digest
        elif kind == "-" and rest:
            self.files.pop(rest, None)

    def holds(self, path: str, digest: str) -> bool:
        """Whether the target is recorded to hold ``path`` with this content."""
        return self.files.get(path) == digest

    def confirm_upload(self, path: str, digest: str) -> None:
        """Note that the server confirmed ``path`` with this content (appended at once)."""
        self._append(f"+ {digest} {path}\n", lambda: self.files.__setitem__(path, digest))

    def confirm_delete(self, path: str) -> None:
        """Note that ``path`` is gone from the server."""
        self._append(f"- {path}\n", lambda: self.files.pop(path, None))

    def forget(self, path: str) -> None:
        """Drop what is recorded for ``path`` (``--verify`` found the server's copy wrong or missing)."""
        self._append(f"- {path}\n", lambda: self.files.pop(path, None))

    def _append(self, line: str, apply) -> None:
        with self._lock:
            try:
                if self._journal is None:
                    self.journal_path.parent.mkdir(parents=True, exist_ok=True)
                    self._journal = open(self.journal_path, "ab")  # noqa: SIM115 — kept open for the run
                self._journal.write(line.encode("utf-8"))
                self._journal.flush()  # in the OS's hands: survives the process being killed
            except OSError as exc:
                raise PublishError(f"cannot write the publishing record {self.journal_path}: {exc.strerror}") from None
            apply()

    def save(self) -> None:
        """Fold the journal into a fresh snapshot (atomically) and empty the journal."""
        with self._lock:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            payload = {"format": RECORD_FORMAT, "target": self.target_key, "files": self.files}
            data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
            temporary = self.snapshot_path.with_suffix(".json.tmp")
            try:
                self.snapshot_path.parent.mkdir(parents=True, exist_ok=True)
                temporary.write_bytes(data)
                os.replace(temporary, self.snapshot_path)
                self.journal_path.unlink(missing_ok=True)
            except OSError as exc:
                raise PublishError(f"cannot write the publishing record {self.snapshot_path}: {exc.strerror}") from None

    def close(self) -> None:
        """Close the journal without folding it (what a crash leaves is equally readable)."""
        with self._lock:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
