"""The sample content (article 4709 of the live portal) for first runs and demos."""

from __future__ import annotations

from pathlib import Path

import yaml

from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.interchange.markdown_files import import_markdown_file
from dayuan_desktop.core.records import ArticleRecord
from dayuan_desktop.core.resources import sample_dir
from dayuan_desktop.core.store import Store


def load_sample(store: Store, folder: Path | None = None) -> list[ArticleRecord]:
    """Create the sample channels and import the sample articles not yet in the database."""
    folder = Path(folder or sample_dir())
    channels = yaml.safe_load((folder / "channels.yaml").read_text(encoding="utf-8")) or {}
    for path, name in sorted(channels.items()):
        store.create_channel(path, name)
    files = sorted(folder.glob("*.md"))
    if not files:  # an installation missing its sample, not a sample already loaded
        raise DayuanError(f"the sample content is missing: no article in {folder}")
    existing = {article.uuid for article in store.all_articles(include_trashed=True)}
    loaded = []
    for file in files:
        if _front_matter_uuid(file) in existing:
            continue
        outcome = import_markdown_file(store, file, create_channels=True)
        if not outcome.ok:
            raise DayuanError(f"sample content is broken: {outcome.error}")
        loaded.append(outcome.article)
    return loaded


def load_sample_if_empty(store: Store) -> list[ArticleRecord]:
    """On a first run (no article at all) load the sample; otherwise do nothing."""
    if store.count_articles():
        return []
    return load_sample(store)


def _front_matter_uuid(file: Path) -> str | None:
    text = file.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return None
    meta = yaml.safe_load(text[4 : text.find("\n---", 4)]) or {}
    return str(meta.get("uuid")) if meta.get("uuid") else None


def open_sample_store(folder: Path) -> Store:
    """A fresh SQLite database in ``folder`` holding the sample articles (for screenshots and demos)."""
    from dayuan_desktop.core.db import open_database

    store = Store(open_database(folder / "sample.sqlite3", backup_dir=folder / "backups"))
    load_sample(store)
    return store
