"""Nothing is ever written (or deleted) outside the export folder: hostile channel paths and
photo names planted in the database, symlinks planted in the folder, a target that is a file,
a tampered manifest, and the path checks of OutputFolder themselves."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from dayuan_desktop.cli import main
from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.export.output import TEMP_MARK, OutputFolder
from tests.core.export.sitekit import (
    MANIFEST_NAME,
    add_photo,
    edit,
    export,
    listing,
    open_sqlite_store,
    publish,
    raw_sql,
    site_files,
    title_of,
)

HOSTILE_CHANNEL_PATHS = [
    "../../escape", "/abs", "a/../../b", "a\\b", "%2e%2e", "ü/中文", "..", ".", "a/./b", "a//b",
    "a/", "/", "Upper", "a b", "a/..", "..\\..\\win", "~/home", "c:/x", "a/b\n", "x/" + "y" * 300,
]


@pytest.fixture
def world(tmp_path):
    """A store (in its own folder) and an export folder nested a few levels down in ``tmp_path``."""
    store = open_sqlite_store(tmp_path / "db" / "newsroom.sqlite3")
    store.create_channel("safe", "安全")
    store.create_channel("victim", "受害")
    publish(store, 501, "safe", hour=1)
    publish(store, 502, "victim", hour=2)
    out = tmp_path / "deep" / "er" / "site"
    out.mkdir(parents=True)
    try:
        yield store, out, tmp_path
    finally:
        store.db.dispose()


def outside(root: Path, out: Path) -> dict:
    """Everything under ``root`` that is neither the export folder nor the database's folder."""
    return listing(root, skip=(out, root / "db"))


@pytest.mark.parametrize("hostile", HOSTILE_CHANNEL_PATHS)
def test_hostile_channel_path_skips_the_article_with_a_warning(world, hostile):
    store, out, root = world
    raw_sql(store, "UPDATE channels SET path = :p WHERE path = 'victim'", p=hostile)
    before = outside(root, out)
    report = export(store, out)
    assert outside(root, out) == before
    assert any("502" in warning and "not exported" in warning for warning in report.warnings), report.warnings
    files = site_files(out)
    assert "safe/501.html" in files
    assert not [path for path in files if "502" in path]
    assert all(title_of(502) not in data.decode("utf-8", errors="replace") for data in files.values())
    assert not Path("/abs/502.html").exists() and not Path("/abs").exists()


def test_hostile_channel_path_warning_goes_to_stderr_and_the_export_succeeds(world, capsys):
    store, out, root = world
    raw_sql(store, "UPDATE channels SET path = '../../escape' WHERE path = 'victim'")
    before = outside(root, out)
    code = main(["--db", str(root / "db" / "newsroom.sqlite3"), "export", "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    assert code == 0
    assert "warning: article 502 not exported" in captured.err and "'../../escape'" in captured.err
    assert captured.out.splitlines()[-1].endswith("0 unchanged, 0 removed")
    assert outside(root, out) == before


@pytest.mark.parametrize("hostile", ["../../../evil", "/tmp/dayuan-evil", "2022/12/../../../../../x", "2022/12/ab\\cd"])
def test_hostile_photo_web_name_writes_nothing_outside(world, hostile):
    store, out, root = world
    photo = add_photo(store, 1600, 1000)
    publish(store, 503, "safe", hour=3, photos=(photo,))
    raw_sql(store, "UPDATE photos SET web_name = :w", w=hostile)
    before = outside(root, out)
    report = export(store, out)
    assert outside(root, out) == before
    assert not list(Path("/tmp").glob("dayuan-evil*"))
    assert any("503" in warning for warning in report.warnings), report.warnings
    files = site_files(out)
    assert "safe/501.html" in files and "safe/503.html" not in files
    assert not [path for path in files if path.startswith("uploads/")]


def test_store_refuses_a_channel_path_with_a_trailing_newline(world):
    store, out, root = world
    for path in ("news\n", "a/b\n"):
        with pytest.raises(ValidationError, match="is not valid"):
            store.create_channel(path)


# -- symlinks planted in the folder ---------------------------------------------------------------------
@pytest.fixture
def elsewhere(tmp_path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "sentinel.txt").write_text("keep me", encoding="utf-8")
    (folder / "501.html").write_text("not the export's", encoding="utf-8")
    return folder


def test_symlinked_channel_folder_is_refused_and_nothing_goes_through_it(world, elsewhere):
    store, out, root = world
    (out / "safe").symlink_to(elsewhere, target_is_directory=True)
    before = listing(elsewhere)
    report = export(store, out)  # skipped and reported; everything else is written
    assert report.skipped and all(path.startswith("safe/") for path in report.skipped)
    assert any(re.search(r"^safe/501.html skipped: refusing to write .*leads outside the export folder", w)
               for w in report.warnings), report.warnings
    assert listing(elsewhere) == before
    assert (elsewhere / "501.html").read_text(encoding="utf-8") == "not the export's"
    assert (out / "safe").is_symlink() and not [p for p in site_files(out) if p.startswith("safe/")]
    assert {"index.html", "victim/502.html", "victim/index.html"} <= set(site_files(out))


def test_symlink_planted_after_an_export_is_refused_too(world, elsewhere):
    store, out, root = world
    export(store, out)
    for page in (out / "victim").iterdir():
        page.unlink()
    (out / "victim").rmdir()
    (out / "victim").symlink_to(elsewhere, target_is_directory=True)
    edit(store, 502, title="改了")
    before = listing(elsewhere)
    report = export(store, out)
    assert "victim/502.html" in report.skipped and any("leads outside the export folder" in w for w in report.warnings)
    assert listing(elsewhere) == before
    assert "改了" in (out / "index.html").read_text(encoding="utf-8")  # the rest is written


def test_symlinked_file_is_refused_and_its_target_untouched(world, elsewhere):
    store, out, root = world
    export(store, out)
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(elsewhere / "sentinel.txt")
    edit(store, 501, title="也改了")
    report = export(store, out)
    assert report.skipped == ["index.html"] and "index.html skipped: refusing to write 'index.html': it is a " \
        "symbolic link" in report.warnings
    assert (elsewhere / "sentinel.txt").read_text(encoding="utf-8") == "keep me"
    assert "也改了" in (out / "safe" / "501.html").read_text(encoding="utf-8")
    assert (out / "index.html").is_symlink()


def test_symlink_at_a_temporary_name_is_not_written_through(world, elsewhere):
    """A link planted where the export puts its temporary file must not lead the write outside."""
    store, out, root = world
    export(store, out)
    edit(store, 501, title="新标题")
    for name in ("501.html", "index.html"):
        (out / "safe" / f"{TEMP_MARK}{os.getpid()}-{name}").symlink_to(elsewhere / "sentinel.txt")
    (out / f"{TEMP_MARK}{os.getpid()}-{MANIFEST_NAME}").symlink_to(elsewhere / "sentinel.txt")
    export(store, out)
    assert listing(elsewhere)["sentinel.txt"] == ("file", len("keep me"))
    assert (elsewhere / "sentinel.txt").read_text(encoding="utf-8") == "keep me"
    assert "新标题" in (out / "safe" / "501.html").read_text(encoding="utf-8")
    assert not (out / "safe" / "501.html").is_symlink()


def test_cleaning_temporaries_never_follows_symlinks(tmp_path, elsewhere):
    (elsewhere / f"{TEMP_MARK}keep").write_text("outside", encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    (out / f"{TEMP_MARK}link").symlink_to(elsewhere / "sentinel.txt")
    (out / "sub").mkdir()
    (out / "sub" / f"{TEMP_MARK}123-index.html").write_text("<html>half", encoding="utf-8")
    OutputFolder(out).clean_temporaries()
    assert not (out / "sub" / f"{TEMP_MARK}123-index.html").exists()
    assert (elsewhere / f"{TEMP_MARK}keep").read_text(encoding="utf-8") == "outside"
    assert (elsewhere / "sentinel.txt").read_text(encoding="utf-8") == "keep me"


def test_symlink_the_export_never_writes_through_is_left_alone(world, elsewhere):
    store, out, root = world
    (out / "mirror").symlink_to(elsewhere, target_is_directory=True)
    before = listing(elsewhere)
    export(store, out)
    edit(store, 501, status="withdrawn")  # removals and folder tidying leave it alone too
    export(store, out)
    assert (out / "mirror").is_symlink() and listing(elsewhere) == before
    assert (elsewhere / "sentinel.txt").read_text(encoding="utf-8") == "keep me"


# -- the target itself ---------------------------------------------------------------------------------
def test_out_pointing_at_a_regular_file_is_a_clear_error(world, capsys):
    store, out, root = world
    target = root / "site.html"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(ValidationError, match="exists and is not a folder"):
        export(store, target)
    code = main(["--db", str(root / "db" / "newsroom.sqlite3"), "export", "--out", str(target), "--quiet"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.count("\n") == 1 and "exists and is not a folder" in captured.err
    assert target.read_text(encoding="utf-8") == "mine"


def test_tampered_manifest_cannot_delete_files_outside(world):
    store, out, root = world
    export(store, out)
    victim = root / "deep" / "er" / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    for hostile in ("../victim.txt", str(victim), "safe/../../victim.txt", "..\\victim.txt"):
        manifest["files"][hostile] = "x y"
    (out / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    before = outside(root, out)
    report = export(store, out)  # the tampered entries are dropped with a warning, nothing is followed
    assert sum("manifest entry ignored" in warning for warning in report.warnings) == 4
    assert victim.read_text(encoding="utf-8") == "precious"
    assert outside(root, out) == before
    assert export(store, out).warnings == []  # and they are gone from the manifest


# -- OutputFolder.path_for -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "relative",
    [
        "../x", "/etc/passwd", "a/../../x", "a//b", "", "a\\b", "a\x00b", "\x00", ".", "..", "a/.", "a/./b",
        "a/", "/", "//x", "../../../../../../etc/passwd", "a/b/../../../x", "..\\x", "C:\\x", "c:/x",
        "~/x", "a b", "a\nb", "index.html\n", "a\n/b", "ü", "中文.html", "%2e%2e/x", "a/\x00/b",
        None, b"index.html", 5,
    ],
)
def test_path_for_refuses_hostile_relative_paths(tmp_path, relative):
    folder = OutputFolder(tmp_path / "site")
    with pytest.raises(ValidationError, match="refusing to write"):
        folder.path_for(relative)
    with pytest.raises(ValidationError):
        folder.write(relative, b"x")
    assert listing(tmp_path) == {"site": ("dir", 0)}


@pytest.mark.parametrize(
    "relative",
    ["index.html", "gsyl/lzgs/4709.html", "uploads/2022/12/3f2a9c0d-1200.jpg", ".dayuan-export.json", "a-b_c.d/e"],
)
def test_path_for_accepts_plain_paths_inside_the_folder(tmp_path, relative):
    folder = OutputFolder(tmp_path / "site")
    target = folder.path_for(relative)
    assert target == (tmp_path / "site").resolve().joinpath(*relative.split("/"))
    folder.write(relative, b"first")
    folder.write(relative, b"second")
    assert target.read_bytes() == b"second"
    assert not [p for p in (tmp_path / "site").rglob(f"{TEMP_MARK}*")]


def test_output_folder_on_a_symlinked_root_is_fine(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    folder = OutputFolder(tmp_path / "link")
    folder.write("a/b.html", b"ok")
    assert (real / "a" / "b.html").read_bytes() == b"ok"


def test_page_worker_skips_a_symlinked_folder_and_reports_it(world, elsewhere):
    store, out, root = world
    (out / "safe").symlink_to(elsewhere, target_is_directory=True)
    before = listing(elsewhere)
    report = export(store, out, parallel_pages_from=1, page_worker=True)  # article pages go through the worker process
    assert report.pages_by_worker >= 1
    assert "safe/501.html" in report.skipped and listing(elsewhere) == before
    assert "victim/502.html" in site_files(out)
