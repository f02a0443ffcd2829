"""One newsroom (the backend under test: SQLite file or real PostgreSQL) and two laptops (SQLite files)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.store import Store


@dataclass
class Newsroom:
    """The newsroom's store and two reporters' laptops."""

    news: Store
    zhang: Store
    li: Store


def open_store(target: str, user: str, tmp_path: Path) -> Store:
    store = Store(open_database(target, backup_dir=tmp_path / "backups"), user_name=user)
    store.ensure_search_index()
    return store


@pytest.fixture
def sites(database_url: str, tmp_path: Path) -> Iterator[Newsroom]:
    stores = Newsroom(
        news=open_store(database_url, "editor", tmp_path),
        zhang=open_store(str(tmp_path / "zhang.sqlite3"), "zhang", tmp_path),
        li=open_store(str(tmp_path / "li.sqlite3"), "li", tmp_path),
    )
    stores.news.create_channel("gsyl/lzgs", "临泽")
    try:
        yield stores
    finally:
        for store in (stores.news, stores.zhang, stores.li):
            store.db.dispose()
