"""Compare two Markdown texts the way an editor reads them: paragraph by paragraph, then by character.

Chinese has no spaces between words, so a word diff marks whole sentences; this one aligns the
paragraphs (non-empty lines) first and then marks the changed characters inside each pair of
paragraphs that were edited. The result is plain data (:class:`TextDiff`) a view can draw.

The work is bounded: the character comparison of one pair of paragraphs costs about the product of
their lengths, so a pair whose changed middle is larger than :data:`MAX_PAIR_CELLS`, or any pair
once the whole comparison has spent :data:`MAX_TOTAL_CELLS`, is marked as a whole-paragraph
replacement instead (``TextDiff.bounded`` says so).
"""

from __future__ import annotations

import difflib
import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

MAX_PAIR_CELLS = 4_000_000  # ~2,000 × 2,000 changed characters: ~15 ms here
MAX_TOTAL_CELLS = 40_000_000  # the whole comparison: ~150 ms here, then whole-paragraph marks
MAX_PAIRING_BLOCK = 60  # paragraphs per side beyond which a replaced block pairs them in order
PAIR_SIMILARITY = 0.4  # below this two paragraphs count as one removed and one added, not edited


class Mark(enum.StrEnum):
    """What happened to a piece of text, as seen from its side."""

    EQUAL = "equal"
    INSERTED = "inserted"  # only on the new side
    DELETED = "deleted"  # only on the old side
    CHANGED = "changed"  # replaced by (or replacing) other text on the other side


@dataclass(frozen=True)
class Segment:
    """A run of characters with one mark."""

    text: str
    mark: Mark


class RowKind(enum.StrEnum):
    """How one aligned row of paragraphs differs."""

    EQUAL = "equal"
    INSERTED = "inserted"  # a paragraph only the new text has
    DELETED = "deleted"  # a paragraph only the old text has
    CHANGED = "changed"  # a paragraph edited in place


@dataclass(frozen=True)
class Row:
    """One aligned row: the old paragraph (or None) beside the new one (or None)."""

    kind: RowKind
    old: tuple[Segment, ...] | None
    new: tuple[Segment, ...] | None


@dataclass
class TextDiff:
    """The comparison of two texts: aligned rows, and counts of changed characters."""

    rows: list[Row] = field(default_factory=list)
    inserted_chars: int = 0
    deleted_chars: int = 0
    bounded: bool = False  # some pair was too large to compare by character

    @property
    def changed(self) -> bool:
        """True when the texts differ at all."""
        return any(row.kind != RowKind.EQUAL for row in self.rows)


class _Budget:
    def __init__(self, cells: int) -> None:
        self.left = cells


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a Markdown text: its non-empty lines (blank lines only separate them)."""
    return [line for line in (text or "").splitlines() if line.strip()]


def compare_texts(old: str, new: str, *, total_cells: int = MAX_TOTAL_CELLS) -> TextDiff:
    """Compare two texts paragraph by paragraph, and edited paragraphs character by character."""
    old_paras, new_paras = paragraphs(old), paragraphs(new)
    result = TextDiff()
    budget = _Budget(total_cells)
    matcher = difflib.SequenceMatcher(None, old_paras, new_paras, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.rows.extend(
                Row(RowKind.EQUAL, (Segment(p, Mark.EQUAL),), (Segment(p, Mark.EQUAL),)) for p in old_paras[i1:i2]
            )
        else:
            _replace_block(result, old_paras[i1:i2], new_paras[j1:j2], budget)
    return result


def compare_strings(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...], bool]:
    """Character marks for one short text (a title, a summary): old side, new side, and bounded."""
    diff = TextDiff()
    old_segments, new_segments = _pair(diff, old, new, _Budget(MAX_PAIR_CELLS))
    return old_segments, new_segments, diff.bounded


def _replace_block(result: TextDiff, olds: Sequence[str], news: Sequence[str], budget: _Budget) -> None:
    """Rows for a block of paragraphs that differ: edited pairs, removed ones and added ones."""
    for old, new in _pairings(olds, news, budget):
        if old is None:
            result.rows.append(Row(RowKind.INSERTED, None, (Segment(new, Mark.INSERTED),)))
            result.inserted_chars += len(new)
        elif new is None:
            result.rows.append(Row(RowKind.DELETED, (Segment(old, Mark.DELETED),), None))
            result.deleted_chars += len(old)
        else:
            old_segments, new_segments = _pair(result, old, new, budget)
            result.rows.append(Row(RowKind.CHANGED, old_segments, new_segments))


def _pairings(olds: Sequence[str], news: Sequence[str], budget: _Budget) -> list[tuple[str | None, str | None]]:
    """Which old paragraph became which new one, in order; unmatched ones stand alone.

    A paragraph pairs with the first of the next new paragraphs that looks like it (difflib's
    cheap upper bounds first), so an inserted paragraph before an edited one is not taken for it.
    Large blocks pair in order without looking (the search would cost blocks × blocks).
    """
    if len(olds) > MAX_PAIRING_BLOCK or len(news) > MAX_PAIRING_BLOCK:
        pairs: list[tuple[str | None, str | None]] = list(zip(olds, news, strict=False))
        pairs += [(o, None) for o in olds[len(news):]] + [(None, n) for n in news[len(olds):]]
        return pairs
    pairs = []
    j = 0
    for old in olds:
        match = next((k for k in range(j, len(news)) if _similar(old, news[k], budget)), None)
        if match is None:
            pairs.append((old, None))
            continue
        pairs += [(None, n) for n in news[j:match]]
        pairs.append((old, news[match]))
        j = match + 1
    pairs += [(None, n) for n in news[j:]]
    return pairs


def _similar(a: str, b: str, budget: _Budget) -> bool:
    """Whether ``b`` looks like an edit of ``a``: shared characters first (cheap), then difflib's ratio.

    The shared-character bound is counted in C (``Counter``); difflib's own ``quick_ratio`` loops in
    Python and costs more than the whole comparison on a huge paragraph.
    """
    if not a or not b:
        return False
    if 2 * min(len(a), len(b)) / (len(a) + len(b)) < PAIR_SIMILARITY:
        return False
    kept = _common_prefix(a, b)
    kept += _common_suffix(a[kept:], b[kept:])
    if 2 * kept / (len(a) + len(b)) >= PAIR_SIMILARITY:
        return True  # the usual edit: most of the paragraph is untouched at its start and end
    shared = sum((Counter(a) & Counter(b)).values())
    if 2 * shared / (len(a) + len(b)) < PAIR_SIMILARITY:
        return False
    cells = len(a) * len(b)
    if cells > MAX_PAIR_CELLS or cells > budget.left:
        return True  # too large to measure exactly; the bag of characters is alike enough
    budget.left -= cells
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= PAIR_SIMILARITY


def _pair(result: TextDiff, old: str, new: str, budget: _Budget) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Character marks for an edited paragraph (common start and end cut off first: cheap and exact)."""
    start = _common_prefix(old, new)
    end = _common_suffix(old[start:], new[start:])
    old_mid, new_mid = old[start:len(old) - end], new[start:len(new) - end]
    cells = len(old_mid) * len(new_mid)
    if cells > MAX_PAIR_CELLS or cells > budget.left:
        result.bounded = True
        ops = [("replace", 0, len(old_mid), 0, len(new_mid))] if old_mid or new_mid else []
    else:
        budget.left -= cells
        ops = _merged(difflib.SequenceMatcher(None, old_mid, new_mid, autojunk=False).get_opcodes())
    old_side: list[Segment] = [Segment(old[:start], Mark.EQUAL)] if start else []
    new_side: list[Segment] = [Segment(new[:start], Mark.EQUAL)] if start else []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            old_side.append(Segment(old_mid[i1:i2], Mark.EQUAL))
            new_side.append(Segment(new_mid[j1:j2], Mark.EQUAL))
            continue
        one_sided = i1 == i2 or j1 == j2
        if i2 > i1:
            old_side.append(Segment(old_mid[i1:i2], Mark.DELETED if one_sided else Mark.CHANGED))
        if j2 > j1:
            new_side.append(Segment(new_mid[j1:j2], Mark.INSERTED if one_sided else Mark.CHANGED))
        result.deleted_chars += i2 - i1
        result.inserted_chars += j2 - j1
    if end:
        old_side.append(Segment(old[len(old) - end:], Mark.EQUAL))
        new_side.append(Segment(new[len(new) - end:], Mark.EQUAL))
    return tuple(old_side), tuple(new_side)


def _merged(ops: list[tuple]) -> list[tuple]:
    """Fold a single equal character between two replacements into them (one clear mark, not confetti).

    Only between replacements: between two insertions the kept character is real news to the reader.
    """
    out: list[tuple] = []
    for op in ops:
        if (len(out) >= 2 and op[0] == "replace" and out[-1][0] == "equal" and out[-1][2] - out[-1][1] == 1
                and out[-2][0] == "replace"):
            out.pop()
            _, i1, _, j1, _ = out.pop()
            out.append(("replace", i1, op[2], j1, op[4]))
        else:
            out.append(op)
    return out


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    low, high = 0, n  # binary search on slices: C-speed comparisons instead of a Python loop
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    low, high = 0, n
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid:] == b[len(b) - mid:]:
            low = mid
        else:
            high = mid - 1
    return low
