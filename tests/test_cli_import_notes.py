"""Import names the raw HTML of a body that the page will not show (issue 15, item 10)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_cli, write_markdown

HOSTILE = "第一段。<style>body{display:none}\n\n第二段。\n\n<font color=red>第三段。</font>\n\n第四段。\n"


def test_import_prints_a_note_per_dropped_piece_and_the_page_keeps_the_text(capsys, tmp_path: Path):
    database = ["--db", str(tmp_path / "newsroom.sqlite3")]
    article = write_markdown(tmp_path, body=HOSTILE)
    code, out, err = run_cli(capsys, *database, "import", "--create-channels", str(article))
    assert code == 0, err
    notes = [line.strip() for line in out.splitlines() if line.strip().startswith("note: raw HTML")]
    assert notes == [
        "note: raw HTML not shown on the page: <style>body{display:none} (with its text)",
        "note: raw HTML not shown on the page: <font color=red>",
    ]
    code, out, err = run_cli(capsys, *database, "export", "--out", str(tmp_path / "site"))
    assert code == 0, err
    page = (tmp_path / "site" / "gsyl" / "lzgs" / "4709.html").read_text(encoding="utf-8")
    for paragraph in ("第二段。", "第三段。", "第四段。"):
        assert paragraph in page


def test_a_plain_body_gets_no_note(capsys, tmp_path: Path):
    code, out, err = run_cli(capsys, "--db", str(tmp_path / "n.sqlite3"), "import", "--create-channels",
                             str(write_markdown(tmp_path)))
    assert code == 0, err
    assert "note:" not in out
