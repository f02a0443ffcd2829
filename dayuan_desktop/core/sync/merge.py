"""Three-way merge of article content against the base: per field, and the body by paragraph.

A paragraph is what lies between blank lines. Both sides' edits are aligned to the base with
difflib; between paragraphs that neither side touched, a stretch changed by one side only takes
that side's paragraphs, a stretch changed identically on both takes them once, and a stretch
changed differently on both is a conflict (the whole merge then fails: no half merge).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from dayuan_desktop.core.sync.content import CONTENT_FIELDS

_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


@dataclass(frozen=True)
class MergeResult:
    """The merged content, or None with the fields that conflict."""

    content: dict | None
    conflicting: tuple[str, ...] = ()


def split_paragraphs(body: str) -> list[str]:
    """The body's paragraphs (split on blank lines, surrounding blank space dropped)."""
    stripped = body.strip("\n")
    return _BLANK_LINES.split(stripped) if stripped else []


def _anchors(base: list[str], side: list[str]) -> dict[int, int]:
    """Base paragraph index → the index of the same, unchanged paragraph on ``side``."""
    matcher = SequenceMatcher(None, base, side, autojunk=False)
    return {block.a + i: block.b + i for block in matcher.get_matching_blocks() for i in range(block.size)}


def _pick(base: list[str], left: list[str], right: list[str]) -> list[str] | None:
    if left == right or right == base:
        return left
    if left == base:
        return right
    return None


def merge_paragraphs(base: list[str], left: list[str], right: list[str]) -> list[str] | None:
    """The paragraphs with both sides' edits, or None when the same stretch changed differently."""
    on_left, on_right = _anchors(base, left), _anchors(base, right)
    stable = [b for b in range(len(base)) if b in on_left and b in on_right]
    merged: list[str] = []
    i = j = k = 0
    for b, lb, rb in [*((b, on_left[b], on_right[b]) for b in stable), (len(base), len(left), len(right))]:
        if lb < j or rb < k:  # crossing alignments (paragraphs moved): not a stretch we can merge
            return None
        chosen = _pick(base[i:b], left[j:lb], right[k:rb])
        if chosen is None:
            return None
        merged += chosen
        if b < len(base):
            merged.append(base[b])
        i, j, k = b + 1, lb + 1, rb + 1
    return merged


def merge_body(base: str, left: str, right: str) -> str | None:
    """The merged body, or None on a conflict."""
    if left == right or right == base:
        return left
    if left == base:
        return right
    paragraphs = merge_paragraphs(split_paragraphs(base), split_paragraphs(left), split_paragraphs(right))
    return None if paragraphs is None else "\n\n".join(paragraphs) + "\n"


def merge_content(base: dict, local: dict, other: dict) -> MergeResult:
    """Merge two edited contents of one article against their common base, field by field."""
    merged: dict = {}
    conflicting = []
    for name in CONTENT_FIELDS:
        b, mine, theirs = base.get(name), local.get(name), other.get(name)
        if name == "body":
            value = merge_body(b or "", mine or "", theirs or "")
            if value is None:
                conflicting.append(name)
            merged[name] = value
        elif mine == theirs or theirs == b:
            merged[name] = mine
        elif mine == b:
            merged[name] = theirs
        elif name == "trashed" and mine and theirs:
            merged[name] = theirs  # trashed on both sides: trashed, at the newsroom's time
        else:
            conflicting.append(name)
    if conflicting:
        return MergeResult(None, tuple(conflicting))
    return MergeResult(merged)
