"""`dayuan-desktop sample` and `dayuan-desktop export`: what the user sees, what lands on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dayuan_desktop.core.visible_text import visible_lines
from tests.core.export.sitekit import MANIFEST_NAME, edit, open_sqlite_store, site_files, snapshot, touched
from tests.helpers import run_cli as run

ROOT = Path(__file__).resolve().parents[3]  # this checkout, not an installed copy of the package

TITLE = "党旗飘扬筑起疫情防控“钢铁长城”"
PAGE = "gsyl/lzgs/4709.html"




@pytest.fixture
def db(tmp_path, capsys) -> list[str]:
    """``--db`` of a SQLite file holding the sample."""
    arg = ["--db", str(tmp_path / "newsroom.sqlite3")]
    code, out, err = run(capsys, *arg, "sample")
    assert code == 0, err
    return arg


def test_sample_loads_once(tmp_path, capsys):
    arg = ["--db", str(tmp_path / "newsroom.sqlite3")]
    code, out, _ = run(capsys, *arg, "sample")
    assert code == 0
    assert out.splitlines() == [f"loaded #4709 {TITLE}", "1 sample article(s) loaded"]
    code, out, _ = run(capsys, *arg, "sample")
    assert code == 0 and out.splitlines() == ["the sample is already in the database"]
    code, out, _ = run(capsys, *arg, "list")
    assert "1–1 of 1 article(s)" in out


def test_export_prints_the_summary_last_and_the_progress_on_stderr(db, tmp_path, capsys):
    site = tmp_path / "site"
    code, out, err = run(capsys, *db, "export", "--out", str(site))
    assert code == 0, err
    files = site_files(site)
    assert {PAGE, "gsyl/lzgs/index.html", "gsyl/index.html", "index.html", "rss.xml", "sitemap.xml",
            "static/portal.css"} <= set(files)
    assert [path for path in files if path.startswith("uploads/") and path.endswith(".jpg")]
    assert out.splitlines() == [f"{len(files)} written, 0 unchanged, 0 removed"]
    assert f"{len(files)}/{len(files)}" in err and "[" + "#" * 30 + "]" in err  # the bar, on stderr
    assert TITLE in visible_lines(files[PAGE].decode())

    code, out, _ = run(capsys, *db, "export", "--out", str(site))
    assert code == 0 and out.splitlines() == [f"0 written, {len(files)} unchanged, 0 removed"]

    code, out, err = run(capsys, *db, "export", "--out", str(site), "--quiet")
    assert code == 0 and err == "" and out.splitlines()[-1] == f"0 written, {len(files)} unchanged, 0 removed"


def test_export_lists_the_redirect_of_a_renumbered_article(db, tmp_path, capsys):
    site = tmp_path / "site"
    run(capsys, *db, "export", "--out", str(site), "--quiet")
    code, out, err = run(capsys, *db, "renumber", "4709", "none")
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert err.startswith("dayuan-desktop: error: the number of a published article cannot be cleared")
    code, _, err = run(capsys, *db, "renumber", "4709", "48oo")
    assert code == 2 and "whole number or 'none'" in err and len(err.splitlines()) == 1
    code, out, _ = run(capsys, *db, "renumber", "4709", "4800")
    assert code == 0 and out == f"renumbered: 4709 -> 4800 {TITLE}\n"
    code, out, _ = run(capsys, *db, "export", "--out", str(site), "--quiet")
    lines = out.splitlines()
    assert code == 0 and lines[0] == f"redirect: {PAGE} -> gsyl/lzgs/4800.html"
    assert lines[-1].endswith(" unchanged, 0 removed, 1 redirect(s)")
    assert 'url=4800.html"' in (site / PAGE).read_text(encoding="utf-8")
    code, _, err = run(capsys, *db, "show", "4709")
    assert code == 1 and err.strip().endswith("(article 4709 was renumbered: it is now 4800)")


def test_export_counts_removed_pages(db, tmp_path, capsys):
    site = tmp_path / "site"
    run(capsys, *db, "export", "--out", str(site), "--quiet")
    assert run(capsys, *db, "trash", "4709")[0] == 0
    code, out, _ = run(capsys, *db, "export", "--out", str(site), "--quiet")
    # the page, both channel lists and the photo's rendition go; home, rss and sitemap are rewritten
    assert code == 0 and out.splitlines()[-1].endswith(" unchanged, 4 removed")
    assert out.splitlines()[-1].startswith("3 written, ")
    assert not (site / PAGE).exists()


def test_export_of_one_article_leaves_the_lists_alone(db, tmp_path, capsys):
    site = tmp_path / "site"
    run(capsys, *db, "export", "--out", str(site), "--quiet")
    store = open_sqlite_store(tmp_path / "newsroom.sqlite3")
    edit(store, 4709, title="只改这一篇的标题")
    store.db.dispose()
    before = snapshot(site)
    code, out, err = run(capsys, *db, "export", "--out", str(site), "--article", "4709", "--quiet")
    assert code == 0, err
    line = out.splitlines()[-1]
    assert line.startswith("1 written, ") and line.endswith(" unchanged, 0 removed")
    assert touched(before, snapshot(site)) == {PAGE, MANIFEST_NAME}
    assert "只改这一篇的标题" in visible_lines((site / PAGE).read_text(encoding="utf-8"))
    assert TITLE in (site / "gsyl/lzgs/index.html").read_text(encoding="utf-8")


def test_export_of_an_unknown_article_is_a_one_line_error(db, tmp_path, capsys):
    site = tmp_path / "site"
    code, out, err = run(capsys, *db, "export", "--out", str(site), "--article", "999")
    assert code == 1 and out == ""
    assert err == "dayuan-desktop: error: no published article numbered 999\n"
    assert site_files(site) == {}


def test_real_process_keeps_stdout_to_the_summary(db, tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "dayuan_desktop", *db, "export", "--out", str(site)],
        capture_output=True, text=True, timeout=120, cwd=Path(tmp_path), env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    count = len(site_files(site))
    assert result.stdout == f"{count} written, 0 unchanged, 0 removed\n"
    assert f"] {count}/{count}" in result.stderr
