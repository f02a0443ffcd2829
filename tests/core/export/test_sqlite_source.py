"""The export's own SQLite reader (core.export.sqlite_source) gives the renderer exactly what the
store gives it: one database exported both ways is the same site, file for file and byte for byte."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from dayuan_desktop.core.errors import DatabaseError, ValidationError
from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.export.manifest import MANIFEST_NAME
from dayuan_desktop.core.export.sqlite_source import SqliteSource
from dayuan_desktop.core.site import load_site_settings, save_site_settings
from dayuan_desktop.core.store import Store
from tests.core.export.sitekit import SMALL_SITE, add_photo, edit, open_sqlite_store, publish, site_files
from tests.helpers import png_bytes

ROOT = Path(__file__).resolve().parents[3]
SITE = replace(SMALL_SITE, site_name="测试门户", base_url="https://news.example.cn", rendition_width=640,
               copyright_lines=("第一行声明", "第二行声明"))


def _newsroom(store: Store) -> None:
    """Everything the export reads: nested channels, tags, captioned JPEG and PNG photos (a lead
    that is not first), a table only python-markdown renders, a renumbered and a moved article (redirects),
    a draft, a trashed article, and stored site settings."""
    store.create_channel("gsyl", "公示")
    store.create_channel("gsyl/lzgs", "理政公示")
    store.create_channel("news", "新闻")
    store.create_channel("empty", "空栏目")
    jpeg = add_photo(store, 1000, 700, caption="党旗飘扬", photographer="张三")
    png = store.photos.add_photo(png_bytes(500, 400), format="PNG", width=500, height=400, caption="示意图",
                                 credit="本站", copyright="© 大院网", original_name="chart.png")
    publish(store, 4709, "gsyl/lzgs", hour=1, photos=(jpeg, png), summary="摘要一")
    lead = store.find_article("4709")
    store.photos.set_article_photos(lead.id, [jpeg.sha256, png.sha256], lead=png.sha256)
    edit(store, 4709, tags=["民生", "抗疫"])
    publish(store, 4710, "gsyl", hour=2, body="| 项目 | 数量 |\n|:--|--:|\n| 口罩 | 100 |\n\n*强调*与`代码`。\n")
    for number in range(4711, 4719):
        publish(store, number, "news", hour=number - 4700, photos=(jpeg,) if number % 3 == 0 else ())
    _change(store, 4711, number=4800)  # renumbered: a redirect page at the old address
    _change(store, 4712, channel_path="gsyl/lzgs")  # moved: another
    publish(store, 4720, "news", hour=30, status="draft")
    trashed = publish(store, 4721, "news", hour=31)
    store.trash_article(trashed.id)
    save_site_settings(store.db, SITE)


def _change(store: Store, current: int, **changes) -> None:
    article = store.find_article(str(current))
    store.update_article(article.id, changes, expected_version=article.version)


@pytest.fixture
def newsroom(tmp_path) -> Store:
    store = open_sqlite_store(tmp_path / "db" / "newsroom.sqlite3")
    try:
        _newsroom(store)
        yield store
    finally:
        store.db.dispose()


def _reader(store: Store) -> SqliteSource:
    source = SqliteSource.open(store.db.sqlite_path)
    assert source is not None
    return source


def test_the_reader_returns_the_stores_own_rows_and_records(newsroom: Store):
    source = _reader(newsroom)
    try:
        assert source.published_sources() == newsroom.published_sources()
        assert source.list_channels() == newsroom.list_channels()
        assert source.redirects() == newsroom.redirects() and len(source.redirects()) == 2
        assert source.site_settings() == load_site_settings(newsroom.db) == SITE
        with sqlite3.connect(newsroom.db.sqlite_path) as connection:
            every = [row[0] for row in connection.execute("SELECT id FROM articles ORDER BY id DESC")]
        assert len(every) == 12
        mine, theirs = source.get_articles(every), newsroom.get_articles(every)
        assert mine == theirs  # the draft and the trashed article too, times aware, tags and photos in order
        assert [type(link.is_lead) for article in mine for link in article.photos] == [
            type(link.is_lead) for article in theirs for link in article.photos]
        sha = mine[0].photos[0].photo.sha256 if mine[0].photos else theirs[-1].photos[0].photo.sha256
        assert source.photos.photo_bytes(sha) == newsroom.photos.photo_bytes(sha)
    finally:
        source.close()


def _export_both_ways(store: Store, tmp_path: Path, **options) -> tuple[Path, Path, object, object]:
    by_store, by_reader = tmp_path / "by-store", tmp_path / "by-reader"
    cache = tmp_path / "cache"
    first = SiteExporter(store, load_site_settings(store.db), by_store, cache_dir=cache, **options).run()
    source = _reader(store)
    try:
        second = SiteExporter(source, source.site_settings(), by_reader, cache_dir=cache, **options).run()
    finally:
        source.close()
    return by_store, by_reader, first, second


def test_one_database_exported_both_ways_is_the_same_site_byte_for_byte(newsroom: Store, tmp_path):
    by_store, by_reader, first, second = _export_both_ways(newsroom, tmp_path, workers=1)
    files = site_files(by_store)
    assert files == site_files(by_reader)
    assert any(path.endswith(".png") for path in files) and any(path.endswith(".jpg") for path in files)
    assert {"gsyl/lzgs/4711.html", "news/4711.html", "news/4712.html"} & set(files)  # the redirect pages
    assert b"\xe6\xb5\x8b\xe8\xaf\x95\xe9\x97\xa8\xe6\x88\xb7" in files["index.html"]  # 测试门户: the stored settings
    assert "news/4720.html" not in files and "news/4721.html" not in files  # draft, trashed
    # (The second run links the renditions the first one made and cached: they are written in another order.)
    assert (sorted(first.written), first.warnings, first.checks, first.redirects) == (
        sorted(second.written), second.warnings, second.checks, second.redirects)
    assert len(first.written) == len(files) and first.redirects and first.checks
    manifests = [json.loads((folder / MANIFEST_NAME).read_text()) for folder in (by_store, by_reader)]
    assert manifests[0]["files"] == manifests[1]["files"]  # the same keys: either way sees the other's files current


def test_the_page_worker_reads_with_the_sqlite_reader_too(newsroom: Store, tmp_path):
    by_store, by_reader, _first, second = _export_both_ways(
        newsroom, tmp_path, workers=2, page_worker=True, parallel_pages_from=1)
    assert second.pages_by_worker > 0 and not any("page worker" in line for line in second.warnings)
    assert site_files(by_store) == site_files(by_reader)


def test_only_a_current_sqlite_file_is_read_this_way(newsroom: Store, tmp_path):
    path = newsroom.db.sqlite_path
    assert SqliteSource.open(tmp_path / "missing.sqlite3") is None and not (tmp_path / "missing.sqlite3").exists()
    assert SqliteSource.open(f"sqlite:///{path}") is None  # a URL: the usual way
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database at all" * 100)
    assert SqliteSource.open(tmp_path / "junk.sqlite3") is None
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE app_meta SET value = 'old' WHERE key = 'search_format'")
    assert SqliteSource.open(path) is None  # the usual way rebuilds the index first


def test_a_file_upgraded_or_changed_under_the_export_is_refused_not_misread(newsroom: Store):
    source = _reader(newsroom)
    try:
        with sqlite3.connect(newsroom.db.sqlite_path) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '9999'")
        with pytest.raises(DatabaseError, match="changed its schema"):
            source.published_sources()
    finally:
        source.close()


def test_the_export_command_reads_a_current_file_without_sqlalchemy_and_falls_back_otherwise(tmp_path):
    from dayuan_desktop.cli import main

    database, home = tmp_path / "newsroom.sqlite3", tmp_path / "home"
    common = ["--data-dir", str(home), "--db", str(database)]
    assert main([*common, "sample"]) == 0
    child = (
        "import sys\nfrom dayuan_desktop.cli import main\ncode = main(sys.argv[1:])\n"
        "print('SQLALCHEMY' if 'sqlalchemy' in sys.modules else 'NO-SQLALCHEMY', file=sys.stderr)\nsys.exit(code)\n"
    )

    def run(out: Path) -> tuple[str, bytes]:
        done = subprocess.run([sys.executable, "-c", child, *common, "export", "--out", str(out), "--quiet"],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        return done.stderr.decode().strip().splitlines()[-1], (out / "gsyl" / "lzgs" / "4709.html").read_bytes()

    quick, page = run(tmp_path / "a")
    assert quick == "NO-SQLALCHEMY"
    with sqlite3.connect(database) as connection:  # not current any more: the usual way rebuilds the index
        connection.execute("UPDATE app_meta SET value = 'old' WHERE key = 'search_format'")
    usual, same_page = run(tmp_path / "b")
    assert usual == "SQLALCHEMY" and same_page == page


def test_stored_site_settings_that_break_the_rules_are_refused_as_the_store_refuses_them(newsroom: Store):
    with sqlite3.connect(newsroom.db.sqlite_path) as connection:
        connection.execute("UPDATE app_meta SET value = ? WHERE key = 'site_settings'",
                           (json.dumps({"list_page_size": "many"}),))
    source = _reader(newsroom)
    try:
        with pytest.raises(ValidationError, match="list_page_size") as by_reader:
            source.site_settings()
        with pytest.raises(ValidationError) as by_store:
            load_site_settings(newsroom.db)
        assert str(by_reader.value) == str(by_store.value)
    finally:
        source.close()


def test_a_damaged_file_that_claims_to_be_current_fails_with_one_line_and_writes_nothing(tmp_path, capsys):
    from dayuan_desktop.cli import main

    database, home, out = tmp_path / "newsroom.sqlite3", tmp_path / "home", tmp_path / "site"
    common = ["--data-dir", str(home), "--db", str(database)]
    assert main([*common, "sample"]) == 0
    with sqlite3.connect(database) as connection:  # markers say current, a table the export reads is gone
        connection.execute("ALTER TABLE article_redirects RENAME TO something_else")
    capsys.readouterr()
    assert main([*common, "export", "--out", str(out), "--quiet"]) == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and "no such table: article_redirects" in errors[0], errors
    assert not [path for path in out.rglob("*") if path.suffix in (".html", ".xml", ".jpg")]
