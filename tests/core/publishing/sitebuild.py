"""A small real portal site for the publishing tests: a store, its export, and readers of folders."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dayuan_desktop.core.store import Store
from tests.core.export.sitekit import (
    add_photo,
    backdate,
    edit,
    export,
    open_sqlite_store,
    publish,
    site_files,
)

CHANNELS = {"gsyl": "公示要览", "gsyl/lzgs": "理政公示", "news": "新闻"}
LAYOUT = {101: "gsyl/lzgs", 102: "news", 103: "gsyl/lzgs", 104: "gsyl", 105: "news"}
PHOTO_REF = re.compile(r'(?:src|href)="((?:\.\./)*uploads/[^"]+)"')


@dataclass
class Site:
    """The store and the folder its site is exported to."""

    store: Store
    out: Path

    def export(self) -> None:
        report = export(self.store, self.out)
        assert not report.warnings

    def edit(self, number: int, **changes) -> None:
        edit(self.store, number, **changes)
        self.export()

    def files(self) -> dict[str, bytes]:
        """The site's files (not the manifest), path → bytes."""
        return site_files(self.out)


def build_site(db_folder: Path, out: Path) -> Site:
    """Five articles in three channels, two with real photos, exported."""
    store = open_sqlite_store(db_folder / "newsroom.sqlite3")
    for path, name in CHANNELS.items():
        store.create_channel(path, name)
    big = add_photo(store, 1600, 1000, caption="防控人员在道路卡口逐一查验过往车辆", photographer="马向英")
    small = add_photo(store, 800, 600, color=(30, 120, 60), caption="社区志愿者为居民测温", photographer="李明")
    photos = {101: (big,), 104: (small,)}
    for number, channel in LAYOUT.items():
        publish(store, number, channel, hour=number - 100, photos=photos.get(number, ()), summary=f"摘要{number}")
    backdate(store)
    site = Site(store, out)
    site.export()
    return site


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path → bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def photo_references(page: str, html: str) -> set[str]:
    """The site paths of the uploads a page points at."""
    base = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    found = set()
    for ref in PHOTO_REF.findall(html):
        parts = (base + ref).split("/")
        resolved: list[str] = []
        for part in parts:
            if part == "..":
                resolved.pop()
            elif part:
                resolved.append(part)
        found.add("/".join(resolved))
    return found
