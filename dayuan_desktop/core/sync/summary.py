"""What a sync did, and its last line."""

from __future__ import annotations

from dataclasses import dataclass, field

from dayuan_desktop.core.sync.writing import NumberClash


@dataclass
class SyncSummary:
    """Counts of one sync; ``str()`` is the line the command prints last."""

    sent: int = 0
    received: int = 0
    merged: int = 0
    conflicts: int = 0
    photos_sent: int = 0
    photos_received: int = 0
    photo_bytes: int = 0
    skipped: int = 0  # saved on either side during the sync: left for the next one
    clashes: list[NumberClash] = field(default_factory=list)
    conflict_copies: list[tuple[str, str]] = field(default_factory=list)  # (original uuid, copy uuid)

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.received} received, {self.merged} merged, {self.conflicts} conflicts"

    def details(self) -> list[str]:
        """Lines to show before the summary: clashes, conflict copies, photos, skipped articles."""
        lines = [f"number clash: {clash}" for clash in self.clashes]
        lines += [f"conflict: article {original} kept as it is on the newsroom side; the other version is "
                  f"conflict copy {copy}" for original, copy in self.conflict_copies]
        if self.photos_sent or self.photos_received:
            lines.append(f"photos: {self.photos_sent} sent, {self.photos_received} received, "
                         f"{self.photo_bytes:,} bytes")
        if self.skipped:
            lines.append(f"{self.skipped} article(s) saved during the sync: left for the next sync")
        return lines
