"""Opening the newsroom's database for the window: everything the first screen needs, at once.

The window calls :func:`open_workspace` on a worker thread right after its first paint, so
a schema check or a first-run sample import never freezes it; a search-index rebuild (a
format upgrade) is only begun here and runs in steps afterwards (``index_pending``).
"""

from __future__ import annotations

from dataclasses import dataclass

from dayuan_desktop.core.config import Settings
from dayuan_desktop.core.live import ChangeMarker, change_marker
from dayuan_desktop.core.records import ChannelRecord
from dayuan_desktop.core.site import SiteSettings, load_site_settings
from dayuan_desktop.core.store import Store


@dataclass(frozen=True)
class Workspace:
    """An open store and what the window shows first."""

    store: Store
    site: SiteSettings
    channels: tuple[ChannelRecord, ...]
    tags: tuple[str, ...]
    first_run_article_id: int | None  # the sample article loaded into an empty database, if any
    index_rebuilt: bool
    # SQLite: the index was out of date and is being rebuilt in steps (core.search.background):
    # the window runs build_in_steps on a worker; searches scan the articles until it is done.
    index_pending: bool = False
    # Read before the channels and the list: a change made after it shows at the window's first poll
    # (a colleague's channel created while the window opens is not taken as the starting state).
    marker: ChangeMarker | None = None


def open_workspace(settings: Settings, target: str, *, load_sample: bool = True) -> Workspace:
    """Open (and if needed upgrade) the database at ``target``; on a first run load the sample."""
    from dayuan_desktop.core.db import open_database
    from dayuan_desktop.core.sample import load_sample_if_empty
    from dayuan_desktop.core.search.background import start_build

    database = open_database(target, backup_dir=settings.backup_dir)
    try:
        store = Store(database, user_name=settings.user_name)
        pending = start_build(database, store.search_index)
        rebuilt = False if pending else store.ensure_search_index()
        sample = load_sample_if_empty(store) if load_sample else []
        marker = change_marker(database)
        return Workspace(
            store=store,
            site=load_site_settings(database),
            channels=tuple(store.list_channels()),
            tags=tuple(store.tag_names()),
            first_run_article_id=sample[0].id if sample else None,
            index_rebuilt=rebuilt,
            index_pending=pending,
            marker=marker,
        )
    except BaseException:
        database.dispose()
        raise
