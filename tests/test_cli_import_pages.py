"""``dayuan-desktop import page.html``: portal pages on the command line, alone and mixed with
Markdown files, and the export → import → export round trip through the commands themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import jpeg_bytes, write_markdown
from tests.helpers import run_cli as run

PAGE = "gsyl/lzgs/4709.html"




@pytest.fixture
def db_arg(database_url: str) -> list[str]:
    """``--db`` pointing at a fresh database of the backend under test."""
    return ["--db", database_url]


@pytest.fixture
def exported_sample(capsys, tmp_path: Path) -> Path:
    """The sample article exported by the commands, from a database of its own."""
    source = ["--db", str(tmp_path / "source.sqlite3")]
    assert run(capsys, *source, "sample")[0] == 0
    site = tmp_path / "site"
    code, out, err = run(capsys, *source, "export", "--quiet", "--out", str(site))
    assert code == 0, err
    return site


def test_import_page_then_export_gives_the_same_page(capsys, db_arg, exported_sample, tmp_path):
    page = exported_sample / PAGE
    code, out, err = run(capsys, *db_arg, "import", "--create-channels", str(page))
    assert code == 0, err
    assert f"imported {page}: #4709 党旗飘扬筑起疫情防控“钢铁长城” (1 photo(s))" in out
    assert "1 imported, 0 failed" in out and "warning" not in out
    code, out, _ = run(capsys, *db_arg, "show", "4709")
    assert code == 0 and "## 党员干部集结下沉防疫一线" in out and "tags: 防控 疫情 党员干部" in out
    again = tmp_path / "again"
    code, _, err = run(capsys, *db_arg, "export", "--quiet", "--out", str(again))
    assert code == 0, err
    assert (again / PAGE).read_bytes() == page.read_bytes()


def test_mixed_batch_of_pages_and_markdown(capsys, db_arg, exported_sample, tmp_path):
    folder = tmp_path / "md"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(jpeg_bytes(400, 300))
    markdown = write_markdown(
        folder, "other.md",
        front="title: 另一篇\nchannel: news\nnumber: 4710\nstatus: published\n",
        body='正文。\n\n![图为另一处。](photo.jpg "赵六")\n',
    )
    upper = exported_sample / "gsyl" / "lzgs" / "4709.HTM"
    upper.write_bytes((exported_sample / PAGE).read_bytes())  # the suffix decides, in any case
    code, out, err = run(capsys, *db_arg, "import", "--create-channels", str(markdown), str(upper))
    assert code == 0, err
    assert "#4710 另一篇 (1 photo(s))" in out and "#4709 党旗飘扬筑起疫情防控“钢铁长城” (1 photo(s))" in out
    assert "2 imported, 0 failed" in out


def test_failing_page_in_a_batch_reports_it_and_exits_1(capsys, db_arg, exported_sample, tmp_path):
    broken = tmp_path / "broken.html"
    page = (exported_sample / PAGE).read_bytes()
    broken.write_bytes(page[:page.index(b"</h1>") + 600])  # cut inside the article's body
    hostile = tmp_path / "hostile.html"
    hostile.write_text(
        (exported_sample / PAGE).read_text(encoding="utf-8").replace("/gsyl/lzgs/4709.html", "/../../etc/4709.html"),
        encoding="utf-8",
    )
    code, out, err = run(capsys, *db_arg, "import", "--create-channels", str(broken), str(hostile),
                         str(exported_sample / PAGE))
    assert code == 1
    assert f"FAILED   {broken}: " in err and "truncated" in err
    assert f"FAILED   {hostile}: " in err and "channel path '../../etc' is not valid" in err
    assert "Traceback" not in err
    assert "1 imported, 2 failed" in out
    code, out, _ = run(capsys, *db_arg, "list")
    assert "1–1 of 1 article(s)" in out  # only the good page


def test_missing_photo_file_fails_the_page_only(capsys, db_arg, exported_sample):
    page = exported_sample / PAGE
    for rendition in (exported_sample / "uploads").rglob("*.jpg"):
        rendition.unlink()
    code, out, err = run(capsys, *db_arg, "import", "--create-channels", str(page))
    assert code == 1
    assert str(page) in err and "not found at" in err and "uploads" in err
    assert "0 imported, 1 failed" in out
