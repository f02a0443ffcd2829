"""The export manifest on disk: its format, one written by an older version, and damaged ones.

Whatever the manifest says, the site's files come out the same: a manifest the export cannot
use only costs it a render of every file (found equal, so not written).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from dayuan_desktop.core.export.manifest import MANIFEST_FORMAT, Manifest
from dayuan_desktop.core.export.output import OutputFolder
from tests.core.export.sitekit import (
    MANIFEST_NAME,
    add_photo,
    edit,
    export,
    open_sqlite_store,
    publish,
    site_files,
    snapshot,
    touched,
)
from tests.helpers import jpeg_bytes


@pytest.fixture
def site(tmp_path: Path):
    store = open_sqlite_store(tmp_path / "x.sqlite3")
    store.create_channel("gsyl")
    store.create_channel("gsyl/lzgs")
    photo = add_photo(store, 1600, 1200, caption="卡口查验", photographer="马向英")
    for number in range(1, 6):
        publish(store, number, "gsyl/lzgs", hour=number, photos=(photo,) if number == 2 else ())
    out = tmp_path / "site"
    assert export(store, out).warnings == []
    return store, out


def entries(out: Path) -> dict[str, str]:
    data = json.loads((out / MANIFEST_NAME).read_bytes())
    assert data["format"] == MANIFEST_FORMAT
    return data["files"]


def test_each_entry_is_the_input_key_and_the_sha256_of_the_file(site):
    _store, out = site
    files = entries(out)
    assert set(files) == set(site_files(out))
    for path, entry in files.items():
        key, digest = entry.split(" ")
        assert len(key) == 32 and len(digest) == 64
        manifest = Manifest.load(OutputFolder(out))
        assert manifest.holds(path, key) and manifest.sha256_of(path) == digest


def test_a_key_is_held_only_whole(site):
    _store, out = site
    manifest = Manifest.load(OutputFolder(out))
    path, entry = next(iter(manifest.files.items()))
    key = entry.split(" ")[0]
    assert manifest.holds(path, key)
    assert not manifest.holds(path, key[:-1])  # a prefix of the key is another key
    assert not manifest.holds(path, key + "0")
    assert not manifest.holds("not/exported.html", key)
    assert manifest.sha256_of("not/exported.html") == ""


def test_a_manifest_of_the_older_format_is_taken_over_without_rewriting_the_site(site):
    store, out = site
    old = {path: {"input": entry.split(" ")[0], "sha256": entry.split(" ")[1]} for path, entry in entries(out).items()}
    (out / MANIFEST_NAME).write_text(json.dumps({"format": 1, "files": old}), encoding="utf-8")
    before = snapshot(out)
    report = export(store, out)
    assert report.written == [] and report.unchanged == len(old)  # nothing rendered again
    assert touched(before, snapshot(out)) == {MANIFEST_NAME}  # only the manifest, now in the new format
    assert {path: entry.split(" ")[1] for path, entry in entries(out).items()} == {
        path: entry["sha256"] for path, entry in old.items()}
    edit(store, 3, title="新标题")  # and it goes on working incrementally
    assert "gsyl/lzgs/3.html" in export(store, out).written


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b'{"format": 2, "files": {"index.html": {"input": "x", "sha256": "y"}}}',  # objects where strings go
        b'{"format": 2, "files": ["index.html"]}',
        b'{"format": 1, "files": {"index.html": "x y"}}',  # strings where the old format had objects
        b'{"format": 99, "files": {}}',
        b"[1, 2, 3]",
        "\ufeff{\"format\": 2}".encode(),
    ],
)
def test_a_damaged_manifest_costs_a_check_of_every_file_but_rewrites_none(site, damage):
    store, out = site
    files = site_files(out)
    (out / MANIFEST_NAME).write_bytes(damage)
    before = snapshot(out)
    report = export(store, out)
    assert report.written == [] and report.removed == [] and report.unchanged == len(files)
    assert touched(before, snapshot(out)) == {MANIFEST_NAME}  # every other file kept, inode and all
    assert set(entries(out)) == set(files)  # a whole manifest again


def test_a_stale_entry_with_a_matching_key_but_missing_file_is_written_again(site):
    store, out = site
    (out / "gsyl/lzgs/4.html").unlink()
    assert export(store, out).written == ["gsyl/lzgs/4.html"]


@pytest.mark.parametrize("old_format", [False, True])
def test_a_damaged_entry_is_checked_again_and_its_file_still_removed_when_stale(site, old_format):
    store, out = site
    files = entries(out)
    (out / "gsyl/lzgs/999.html").write_text("<html>an article no longer published</html>", encoding="utf-8")
    if old_format:
        manifest = {"format": 1, "files": {path: {"input": e.split(" ")[0], "sha256": e.split(" ")[1]}
                                           for path, e in files.items()}}
        manifest["files"]["gsyl/lzgs/999.html"] = {"input": "x"}  # no sha256
        manifest["files"]["gsyl/lzgs/1.html"] = ["not", "an", "entry"]
    else:
        manifest = {"format": 2, "files": dict(files)}
        manifest["files"]["gsyl/lzgs/999.html"] = {"input": "x", "sha256": "y"}  # the old shape in the new format
        manifest["files"]["gsyl/lzgs/1.html"] = 42
    (out / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    before = snapshot(out)
    report = export(store, out)
    assert report.removed == ["gsyl/lzgs/999.html"] and not (out / "gsyl/lzgs/999.html").exists()
    assert report.written == [] and report.unchanged == len(files)  # 1.html checked again, found right
    assert touched(before, snapshot(out)) == {"gsyl/lzgs/999.html", MANIFEST_NAME}
    assert entries(out) == files


def test_a_deeply_nested_manifest_counts_as_empty(site):
    store, out = site
    (out / MANIFEST_NAME).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    report = export(store, out)
    assert report.written == [] and report.unchanged == len(site_files(out))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_at_a_page_path_is_replaced_not_waited_on(site):
    store, out = site
    (out / MANIFEST_NAME).unlink()  # no record: the export compares what is on disk
    (out / "gsyl/lzgs/3.html").unlink()
    os.mkfifo(out / "gsyl/lzgs/3.html")
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(export(store, out)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():  # unblock it (a writer opens the pipe) before failing
        with open(out / "gsyl/lzgs/3.html", "wb"):
            pass
        pytest.fail("the export waited on the named pipe")
    assert outcome[0].written == ["gsyl/lzgs/3.html"]
    assert (out / "gsyl/lzgs/3.html").is_file() and "</html>" in (out / "gsyl/lzgs/3.html").read_text(encoding="utf-8")


def test_a_rendition_made_again_with_bytes_the_folder_holds_is_not_rewritten(site, tmp_path):
    """An upgrade that re-keys renditions, on a machine without the rendition cache: the made
    bytes equal what the folder holds, so nothing is written (a sync would upload nothing)."""
    store, out = site
    manifest = json.loads((out / MANIFEST_NAME).read_bytes())
    for path, entry in manifest["files"].items():
        if path.startswith("uploads/"):
            manifest["files"][path] = "0" * 32 + entry[32:]  # keyed by an older version
    (out / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    before = snapshot(out)
    report = export(store, out, cache_dir=tmp_path / "empty-cache")
    assert report.renditions_made == 1 and report.written == []
    assert touched(before, snapshot(out)) == {MANIFEST_NAME}


def test_two_photos_of_one_web_name_give_one_stable_file_and_a_warning(tmp_path):
    store = open_sqlite_store(tmp_path / "x.sqlite3")
    store.create_channel("news")
    first = store.photos.add_photo(jpeg_bytes(900, 600, (200, 30, 30)), format="JPEG", width=900, height=600,
                            web_name="2024/05/abcdef12")
    second = store.photos.add_photo(jpeg_bytes(900, 600, (30, 30, 200)), format="JPEG", width=900, height=600,
                             web_name="2024/05/abcdef12")
    publish(store, 1, "news", hour=1, photos=(first,))
    publish(store, 2, "news", hour=2, photos=(second,))
    out = tmp_path / "site"
    report = export(store, out)
    assert report.unchanged == 0 and report.written.count("uploads/2024/05/abcdef12-900.jpg") == 1
    assert any("same web name" in warning and first.sha256[:12] in warning for warning in report.warnings)
    again = export(store, out)
    assert again.written == [] and again.unchanged == len(site_files(out))


def test_two_exports_compare_equal_though_their_last_export_records_differ(tmp_path):
    import json

    from dayuan_desktop.core.export.manifest import MANIFEST_NAME, comparable_site_files
    from dayuan_desktop.core.quick_export import RECORD_KEY

    first, second = tmp_path / "a", tmp_path / "b"
    for folder, inode in ((first, 1), (second, 2)):
        folder.mkdir()
        (folder / "index.html").write_text("首页", encoding="utf-8")
        manifest = {"format": 2, "files": {"index.html": "k sha"}, RECORD_KEY: {"inode": inode}}
        (folder / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    assert comparable_site_files(first) == comparable_site_files(second)
    (second / MANIFEST_NAME).write_text(json.dumps({"format": 2, "files": {"index.html": "k other"}}))
    assert comparable_site_files(first) != comparable_site_files(second)  # the file entries still count
    (second / MANIFEST_NAME).write_bytes(b"\xff not json")
    assert comparable_site_files(second)[MANIFEST_NAME] == b"\xff not json"
