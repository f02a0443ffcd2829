"""What changed between two versions of an article: its fields, then its body (``core.text_diff``).

Versions are snapshot dicts as revisions keep them (``core.snapshots``); an article record's
editable values compare the same way (:func:`values_as_snapshot`). Plain data, no Qt: the
comparison runs on a worker thread and the window only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from dayuan_desktop.core.text_diff import Segment, TextDiff, compare_strings, compare_texts

# The fields shown above the body, in the order the editor's form shows them.
COMPARED_FIELDS = (
    "title", "subtitle", "author", "source", "summary", "channel_path", "tags", "status", "number",
    "published_at", "photos",
)


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its texts on both sides, with character marks."""

    name: str
    old: str
    new: str
    old_segments: tuple[Segment, ...]
    new_segments: tuple[Segment, ...]


@dataclass
class VersionComparison:
    """Fields that changed, and the body's paragraph and character comparison."""

    fields: list[FieldChange]
    body: TextDiff

    @property
    def changed(self) -> bool:
        """True when anything differs."""
        return bool(self.fields) or self.body.changed


def field_text(name: str, value, zone: tzinfo = UTC) -> str:
    """How a field's value reads in the comparison (tags and photos as a list, times in ``zone``).

    Times are compared as instants: a snapshot may keep one with another UTC offset than the
    article record has (an import keeps the page's +08:00), which is no change.
    """
    if value is None:
        return ""
    if isinstance(value, str) and name == "published_at":
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value  # not a time after all: shown as kept
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # stored times are UTC
        return aware.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    if name == "tags":
        return "、".join(str(tag) for tag in value)
    if name == "photos":
        return "\n".join(str(sha)[:12] for sha in value)  # a photo is its sha256; its start tells them apart
    return str(value)


def values_as_snapshot(values: dict) -> dict:
    """An article's values (e.g. ``ArticleRecord.editable_values()``) in a snapshot's shape."""
    out = {name: (value.isoformat() if isinstance(value, datetime) else value) for name, value in values.items()}
    if "tags" in out:
        out["tags"] = list(out["tags"])
    return out


def compare_versions(old: dict, new: dict, zone: tzinfo = UTC) -> VersionComparison:
    """Compare two snapshots: each differing field by character, the body by paragraph then character.

    Times are shown in ``zone`` (the site's, as the editor shows them).
    """
    changes = []
    for name in COMPARED_FIELDS:
        if name not in old and name not in new:
            continue
        before, after = field_text(name, old.get(name), zone), field_text(name, new.get(name), zone)
        if before != after:
            old_segments, new_segments, _bounded = compare_strings(before, after)
            changes.append(FieldChange(name, before, after, old_segments, new_segments))
    return VersionComparison(changes, compare_texts(old.get("body") or "", new.get("body") or ""))
