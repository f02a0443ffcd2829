"""``dayuan-desktop import FILE.zip``: a laptop's package merged into the newsroom by the sync rules
(SQLite laptop → package → newsroom on SQLite and on a real PostgreSQL server); a second import
changes nothing; a hostile package is one line and leaves the database exactly as it was."""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import select

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.models import Article, Base
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.sync.engine import sync_stores
from dayuan_desktop.core.sync.scope import SyncScope
from tests.core.packages.packagekit import manifest_for, rebuild
from tests.helpers import jpeg_bytes
from tests.helpers import run_cli as run

BODY = "第一段：县城的早晨。\n\n第二段：集市开张。\n\n第三段：记者手记。\n"


def open_store(target: str, user: str) -> Store:
    store = Store(open_database(target), user_name=user)
    store.ensure_search_index()
    return store


def edit(store: Store, uuid: str, **changes) -> None:
    article = store.get_article(uuid)
    store.update_article(article.id, changes, expected_version=article.version)


def dump(target: str) -> str:
    """Every row of every table, in a stable order: equal dumps mean an unchanged database."""
    database = open_database(target)
    try:
        with database.session() as session:
            rows = {
                table.name: sorted(repr(tuple(row)) for row in session.execute(table.select()))
                for table in Base.metadata.sorted_tables
            }
    finally:
        database.dispose()
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def _field_trip(tmp_path: Path, newsroom_url: str) -> tuple[Path, dict[str, str]]:
    """The laptop syncs two assigned drafts, goes offline, edits both, writes a new one, and packages."""
    news = open_store(newsroom_url, "editor")
    apart = news.create_article(title="分段改", author="记者 zhang", body=BODY)
    same = news.create_article(title="同段改", author="记者 zhang", body=BODY)
    laptop_path = tmp_path / "laptop.sqlite3"
    laptop = open_store(str(laptop_path), "zhang")
    sync_stores(laptop, news, scope=SyncScope(user="zhang"))
    edit(laptop, apart.uuid, body=BODY.replace("集市开张", "本机改的集市"))
    edit(laptop, same.uuid, body=BODY.replace("集市开张", "本机的改法"))
    new = laptop.create_article(title="县城新稿", author="记者 zhang", body="野外写的。\n")
    photo = laptop.photos.add_photo(jpeg_bytes(), format="JPEG", width=1200, height=800, caption="集市。")
    laptop.photos.set_article_photos(new.id, [photo.sha256])
    edit(news, apart.uuid, body=BODY.replace("记者手记", "编辑部改的手记"))
    edit(news, same.uuid, body=BODY.replace("集市开张", "编辑部的改法"))
    news.db.dispose()
    laptop.db.dispose()
    return laptop_path, {"apart": apart.uuid, "same": same.uuid, "new": new.uuid}


def test_laptop_package_merges_into_the_newsroom_once(capsys, database_url, tmp_path):
    laptop, ids = _field_trip(tmp_path, database_url)
    package = tmp_path / "field.zip"
    code, _, err = run(capsys, "--db", str(laptop), "package", "--out", str(package), "--quiet")
    assert code == 0, err
    code, out, err = run(capsys, "--db", database_url, "import", str(package))
    assert code == 0, err
    assert out.splitlines()[-1] == "0 sent, 1 received, 1 merged, 1 conflicts"
    news = open_store(database_url, "editor")
    try:
        merged = news.get_article(ids["apart"]).body
        assert "本机改的集市" in merged and "编辑部改的手记" in merged  # different paragraphs: both edits
        assert len(news.get_article(ids["new"]).photos) == 1
        with news.db.session() as session:
            copies = session.scalars(select(Article.uuid).where(Article.conflict_of == ids["same"])).all()
        assert len(copies) == 1
        # The newsroom's version stays in place; the laptop's is the copy: nothing lost.
        assert "编辑部的改法" in news.get_article(ids["same"]).body
        assert "本机的改法" in news.get_article(copies[0]).body
    finally:
        news.db.dispose()
    before = dump(database_url)
    code, out, _ = run(capsys, "--db", database_url, "import", str(package))
    assert code == 0 and out.splitlines()[-1] == "0 sent, 0 received, 0 merged, 0 conflicts"
    assert dump(database_url) == before


def _hostile(good: Path, tmp_path: Path) -> dict[str, Path]:
    files = {name for name in zipfile.ZipFile(good).namelist()}
    photo = next(name for name in sorted(files) if name.startswith("photos/"))
    ninjs = next(name for name in sorted(files) if name.endswith(".json") and name.startswith("articles/"))

    def escape(entries):
        entries["../../outside.txt"] = b"owned"

    def bad_photo(entries):
        entries[photo] = jpeg_bytes(color=(0, 0, 255))

    def bad_schema(entries):
        document = json.loads(entries[ninjs])
        document["uri"] = 42
        entries[ninjs] = json.dumps(document).encode()

    def newer(entries, base):
        return json.dumps({**json.loads(manifest_for(entries, base)), "formatVersion": 99}).encode()

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", b" " * (64 * 2**20))
    return {
        "path leaves its folder": rebuild(good, tmp_path / "escape.zip", escape,
                                          manifest=lambda f, b: json.dumps(b).encode()),
        "do not match the sha256": rebuild(good, tmp_path / "photo.zip", bad_photo,
                                           manifest=lambda f, b: manifest_for(f, b, keep_sha_of=(photo,))),
        ninjs: rebuild(good, tmp_path / "schema.zip", bad_schema),
        "newer Dayuan Desktop": rebuild(good, tmp_path / "newer.zip", lambda entries: None, manifest=newer),
        "manifest.json": bomb,
    }


def test_hostile_packages_are_one_line_and_change_no_database(capsys, database_url, tmp_path):
    laptop, _ = _field_trip(tmp_path, database_url)
    good = tmp_path / "good.zip"
    run(capsys, "--db", str(laptop), "package", "--out", str(good), "--quiet")
    work = Path(tempfile.gettempdir())
    leftovers = set(work.glob("dayuan-import-*"))
    before = dump(database_url)
    (tmp_path / "hostile").mkdir()
    for fragment, package in _hostile(good, tmp_path / "hostile").items():
        code, out, err = run(capsys, "--db", database_url, "import", str(package))
        lines = err.strip().splitlines()
        assert code == 1 and lines[-1].startswith("dayuan-desktop: error: ") and fragment in lines[-1], err
        assert "0 received" not in out
        assert dump(database_url) == before, package.name
    assert set(work.glob("dayuan-import-*")) == leftovers  # temporary folders removed every time
    assert not (tmp_path.parent / "outside.txt").exists()


def test_a_package_is_imported_alone_and_not_into_its_own_database(capsys, tmp_path):
    laptop, _ = _field_trip(tmp_path, str(tmp_path / "news.sqlite3"))
    package = tmp_path / "mine.zip"
    run(capsys, "--db", str(laptop), "package", "--out", str(package), "--quiet")
    before = dump(str(laptop))
    code, _, err = run(capsys, "--db", str(laptop), "import", str(package))
    assert code == 1 and "mine.zip was made from this database: there is nothing to import" in err
    note = tmp_path / "note.md"
    note.write_text("---\ntitle: 稿\n---\n正文\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(laptop), "import", str(package), str(note))
    assert code == 2 and "a package (.zip) is imported alone" in err
    assert dump(str(laptop)) == before

