"""The plan's order, the record's resilience (torn journal, damaged files) and target addresses."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from dayuan_desktop.core.publishing.plan import ARTICLES, ASSETS, FEEDS, LISTS, make_plan, stage_of
from dayuan_desktop.core.publishing.record import TargetRecord
from dayuan_desktop.core.publishing.scan import SiteFile, scan_site
from dayuan_desktop.core.publishing.targets import PublishError, parse_target

SHA_A, SHA_B = "a" * 64, "b" * 64


@pytest.mark.parametrize(("path", "stage"), [
    ("uploads/2026/12/ab-1200.jpg", ASSETS), ("static/css/portal.css", ASSETS),
    ("gsyl/lzgs/4709.html", ARTICLES), ("gsyl/lzgs/index.html", LISTS), ("gsyl/index_2.html", LISTS),
    ("index.html", LISTS), ("sitemap.xml", FEEDS), ("rss.xml", FEEDS),
])
def test_each_file_goes_up_in_its_stage(path, stage):
    assert stage_of(path) == stage


def test_plan_orders_stages_and_sends_only_what_the_record_does_not_hold(tmp_path):
    record = TargetRecord(tmp_path, parse_target(str(tmp_path / "share")))
    record.confirm_upload("uploads/a.jpg", SHA_A)
    record.confirm_upload("news/9.html", SHA_A)  # gone from the site: deleted, last
    site = {path: SiteFile(path, 1, SHA_A) for path in ("rss.xml", "index.html", "news/1.html", "uploads/a.jpg")}
    site["uploads/b.jpg"] = SiteFile("uploads/b.jpg", 1, SHA_B)
    plan = make_plan(site, record)
    assert [[f.path for f in batch.files] for batch in plan.batches] == [
        ["uploads/b.jpg"], ["news/1.html"], ["index.html"], ["rss.xml"]]
    assert plan.unchanged == 1 and plan.deletes == ["news/9.html"]
    assert make_plan(site, record, max_deletes=0).deletes == []
    assert make_plan(site, record, max_deletes=0).deletes_held == 1


def test_a_torn_journal_line_is_ignored_and_the_rest_is_kept(tmp_path):
    target = parse_target(str(tmp_path / "share"))
    record = TargetRecord(tmp_path, target)
    record.confirm_upload("uploads/a.jpg", SHA_A)
    record.confirm_upload("news/1.html", SHA_B)
    record.close()
    with open(record.journal_path, "ab") as journal:  # killed while writing a line
        journal.write(f"+ {SHA_A} news/2.ht".encode())
    again = TargetRecord(tmp_path, target)
    assert again.files == {"uploads/a.jpg": SHA_A, "news/1.html": SHA_B}
    again.confirm_upload("news/3.html", SHA_A)  # the next run goes on; then it is killed too
    again.close()
    expected = {"uploads/a.jpg": SHA_A, "news/1.html": SHA_B, "news/3.html": SHA_A}
    assert TargetRecord(tmp_path, target).files == expected  # the new line was not glued to the torn one
    last = TargetRecord(tmp_path, target)
    last.save(fold=True)
    assert TargetRecord(tmp_path, target).files == expected and not last.journal_path.exists()


def test_a_short_run_appends_to_the_journal_and_leaves_the_snapshot_alone(tmp_path):
    target = parse_target(str(tmp_path / "share"))
    record = TargetRecord(tmp_path, target)
    for n in range(100):
        record.confirm_upload(f"news/{n}.html", SHA_A)
    record.save()  # the first save writes a snapshot
    snapshot = record.snapshot_path.read_bytes()
    again = TargetRecord(tmp_path, target)
    again.confirm_upload("news/7.html", SHA_B)
    again.confirm_delete("news/8.html")
    again.save()
    assert record.snapshot_path.read_bytes() == snapshot and again.journal_path.exists()
    assert TargetRecord(tmp_path, target).files == again.files
    assert again.files["news/7.html"] == SHA_B and "news/8.html" not in again.files


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 1, "files": [1, 2]}', b"\xff\xfe"])
def test_a_damaged_record_counts_as_empty_so_everything_is_compared_again(tmp_path, damage):
    target = parse_target(str(tmp_path / "share"))
    record = TargetRecord(tmp_path, target)
    record.snapshot_path.write_bytes(damage)
    assert TargetRecord(tmp_path, target).files == {}


def test_records_of_two_targets_are_kept_apart(tmp_path):
    first, second = parse_target("sftp://a@h/www"), parse_target("sftp://a@h:2222/www")
    TargetRecord(tmp_path, first).confirm_upload("index.html", SHA_A)
    assert TargetRecord(tmp_path, second).files == {}
    assert TargetRecord(tmp_path, first).files == {"index.html": SHA_A}


def test_target_addresses_are_read_without_keeping_the_password_in_the_key():
    target = parse_target("ftps://editor:p%40ss@web.example.cn:2121/htdocs/")
    assert (target.scheme, target.host, target.port, target.user, target.path) == (
        "ftps", "web.example.cn", 2121, "editor", "/htdocs")
    assert target.password == "p@ss" and "p@ss" not in target.key and "p%40ss" not in target.key
    assert parse_target("sftp://u@h").port == 22 and parse_target("ftp://u@h").path == "/"
    with pytest.raises(PublishError, match="no publishing target"):
        parse_target("  ")


def test_scan_skips_the_manifest_temporaries_and_symlinks_and_survives_a_damaged_cache(tmp_path):
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    (site / "news/1.html").write_text("一")
    (site / ".dayuan-export.json").write_text("{}")
    (site / "news/.1.html.dayuan-part").write_text("half")
    (site / "link.html").symlink_to(Path("/etc/passwd"))
    cache = tmp_path / "cache.json"
    cache.write_text('{"news/1.html": [3, 1, 42]}')
    found = scan_site(site, cache)
    assert list(found) == ["news/1.html"] and found["news/1.html"].size == 3
    old = (site / "news/1.html").stat()
    (site / "new.tmp").write_text("二")  # as the export rewrites: a new file renamed into place
    os.replace(site / "new.tmp", site / "news/1.html")
    os.utime(site / "news/1.html", ns=(old.st_atime_ns, old.st_mtime_ns))  # same size, same time
    assert scan_site(site, cache)["news/1.html"].sha256 != found["news/1.html"].sha256


def test_the_scan_cache_takes_changes_as_appended_lines_and_still_sees_every_edit(tmp_path):
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    for n in range(20):
        (site / f"news/{n}.html").write_text(f"第{n}号")
    cache = tmp_path / "cache.json"
    scan_site(site, cache)
    snapshot = cache.read_bytes()
    (site / "news/3.html").write_text("改过了")  # edited in place: same inode
    (site / "news/4.html").unlink()
    found = scan_site(site, cache)
    assert cache.read_bytes() == snapshot and cache.with_suffix(".changes").exists()
    with open(cache.with_suffix(".changes"), "ab") as changes:
        changes.write(b'["news/5.html", 1, 2')  # torn by a kill: ignored
    again = scan_site(site, cache)
    assert again == found and "news/4.html" not in again
    assert again["news/3.html"].sha256 == hashlib.sha256("改过了".encode()).hexdigest()
    (site / "news/3.html").write_text("又改了")  # same size as the last edit, in place again
    assert scan_site(site, cache)["news/3.html"].sha256 == hashlib.sha256("又改了".encode()).hexdigest()


def test_a_file_rewritten_in_place_with_its_old_size_and_mtime_is_hashed_again(tmp_path):
    site = tmp_path / "site"
    (site / "uploads").mkdir(parents=True)
    photo = site / "uploads/a.jpg"
    photo.write_bytes(b"old photo bytes")
    old = photo.stat()
    os.utime(photo, ns=(old.st_atime_ns - 10**10, old.st_mtime_ns - 10**10))  # long settled
    settled = photo.stat()
    cache = tmp_path / "cache.json"
    first = scan_site(site, cache)["uploads/a.jpg"].sha256
    time.sleep(0.01)
    with open(photo, "r+b") as handle:  # the same inode, the same size...
        handle.write(b"new photo bytes")
    os.utime(photo, ns=(settled.st_atime_ns, settled.st_mtime_ns))  # ...and the old time back (cp -p, touch -r)
    now = photo.stat()
    assert (now.st_ino, now.st_size, now.st_mtime_ns) == (settled.st_ino, settled.st_size, settled.st_mtime_ns)
    again = scan_site(site, cache)["uploads/a.jpg"].sha256
    assert again != first and again == hashlib.sha256(b"new photo bytes").hexdigest()


@pytest.mark.parametrize("damage", [b"\x00\xff not json", b'{"uploads/a.jpg": "x"}', b"[1, 2]",
                                    b'{"uploads/a.jpg": [15, 1, 2, 3, "' + b"0" * 64 + b'"]}'])
def test_a_damaged_scan_cache_is_ignored_and_every_file_still_gets_its_true_hash(tmp_path, damage):
    site = tmp_path / "site"
    (site / "uploads").mkdir(parents=True)
    (site / "uploads/a.jpg").write_bytes(b"new photo bytes")
    cache = tmp_path / "cache.json"
    cache.write_bytes(damage)
    cache.with_suffix(".changes").write_bytes(b'["uploads/a.jpg", 15\n\xff\n[1]\n')
    assert scan_site(site, cache)["uploads/a.jpg"].sha256 == hashlib.sha256(b"new photo bytes").hexdigest()
    assert scan_site(site, cache)["uploads/a.jpg"].sha256 == hashlib.sha256(b"new photo bytes").hexdigest()


def test_files_too_fresh_to_trust_are_hashed_again_at_the_end_once_settled_and_an_edit_is_still_seen(
        tmp_path, monkeypatch):
    from dayuan_desktop.core.publishing import scan

    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    for n in range(3):
        (site / f"news/{n}.html").write_text(f"第{n}号")
    cache, unsettled = tmp_path / "cache.json", []
    scan_site(site, cache, unsettled)
    assert sorted(path for _, path, _ in unsettled) == ["news/0.html", "news/1.html", "news/2.html"]
    assert scan.settle_cache(cache, unsettled) == 0  # still fresh: nothing kept
    (site / "news/1.html").write_text("改过了")  # changed during the run: not kept either
    monkeypatch.setattr(scan, "SETTLE_NS", 0)
    assert scan.settle_cache(cache, unsettled) == 2
    reads = []
    monkeypatch.setattr(scan, "file_sha256", lambda path: reads.append(path) or _sha(path))
    found = scan_site(site, cache)
    assert [Path(path).name for path in reads] == ["1.html"]  # the two settled ones came from the cache
    assert found["news/1.html"].sha256 == hashlib.sha256("改过了".encode()).hexdigest()
    assert found["news/0.html"].sha256 == hashlib.sha256("第0号".encode()).hexdigest()


def _sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
