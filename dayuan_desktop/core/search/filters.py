"""The restrictions a search applies besides its text (channel, status, trash, conflict copies), as SQL
shared by the SQLite plans and the PostgreSQL query."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchFilter:
    """Optional restrictions applied together with the text query."""

    channel_id: int | None = None
    status: str | None = None
    include_trashed: bool = False
    conflicts_only: bool = False  # only the conflict copies sync or an import left (``articles.conflict_of``)


def filter_sql(filters: SearchFilter, params: dict) -> str:
    """The filters as `` AND …`` clauses on ``articles a`` (their values go into ``params``)."""
    clauses = []
    if not filters.include_trashed:
        clauses.append("a.deleted_at IS NULL")
    if filters.channel_id is not None:
        clauses.append("a.channel_id = :channel_id")
        params["channel_id"] = filters.channel_id
    if filters.status is not None:
        clauses.append("a.status = :status")
        params["status"] = filters.status
    if filters.conflicts_only:
        clauses.append("a.conflict_of IS NOT NULL")
    return "".join(f" AND {clause}" for clause in clauses)


def chunks(values: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    """``values`` in slices of at most ``size`` (statements stay a bounded size)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
