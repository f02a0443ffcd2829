"""Emptying the trash: which articles it holds, and purging them for good.

The window asks first, naming how many articles go; it then purges exactly those (an article
trashed after the question stays, one restored meanwhile is skipped). Each article is purged
in its own transaction, so a stop half-way leaves every article either whole or gone, and the
photos of purged articles stay in the photo library.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dayuan_desktop.core.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from dayuan_desktop.core.store import Store

_PAGE = 1000  # the store's largest page


@dataclass(frozen=True)
class PurgeOutcome:
    """What emptying the trash did: articles purged, and those skipped (restored or gone meanwhile)."""

    purged: int
    skipped: int


def trashed_ids(store: Store) -> list[int]:
    """Every article in the trash, most recently changed first."""
    from dayuan_desktop.core.store import ArticleQuery

    ids: list[int] = []
    while True:
        page = store.list_articles(ArticleQuery(trashed=True, offset=len(ids), limit=_PAGE))
        ids.extend(item.id for item in page.items)
        if not page.items or len(ids) >= page.total:
            return ids


def purge_trashed(
    store: Store,
    article_ids: Sequence[int],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> PurgeOutcome:
    """Delete these trashed articles for good (with their revisions; their photos stay).

    An article no longer in the trash (restored by a colleague) or already purged is skipped,
    never deleted. ``progress(done, total)`` follows each article; ``cancelled()`` stops between two.
    """
    purged = skipped = 0
    total = len(article_ids)
    for done, article_id in enumerate(article_ids, start=1):
        if cancelled is not None and cancelled():
            break
        try:
            store.purge_article(article_id)
            purged += 1
        except (NotFoundError, ValidationError):
            skipped += 1
        if progress is not None:
            progress(done, total)
    return PurgeOutcome(purged, skipped)
