"""Builders for the package tests: a newsroom with articles and photos, and hostile zips made from real packages."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from dayuan_desktop.core.packages.writing import articles_to_package, write_package
from dayuan_desktop.core.store import Store
from tests.helpers import jpeg_bytes, png_bytes

SCHEMA_PATH = Path(__file__).parents[2] / "data" / "ninjs-3.3.schema.json"


def fill_newsroom(store: Store) -> dict[str, str]:
    """Three articles (published with a number, a numberless draft, a trashed one); one photo shared by two.

    Returns the articles' uuids by role ("published", "draft", "trashed") and the photos' sha256s.
    """
    store.create_channel("gsyl/lzgs", "本地新闻")
    shared = store.photos.add_photo(jpeg_bytes(), format="JPEG", width=1200, height=800,
                                    caption="图为防控人员在卡口查验车辆。", photographer="马向英",
                                    credit="大院网", copyright="© 大院网")
    graphic = store.photos.add_photo(png_bytes(), format="PNG", width=640, height=480, caption="示意图。")
    published = store.create_article(
        title="党旗飘扬筑起疫情防控“钢铁长城”", subtitle="平城区在行动", author="网络编辑", source="大同",
        summary="平城区一手抓防控管理体系的构建。", status="published", number=4709, channel_path="gsyl/lzgs",
        tags=["防控", "疫情"], published_at=datetime(2022, 12, 13, 6, 46, 28, tzinfo=UTC),
        body=f"![图为防控人员在卡口查验车辆。](photo:{shared.sha256})\n\n亮身份、扬旗帜。\n\n## 小标题\n\n第二段。\n",
    )
    store.photos.set_article_photos(published.id, [shared.sha256])
    draft = store.create_article(title="县城来稿", author="记者", source="灵丘", body="第一段。\n\n第二段。\n")
    store.photos.set_article_photos(draft.id, [graphic.sha256, shared.sha256], lead=shared.sha256)
    store.update_article(draft.id, {"summary": "改过一次。"}, expected_version=1)
    trashed = store.create_article(title="撤下的稿子", body="不要了。")
    store.trash_article(trashed.id)
    return {"published": published.uuid, "draft": draft.uuid, "trashed": trashed.uuid,
            "shared": shared.sha256, "graphic": graphic.sha256}


def make_package(store: Store, out: Path) -> Path:
    """A package of every article of ``store``."""
    write_package(store, out, articles_to_package(store))
    return out


def entries(path: Path) -> dict[str, bytes]:
    """A zip's entries by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_for(files: dict[str, bytes], base: dict, *, keep_sha_of: tuple[str, ...] = ()) -> bytes:
    """``base`` (a manifest) with each file's size and sha256 as they are now (except those named, whose sha stays)."""
    old = {item["path"]: item for item in base["files"]}
    listed = []
    for name, data in files.items():
        if name == "manifest.json":
            continue
        sha = old[name]["sha256"] if name in keep_sha_of else hashlib.sha256(data).hexdigest()
        listed.append({"path": name, "sha256": sha, "size": len(data)})
    return json.dumps({**base, "files": listed}).encode()


def rebuild(source: Path, target: Path, change: Callable[[dict[str, bytes]], None], *,
            manifest: Callable[[dict[str, bytes], dict], bytes] | None = None) -> Path:
    """A copy of the package ``source`` whose entries ``change`` edited; the manifest re-listed unless given."""
    files = entries(source)
    base = json.loads(files["manifest.json"])
    change(files)
    files["manifest.json"] = (manifest or (lambda f, b: manifest_for(f, b)))(files, base)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return target


def tree(folder: Path, *, skip: Path | None = None) -> set[str]:
    """Every path below ``folder`` (except below ``skip``), relative."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if skip is None or skip not in (p, *p.parents)}
