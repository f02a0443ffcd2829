"""A version comparison as one HTML table for QTextBrowser: old beside new, changed characters coloured.

Plain string work (no widgets), so it runs on the comparison's worker thread. Every text is
escaped: an article may hold ``<script>`` or Markdown that looks like HTML. Runs of unchanged
paragraphs longer than the context shown around changes are folded into one grey row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from dayuan_desktop.core.revision_compare import VersionComparison
from dayuan_desktop.core.text_diff import Mark, Row, RowKind, Segment

CONTEXT = 2  # unchanged paragraphs shown before and after each change
# Characters drawn at most: QTextBrowser lays a table out whole on the UI thread (~0.1 s per
# 4,000 characters here), so a longer comparison is cut after this and says how much is left.
MAX_DRAWN_CHARS = 8_000

# Light row backgrounds, stronger character marks (readable with the portal's dark text).
OLD_ROW, NEW_ROW = "#fff1f0", "#effbef"
MARK_COLOURS = {
    ("old", Mark.DELETED): "#ffb8b3",
    ("old", Mark.CHANGED): "#ffb8b3",
    ("new", Mark.INSERTED): "#9be0a8",
    ("new", Mark.CHANGED): "#9be0a8",
}


@dataclass(frozen=True)
class Labels:
    """The translated words the table uses (made on the UI thread, where ``tr()`` belongs)."""

    fields: dict[str, str]  # field name → its label in the form
    body: str  # the heading of the body part
    folded: str  # "%1 unchanged paragraphs" (%1: how many)
    same: str  # shown when the versions are identical
    bounded: str  # shown when a huge paragraph was marked whole
    cut: str  # "%1 more paragraphs not drawn" (%1: how many)


def comparison_html(comparison: VersionComparison, labels: Labels) -> str:
    """The comparison as an HTML document: fields that changed, then the body's aligned paragraphs."""
    parts = ['<table width="100%" cellspacing="0" cellpadding="4" style="border-collapse: collapse;">']
    if not comparison.changed:
        parts.append(f'<tr><td colspan="2" style="color: #666;">{escape(labels.same)}</td></tr>')
    for change in comparison.fields:
        label = escape(labels.fields.get(change.name, change.name))
        parts.append(f'<tr><td colspan="2" style="color: #555; font-weight: bold;">{label}</td></tr>')
        parts.append(_row(change.old_segments, change.new_segments, changed=True))
    if comparison.body.changed:
        parts.append(f'<tr><td colspan="2" style="color: #555; font-weight: bold;">{escape(labels.body)}</td></tr>')
        parts.extend(_body_rows(comparison.body.rows, labels))
    if comparison.body.bounded:
        parts.append(f'<tr><td colspan="2" style="color: #666;">{escape(labels.bounded)}</td></tr>')
    parts.append("</table>")
    return "".join(parts)


def _body_rows(rows: Sequence[Row], labels: Labels) -> list[str]:
    shown = _shown(rows)
    out: list[str] = []
    hidden = drawn = 0
    for index, row in enumerate(rows):
        if index not in shown:
            hidden += 1
            continue
        if hidden:
            out.append(_folded(hidden, labels))
            hidden = 0
        if drawn > MAX_DRAWN_CHARS:
            left = len(shown) - len([i for i in shown if i < index])
            out.append(_note(labels.cut.replace("%1", str(left))))
            return out
        out.append(_row(row.old, row.new, changed=row.kind != RowKind.EQUAL))
        drawn += sum(len(s.text) for s in (row.old or ())) + sum(len(s.text) for s in (row.new or ()))
    if hidden:
        out.append(_folded(hidden, labels))
    return out


def _shown(rows: Sequence[Row]) -> set[int]:
    """Indexes of the rows to draw: every change and its context (short unchanged runs stay whole)."""
    changes = [i for i, row in enumerate(rows) if row.kind != RowKind.EQUAL]
    shown: set[int] = set()
    for i in changes:
        shown.update(range(max(0, i - CONTEXT), min(len(rows), i + CONTEXT + 1)))
    # A fold of a single paragraph would take as much room as the paragraph: show it.
    for i in range(1, len(rows) - 1):
        if i not in shown and i - 1 in shown and i + 1 in shown:
            shown.add(i)
    return shown


def _folded(count: int, labels: Labels) -> str:
    return _note(labels.folded.replace("%1", str(count)))


def _note(text: str) -> str:
    return f'<tr><td colspan="2" align="center" style="color: #888; background: #f4f4f4;">⋯ {escape(text)} ⋯</td></tr>'


def _row(old: tuple[Segment, ...] | None, new: tuple[Segment, ...] | None, *, changed: bool) -> str:
    return (f'<tr>{_cell(old, "old", OLD_ROW if changed and old is not None else "")}'
            f'{_cell(new, "new", NEW_ROW if changed and new is not None else "")}</tr>')


def _cell(segments: tuple[Segment, ...] | None, side: str, background: str) -> str:
    style = f' style="background: {background};"' if background else ""
    if segments is None:
        return f'<td width="50%"{style}></td>'
    return f'<td width="50%" valign="top"{style}>{_marked(segments, side)}</td>'


def _marked(segments: tuple[Segment, ...], side: str) -> str:
    out = []
    for segment in segments:
        text = escape(segment.text).replace("\n", "<br/>")
        colour = MARK_COLOURS.get((side, segment.mark))
        out.append(f'<span style="background: {colour};">{text}</span>' if colour else text)
    return "".join(out)
