"""Three-way merge of article content against the base: per field, and the body by paragraph.

A paragraph is what lies between blank lines. Each side's edits are found as stretches of the
base replaced (difflib); stretches changed by one side only are applied, an identical change on
both sides is applied once, and stretches that overlap (the same paragraph changed by both, or
two insertions at the same place) are a conflict: the whole merge then fails, never half.
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


Hunk = tuple[int, int, list[str]]  # base paragraphs [start, end) replaced by these


def _hunks(base: list[str], side: list[str]) -> list[Hunk]:
    """What one side changed, as replaced stretches of the base."""
    matcher = SequenceMatcher(None, base, side, autojunk=False)
    return [(i1, i2, side[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _overlap(a: Hunk, b: Hunk) -> bool:
    (a1, a2, _), (b1, b2, _) = a, b
    if a1 == a2 and b1 == b2:
        return a1 == b1  # two insertions at the same place: which first is anyone's guess
    if a1 == a2:
        return b1 < a1 < b2
    if b1 == b2:
        return a1 < b1 < a2
    return a1 < b2 and b1 < a2


def merge_paragraphs(base: list[str], left: list[str], right: list[str]) -> list[str] | None:
    """The paragraphs with both sides' edits, or None when the same stretch changed differently."""
    mine, theirs = _hunks(base, left), _hunks(base, right)
    hunks = list(mine)
    for hunk in theirs:
        if hunk in mine:
            continue  # the same edit on both sides: once
        if any(_overlap(hunk, other) for other in mine):
            return None
        hunks.append(hunk)
    merged: list[str] = []
    position = 0
    for start, end, replacement in sorted(hunks, key=lambda h: (h[0], h[1])):
        merged += base[position:start] + replacement
        position = end
    return merged + base[position:]


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
