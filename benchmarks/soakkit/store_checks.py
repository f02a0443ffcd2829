"""What a database holds after a run: attached photos, and articles whose body and photos disagree."""

from __future__ import annotations

import re
from pathlib import Path

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.store import Store

_PHOTO_REF = re.compile(r"photo:([0-9a-f]{64})")


def _store(target: str | Path) -> Store:
    return Store(open_database(target, upgrade=False), user_name="soak")


def photos_of(target: str | Path, number: int) -> list[str]:
    """The sha256 of every photo attached to the article with this number."""
    store = _store(target)
    try:
        return [link.photo.sha256 for link in store.find_article(str(number)).photos]
    finally:
        store.db.dispose()


def half_done_articles(target: str | Path) -> list[str]:
    """Articles whose body refers to a photo not attached, or with an attached photo the body
    does not show: what a command stopped between two commits leaves behind."""
    store = _store(target)
    found = []
    try:
        for article in store.all_articles(include_trashed=True):
            in_body = set(_PHOTO_REF.findall(article.body))
            attached = {link.photo.sha256 for link in article.photos}
            if in_body != attached:
                found.append(f"#{article.number}: {len(in_body - attached)} in the body not attached, "
                             f"{len(attached - in_body)} attached not in the body")
    finally:
        store.db.dispose()
    return found
