"""``dayuan-desktop channels``: rename, set-path (asks for --yes when addresses change), move, reorder,
and the exported site: names on the home page, a redirect page at the old address."""

from __future__ import annotations

import re
from pathlib import Path

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.store import Store
from tests.helpers import run_cli as run


def _newsroom(tmp_path: Path) -> list[str]:
    """A SQLite newsroom with an imported-looking channel (slug as name) and one published article."""
    db = tmp_path / "newsroom.sqlite3"
    store = Store(open_database(db, backup_dir=tmp_path / "backups"), user_name="tester")
    store.ensure_search_index()
    store.create_channel("wlty/jqhd")  # as an import creates it: the names are the slugs
    store.create_article(title="元宵灯会开幕", body="正文", channel_path="wlty/jqhd", number=4709, status="published")
    store.db.dispose()
    return ["--db", str(db)]


def test_rename_then_export_shows_the_names(capsys, tmp_path):
    db = _newsroom(tmp_path)
    assert run(capsys, *db, "channels", "--rename", "wlty", "文旅体育") == (0, "channel wlty (文旅体育)\n", "")
    assert run(capsys, *db, "channels", "--rename", "wlty/jqhd", "节庆活动")[0] == 0
    code, out, _ = run(capsys, *db, "channels")
    assert code == 0 and re.search(r"wlty\s+文旅体育\nwlty/jqhd\s+节庆活动", out)
    assert run(capsys, *db, "export", "--out", str(tmp_path / "site"), "--quiet")[0] == 0
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert ">文旅体育</a>" in home and ">wlty</a>" not in home
    assert "<h1 class=\"channel-title\">节庆活动</h1>" in (tmp_path / "site/wlty/jqhd/index.html").read_text("utf-8")


def test_set_path_asks_for_yes_then_old_url_redirects_after_export(capsys, tmp_path):
    db = _newsroom(tmp_path)
    site = tmp_path / "site"
    run(capsys, *db, "export", "--out", str(site), "--quiet")
    assert (site / "wlty/jqhd/4709.html").is_file()

    code, out, err = run(capsys, *db, "channels", "--set-path", "wlty", "wenlv")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "changes the address of 1 published article(s)" in err and "--yes" in err
    assert "wenlv" not in run(capsys, *db, "channels")[1]  # nothing changed

    code, out, _ = run(capsys, *db, "channels", "--set-path", "wlty", "wenlv", "--yes")
    assert code == 0 and out.endswith("channel wenlv (wlty)\n") and "1 published article(s) moved" in out
    assert run(capsys, *db, "export", "--out", str(site), "--quiet")[0] == 0
    assert "元宵灯会开幕" in (site / "wenlv/jqhd/4709.html").read_text("utf-8")
    redirect = (site / "wlty/jqhd/4709.html").read_text("utf-8")
    assert 'http-equiv="refresh" content="0; url=../../wenlv/jqhd/4709.html"' in redirect


def test_move_and_reorder(capsys, tmp_path):
    db = _newsroom(tmp_path)
    run(capsys, *db, "channels", "--add", "news", "--name", "新闻")
    code, _, err = run(capsys, *db, "channels", "--move", "wlty/jqhd", "news")
    assert code == 2 and "--yes" in err
    assert run(capsys, *db, "channels", "--move", "wlty/jqhd", "news", "--yes")[0] == 0
    assert run(capsys, *db, "channels", "--move", "news/jqhd", "/", "--yes")[1].endswith("channel jqhd (jqhd)\n")
    code, _, err = run(capsys, *db, "channels", "--move", "news", "news")
    assert code == 1 and "cannot be moved under itself" in err
    assert run(capsys, *db, "channels", "--down", "jqhd")[0] == 0
    code, _, err = run(capsys, *db, "channels", "--up", "nowhere")
    assert code == 1 and "no channel with path 'nowhere'" in err
