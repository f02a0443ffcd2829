"""core.quick_export: an export with nothing to do is told without the database layer, and never
hides a change — each input of the output, changed, makes the usual export run and write it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from dayuan_desktop.core import quick_export
from dayuan_desktop.core.export import output as export_output
from dayuan_desktop.core.markers import EXPORT_INPUTS_KEY
from dayuan_desktop.core.quick_export import MANIFEST_NAME, RECORD_KEY, nothing_to_do
from dayuan_desktop.core.resources import portal_template_dir
from dayuan_desktop.core.site import load_site_settings, save_site_settings
from tests.core.export.sitekit import add_photo, edit, open_sqlite_store, publish, raw_sql, set_photo_caption
from tests.helpers import run_cli


class Newsroom:
    """A SQLite file with published articles (one with a photo), a redirect and an article the export
    warns about, exported once through the command line into ``site``."""

    def __init__(self, tmp_path: Path, capsys) -> None:
        self.tmp, self.capsys = tmp_path, capsys
        self.database, self.site = tmp_path / "newsroom.sqlite3", tmp_path / "site"
        store = open_sqlite_store(self.database)
        try:
            store.create_channel("news", "新闻")
            self.photo = add_photo(store, 640, 480, caption="旧图说")
            publish(store, 101, "news", hour=1, photos=(self.photo,))
            publish(store, 102, "news", hour=2)
            store.create_article(title="没有栏目的稿件", status="published", number=103, body="正文")
        finally:
            store.db.dispose()
        assert self.cli("renumber", "102", "202")[0] == 0
        self.templates: Path | None = None

    def cli(self, *argv: str) -> tuple[int, str, str]:
        return run_cli(self.capsys, "--data-dir", str(self.tmp / "home"), "--db", str(self.database), *argv)

    def export(self, out: Path | None = None) -> tuple[int, str, str]:
        extra = ("--templates", str(self.templates)) if self.templates else ()
        return self.cli("export", "--out", str(out or self.site), "--quiet", *extra)

    def quick(self, out: Path | None = None) -> quick_export.NothingToDo | None:
        return nothing_to_do(str(self.database), out or self.site, self.templates)

    def store(self):
        return open_sqlite_store(self.database)

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


@pytest.fixture
def room(tmp_path: Path, capsys) -> Newsroom:
    newsroom = Newsroom(tmp_path, capsys)
    code, out, _err = newsroom.export()
    assert code == 0 and out.splitlines()[-1].startswith(tuple(f"{n} written" for n in range(1, 100)))
    return newsroom


def _without_record(site: Path) -> None:
    data = json.loads((site / MANIFEST_NAME).read_bytes())
    data.pop(RECORD_KEY)
    (site / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")


def test_nothing_to_do_prints_what_the_usual_export_prints(room: Newsroom):
    _without_record(room.site)  # the usual way plans every file and finds them current
    usual = room.export()
    assert room.quick() is not None  # … and records that it completed
    quick = room.export()
    assert quick == usual
    code, out, err = quick
    files = json.loads((room.site / MANIFEST_NAME).read_bytes())["files"]
    assert code == 0 and out.splitlines()[-1] == f"0 written, {len(files)} unchanged, 0 removed, 1 redirect(s)"
    assert "redirect: news/102.html -> news/202.html" in out
    assert "warning: #103: 未导出：没有栏目" in err  # the article without a channel, said again


def test_an_edited_article_is_exported(room: Newsroom):
    store = room.store()
    try:
        edit(store, 101, title="改过的标题")
    finally:
        store.db.dispose()
    assert room.quick() is None
    assert room.export()[1].splitlines()[-1].startswith(("1 written", "2 written", "3 written", "4 written", "5 written"))
    assert "改过的标题" in room.page("news/101.html")
    assert room.quick() is not None


def test_a_new_photo_caption_is_exported(room: Newsroom):
    store = room.store()
    try:
        set_photo_caption(store, room.photo.sha256, "新图说")
    finally:
        store.db.dispose()
    assert room.quick() is None
    room.export()
    assert "新图说" in room.page("news/101.html")


def test_a_renamed_channel_is_exported(room: Newsroom):
    store = room.store()
    try:
        raw_sql(store, "UPDATE channels SET name = '要闻' WHERE path = 'news'")
    finally:
        store.db.dispose()
    assert room.quick() is None
    room.export()
    assert "要闻" in room.page("index.html")


def test_a_changed_site_setting_is_exported(room: Newsroom):
    store = room.store()
    try:
        save_site_settings(store.db, replace(load_site_settings(store.db), footer_name="新的页脚名称"))
    finally:
        store.db.dispose()
    assert room.quick() is None
    room.export()
    assert "新的页脚名称" in room.page("news/101.html")


def test_a_changed_template_in_the_templates_folder_is_exported(room: Newsroom):
    room.templates = room.tmp / "templates"
    shutil.copytree(portal_template_dir(), room.templates)
    room.export()
    assert room.quick() is not None
    base = room.templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<p>自己的模板</p></body>"), encoding="utf-8")
    assert room.quick() is None
    room.export()
    assert "自己的模板" in room.page("news/101.html")
    room.templates = None  # back to the built-in templates: the export differs again
    assert room.quick() is None
    room.export()
    assert "自己的模板" not in room.page("news/101.html")


def test_a_deleted_or_touched_output_file_is_not_taken_for_nothing_to_do(room: Newsroom):
    (room.site / "news" / "101.html").unlink()
    assert room.quick() is None
    room.export()
    assert "测试文章101号" in room.page("news/101.html")
    assert room.quick() is not None
    page = room.site / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- 手改 -->", encoding="utf-8")
    assert room.quick() is None  # the usual way runs (it goes by the manifest's record of each file)
    assert room.export()[0] == 0
    (room.site / f"{export_output.TEMP_MARK}1-index.html").write_bytes(b"left by a killed export")
    assert room.quick() is None
    room.export()
    assert not list(room.site.glob(f"{export_output.TEMP_MARK}*"))  # cleaned by the usual way


def test_another_output_folder_runs_the_usual_export(room: Newsroom):
    copy = room.tmp / "copy"
    shutil.copytree(room.site, copy)  # the same files (new inodes), manifest and record
    assert room.quick(copy) is None
    assert room.export(copy)[0] == 0
    assert room.quick(copy) is not None and room.quick() is not None


def test_a_database_downgraded_then_upgraded_again_runs_the_usual_export(room: Newsroom):
    from alembic import command

    from dayuan_desktop.core.db import _alembic_config, open_database

    database = open_database(room.database)
    try:
        with database.engine.begin() as connection:
            command.downgrade(_alembic_config(connection), "0009")
    finally:
        database.dispose()
    assert room.quick() is None  # an older schema: the usual way upgrades it
    store = room.store()  # upgraded: a new token, never the recorded one
    store.db.dispose()
    assert room.quick() is None
    room.export()
    assert room.quick() is not None


def test_every_table_the_export_reads_moves_the_marker_and_others_do_not(room: Newsroom):
    connection = sqlite3.connect(room.database, isolation_level=None)
    try:
        def token() -> str:
            return connection.execute("SELECT value FROM app_meta WHERE key = ?", (EXPORT_INPUTS_KEY,)).fetchone()[0]

        writes = [
            "UPDATE articles SET summary = 'x' WHERE number = 101", "UPDATE channels SET name = 'n'",
            "INSERT INTO tags (name) VALUES ('民生')", "DELETE FROM tags WHERE name = '民生'",
            "UPDATE photos SET credit = 'c'", "UPDATE article_photos SET position = position",
            "UPDATE article_redirects SET old_path = old_path", "INSERT INTO app_meta VALUES ('k', 'v')",
        ]
        for statement in writes:
            before = token()
            connection.execute(statement)
            assert token() != before, statement
        before = token()
        connection.execute("UPDATE revisions SET id = id")
        connection.execute("DELETE FROM article_leases")
        assert token() == before
    finally:
        connection.close()


@pytest.mark.parametrize("damage", [
    lambda data: data.update({RECORD_KEY: 5}),
    lambda data: data[RECORD_KEY].update(redirects=7),
    lambda data: data[RECORD_KEY].update(unchanged=1),
    lambda data: data[RECORD_KEY].pop("inputs"),
    lambda data: data.update(files={}),
    lambda data: data.update(format=1),
])
def test_a_damaged_record_runs_the_usual_export(room: Newsroom, damage):
    data = json.loads((room.site / MANIFEST_NAME).read_bytes())
    damage(data)
    (room.site / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")
    assert room.quick() is None
    code, out, _err = room.export()
    assert code == 0 and out.splitlines()[-1].startswith("0 written")


def test_an_unreadable_manifest_or_a_missing_marker_runs_the_usual_export(room: Newsroom):
    (room.site / MANIFEST_NAME).write_bytes(b"{not json")
    assert room.quick() is None
    assert room.export()[0] == 0 and room.quick() is not None
    connection = sqlite3.connect(room.database, isolation_level=None)
    try:
        connection.execute("DROP TRIGGER articles_export_inputs_update")
        assert room.quick() is None  # a marker that could miss a write is not trusted
        connection.execute("DELETE FROM app_meta WHERE key = ?", (EXPORT_INPUTS_KEY,))
    finally:
        connection.close()
    assert room.quick() is None
    assert room.export()[0] == 0
    assert room.quick() is None  # the usual export records nothing it cannot check later


def test_an_export_of_chosen_articles_leaves_no_record_behind(room: Newsroom):
    store = room.store()
    try:
        edit(store, 101, title="只改这一篇")
    finally:
        store.db.dispose()
    assert room.cli("export", "--out", str(room.site), "--quiet", "--article", "101")[0] == 0
    assert room.quick() is None  # the lists still show the old title: the next export must run in full
    room.export()
    assert "只改这一篇" in room.page("news/index.html")
    assert room.quick() is not None


def test_an_unreadable_folder_or_database_gives_no_record_and_no_token(tmp_path: Path):
    assert quick_export.record({}, tmp_path / "gone", [], 0, [], []) is None  # the export still completes
    garbage = tmp_path / "not-a-database.sqlite3"
    garbage.write_bytes(b"\x00" * 4096)
    assert quick_export.database_token(garbage) is None
    assert nothing_to_do(str(garbage), tmp_path, None) is None
