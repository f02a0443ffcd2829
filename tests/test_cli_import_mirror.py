"""``dayuan-desktop import DIR``: a mirrored copy of the site through the command itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.interchange.mirror_site import HOST, build_mirror
from tests.helpers import run_cli as run


@pytest.fixture(scope="module")
def mirror(tmp_path_factory) -> Path:
    return build_mirror(tmp_path_factory.mktemp("cli-mirror"), generated=3)[0]


def test_import_dir_then_again(capsys, mirror, tmp_path):
    db = ["--db", str(tmp_path / "db.sqlite3")]
    code, out, err = run(capsys, *db, "import", str(mirror))
    assert code == 0, err
    assert out.splitlines()[-1] == "6 imported, 0 failed, 0 already imported, 7 skipped (1 home, 6 list)"
    assert f"imported {mirror / HOST / 'gsyl' / 'lzgs' / '4709.html'}: #4709 党旗飘扬筑起疫情防控“钢铁长城” (1 photo(s))" in out
    assert "6/6 article pages" in err  # progress on stderr
    code, out, _ = run(capsys, *db, "channels")
    assert code == 0 and "公示要览" in out and "本地新闻" in out
    code, out, err = run(capsys, *db, "import", str(mirror))
    assert code == 0, err
    assert out.splitlines()[-1] == "0 imported, 0 failed, 6 already imported, 7 skipped (1 home, 6 list)"


def test_a_damaged_page_fails_the_command_but_not_the_others(capsys, mirror, tmp_path):
    import shutil

    copy = Path(shutil.copytree(mirror, tmp_path / "mirror"))
    (copy / HOST / "gsyl" / "9001.html").write_bytes(b"\x00\xff" * 500)
    code, out, err = run(capsys, "--db", str(tmp_path / "db.sqlite3"), "import", str(copy))
    assert code == 1
    assert "FAILED" in err and "9001.html: not an HTML page" in err
    assert out.splitlines()[-1].startswith("6 imported, 1 failed, 0 already imported")

