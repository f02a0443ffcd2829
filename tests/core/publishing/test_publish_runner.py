"""The core API the window will use: progress in files and bytes, cancel, a refused file retried next run."""

from __future__ import annotations

import threading
from pathlib import Path

from dayuan_desktop.core.publishing.site_publish import PublishOptions, publish_site
from dayuan_desktop.core.publishing.targets import parse_target
from tests.core.publishing.sitebuild import folder_files


def small_site(folder: Path) -> dict[str, bytes]:
    files = {f"uploads/{i}.jpg": bytes([i]) * (1000 + i) for i in range(6)}
    files |= {"news/1.html": b"<p>1</p>", "news/2.html": b"<p>2</p>", "index.html": b"<p>home</p>",
              "rss.xml": b"<rss/>"}
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return files


def test_progress_counts_files_and_bytes_up_to_the_totals(tmp_path):
    files = small_site(tmp_path / "site")
    seen = []
    _, report = publish_site(tmp_path / "site", parse_target(str(tmp_path / "share")),
                             PublishOptions(data_dir=tmp_path / "data"), progress=seen.append)
    assert len(report.uploaded) == len(files)
    last = seen[-1]
    assert (last.files_done, last.files_total) == (len(files), len(files))
    assert last.bytes_done == last.bytes_total == sum(map(len, files.values()))
    assert [p.files_done for p in seen] == sorted(p.files_done for p in seen)


def test_cancel_stops_the_run_and_the_next_run_sends_only_the_rest(tmp_path):
    files = small_site(tmp_path / "site")
    target, options = parse_target(str(tmp_path / "share")), PublishOptions(data_dir=tmp_path / "data", connections=1)
    cancel = threading.Event()
    _, report = publish_site(tmp_path / "site", target, options, progress=lambda p: cancel.set(), cancel=cancel)
    assert report.cancelled and 1 <= len(report.uploaded) < len(files)
    assert not (tmp_path / "share/index.html").exists()  # later stages never started
    _, again = publish_site(tmp_path / "site", target, options)
    assert sorted(again.uploaded) == sorted(set(files) - set(report.uploaded))
    assert folder_files(tmp_path / "share") == files


def test_a_refused_file_is_named_stops_later_stages_and_is_sent_next_time(tmp_path):
    files = small_site(tmp_path / "site")
    (tmp_path / "share/news/1.html").mkdir(parents=True)  # a folder where the page should go
    target, options = parse_target(str(tmp_path / "share")), PublishOptions(data_dir=tmp_path / "data")
    _, report = publish_site(tmp_path / "site", target, options)
    assert [path for path, _ in report.failed] == ["news/1.html"]
    assert "cannot write it to the target folder" in report.failed[0][1]
    assert not (tmp_path / "share/index.html").exists() and not (tmp_path / "share/rss.xml").exists()
    (tmp_path / "share/news/1.html").rmdir()
    _, again = publish_site(tmp_path / "site", target, options)
    assert not again.failed and "news/1.html" in again.uploaded and "news/2.html" not in again.uploaded
    assert folder_files(tmp_path / "share") == files
