"""What a target is known to hold: path → sha256, one record per target in the data folder.

A file's entry is written only after the server confirmed that file, so a run that is
interrupted (even killed) resumes exactly where it stopped. The record is a snapshot
(``<id>.json``, rewritten atomically at the end of a run) plus a journal (``<id>.journal``)
that gets one appended line per confirmed upload or deletion. A torn last line (the process
died while writing it) is ignored: that file is simply sent again. The journal is folded into
the snapshot only once it is long: rewriting a 13,500-entry snapshot after every one-article
publish cost more than the rest of the record's work, and replaying a few hundred lines is cheap.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from dayuan_desktop.core.publishing.targets import PublishError, Target

RECORD_FORMAT = 1
FOLD_LINES = 2000  # the journal is folded once it has this many lines (or a quarter of the entries)


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
        self._journal_lines = 0  # lines in the journal file (replayed and appended)
        self._whole = -1  # the journal ends in a torn line after this many bytes (-1: it does not)
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
            journal = self.journal_path.read_bytes()
            lines = journal.split(b"\n")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise PublishError(f"cannot read the publishing record {self.journal_path}: {exc.strerror}") from None
        for line in lines[:-1]:  # the part after the last newline is torn or empty
            self._replay(line.decode("utf-8", "replace"))
        self._journal_lines = len(lines) - 1
        self._whole = len(journal) - len(lines[-1]) if lines[-1] else -1

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
                    if self._whole >= 0:  # cut the torn line off: a line appended to it would be misread
                        os.truncate(self.journal_path, self._whole)
                        self._whole = -1
                    self._journal = open(self.journal_path, "ab")  # noqa: SIM115 — kept open for the run
                self._journal.write(line.encode("utf-8"))
                self._journal_lines += 1
                self._journal.flush()  # in the OS's hands: survives the process being killed
            except OSError as exc:
                raise PublishError(f"cannot write the publishing record {self.journal_path}: {exc.strerror}") from None
            apply()

    def save(self, fold: bool | None = None) -> None:
        """End a run: fold the journal into a fresh snapshot (atomically) and empty it when it is
        long (``fold`` None) or when asked (``fold`` True); otherwise just close it."""
        with self._lock:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            if fold is None:
                fold = self._journal_lines > max(FOLD_LINES, len(self.files) // 4) or not self.snapshot_path.exists()
            if fold and (self._journal_lines or not self.snapshot_path.exists()):
                self._fold()

    def _fold(self) -> None:
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
        self._journal_lines, self._whole = 0, -1

    def close(self) -> None:
        """Close the journal without folding it (what a crash leaves is equally readable)."""
        with self._lock:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
