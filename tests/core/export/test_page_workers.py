"""The page worker process: a large export renders and writes article pages on a second core.

Each test forces the worker on a small site (``parallel_pages_from=1``, small chunks) and
checks what an editor would notice: the same site, byte for byte, as one process writes;
nothing rewritten on the next export; a cancel or a bad folder leaving only whole, recorded
files; an article deleted mid-export reported, not crashed on.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.export import ExportCancelled, SiteExporter, page_workers
from dayuan_desktop.core.export.manifest import MANIFEST_NAME
from dayuan_desktop.core.store import Store
from tests.core.export.sitekit import (
    SMALL_SITE,
    add_photo,
    edit,
    open_sqlite_store,
    publish,
    site_files,
    snapshot,
    touched,
)

ARTICLES = 24
CHANNELS = ("news", "news/sx", "finance")


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of three pages, so the worker and this process share even a small site."""
    monkeypatch.setattr(page_workers, "CHUNK", 3)


def fill(store: Store) -> None:
    """24 published articles over three channels, some with photos."""
    for path in CHANNELS:
        store.create_channel(path)
    photos = [add_photo(store, 900, 600, color=(60 * i, 80, 120), caption=f"图为第{i}张照片", photographer="李明")
              for i in range(3)]
    for n in range(ARTICLES):
        publish(store, 1000 + n, CHANNELS[n % 3], hour=n, photos=(photos[n % 3],) if n % 2 else (),
                summary=f"摘要{n}")


def run(store: Store, out: Path, *, parallel: bool, **options):
    return SiteExporter(store, SMALL_SITE, out, workers=2, parallel_pages_from=1 if parallel else 10**9, page_worker=parallel,
                        **options).run()


@pytest.fixture
def newsroom(tmp_path) -> Store:
    store = open_sqlite_store(tmp_path / "db" / "newsroom.sqlite3")
    fill(store)
    yield store
    store.db.dispose()


def is_article_page(path: str) -> bool:
    return path.endswith(".html") and "/index" not in path and path != "index.html"


def article_pages(paths) -> set[str]:
    return {path for path in paths if is_article_page(path)}


def test_the_worker_writes_the_same_site_as_one_process(newsroom, tmp_path, small_chunks):
    alone = run(newsroom, tmp_path / "alone", parallel=False)
    labels: list[str] = []
    shared = run(newsroom, tmp_path / "shared", parallel=True, progress=lambda d, t, label: labels.append(label))
    assert alone.pages_by_worker == 0 and 0 < shared.pages_by_worker <= ARTICLES
    assert site_files(tmp_path / "shared") == site_files(tmp_path / "alone")
    assert (tmp_path / "shared" / MANIFEST_NAME).read_bytes() == (tmp_path / "alone" / MANIFEST_NAME).read_bytes()
    assert sorted(shared.written) == sorted(alone.written) and shared.warnings == []
    assert sorted(label for label in labels if label) == sorted(shared.written)  # each file reported once
    again = run(newsroom, tmp_path / "shared", parallel=True)
    assert again.written == [] and again.pages_by_worker == 0


def test_one_changed_article_rewrites_only_its_files_with_the_worker(newsroom, tmp_path, small_chunks):
    out = tmp_path / "site"
    run(newsroom, out, parallel=True)
    before = site_files(out)
    edit(newsroom, 1005, title="改过的标题")
    report = run(newsroom, out, parallel=True)
    changed = {path for path, data in site_files(out).items() if before.get(path) != data} - {MANIFEST_NAME}
    assert set(report.written) == changed and "news/sx/1004.html" not in changed
    assert "finance/1005.html" in changed and "改过的标题" in (out / "finance/1005.html").read_text(encoding="utf-8")


def test_with_the_manifest_lost_the_worker_renders_again_but_rewrites_nothing(newsroom, tmp_path, small_chunks):
    out = tmp_path / "site"
    run(newsroom, out, parallel=True)
    before = snapshot(out)
    (out / MANIFEST_NAME).unlink()  # e.g. the site copied elsewhere without its hidden files
    (out / "news/1000.html").write_text("stale", encoding="utf-8")  # and one page damaged meanwhile
    report = run(newsroom, out, parallel=True)
    assert report.pages_by_worker > 0 and report.written == ["news/1000.html"]
    # Same inodes: nothing else rewritten; the manifest comes back as it was.
    assert touched(before, snapshot(out)) == {"news/1000.html", MANIFEST_NAME}
    assert (out / MANIFEST_NAME).read_bytes() == before[MANIFEST_NAME].data


def test_the_worker_opens_the_same_database_on_both_backends(store, tmp_path, small_chunks):
    fill(store)
    alone = run(store, tmp_path / "alone", parallel=False)
    shared = run(store, tmp_path / "shared", parallel=True)
    assert shared.pages_by_worker > 0
    assert site_files(tmp_path / "shared") == site_files(tmp_path / "alone")
    assert len(article_pages(alone.written)) == ARTICLES


def test_an_in_memory_database_is_exported_without_a_worker(tmp_path):
    store = Store(open_database("sqlite://"), user_name="tester")
    fill(store)
    assert not page_workers.worker_possible(store.db)
    report = run(store, tmp_path / "site", parallel=True)
    assert report.pages_by_worker == 0 and len(article_pages(report.written)) == ARTICLES


def test_a_symlink_where_the_worker_writes_is_refused_and_its_target_untouched(newsroom, tmp_path, small_chunks):
    out = tmp_path / "site"
    run(newsroom, out, parallel=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    victims = sorted(article_pages(site_files(out)))
    for victim in victims:  # whichever side renders it, it is refused
        (out / victim).unlink()
        (out / victim).symlink_to(outside)
    skipping = run(newsroom, out, parallel=True)  # each one skipped and reported, the rest written
    assert sorted(skipping.skipped) == victims
    assert all(any(w.startswith(f"{victim} skipped: ") and "symbolic link" in w for w in skipping.warnings)
               for victim in victims)
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert all((out / victim).is_symlink() for victim in victims)
    for victim in victims:
        (out / victim).unlink()
    report = run(newsroom, out, parallel=True)
    assert article_pages(report.written) == set(victims)


def test_cancel_leaves_whole_files_each_one_reported(newsroom, tmp_path, small_chunks):
    run(newsroom, tmp_path / "reference", parallel=False)
    complete = site_files(tmp_path / "reference")
    cancel = threading.Event()
    reported: list[str] = []

    def progress(done: int, total: int, label: str) -> None:
        if label:
            reported.append(label)
        if is_article_page(label):  # the first article page recorded
            cancel.set()

    out = tmp_path / "site"
    with pytest.raises(ExportCancelled):
        run(newsroom, out, parallel=True, cancel=cancel, progress=progress)
    partial = site_files(out)
    assert set(partial) == set(reported) and len(partial) < len(complete)
    assert all(complete[path] == data for path, data in partial.items())
    report = run(newsroom, out, parallel=True)
    assert report.unchanged == len(partial) and len(report.written) == len(complete) - len(partial)
    assert site_files(out) == complete


@pytest.mark.parametrize("parallel", [False, True])
def test_an_article_deleted_during_the_export_is_reported_not_written(newsroom, tmp_path, small_chunks, parallel):
    victim = newsroom.find_article("1023")
    deleted = []

    def progress(done: int, total: int, label: str) -> None:
        if not deleted:  # as the first file lands, another editor deletes the newest article for good
            newsroom.trash_article(victim.id)
            newsroom.purge_article(victim.id)
            deleted.append(victim.id)

    report = run(newsroom, tmp_path / "site", parallel=parallel, progress=progress)
    assert report.warnings == ["finance/1023.html not written: its article was deleted during the export"]
    assert not (tmp_path / "site" / "finance/1023.html").exists()
    assert len(article_pages(report.written)) == ARTICLES - 1
    assert run(newsroom, tmp_path / "site", parallel=parallel).warnings == []


def test_a_worker_that_cannot_open_the_database_leaves_its_pages_to_this_process(tmp_path):
    """A worker that cannot start (here: a database path that does not exist for it) costs speed, not pages."""
    setup = page_workers.WorkerSetup(f"sqlite:///{tmp_path / 'no such folder' / 'x.sqlite3'}", SMALL_SITE, None,
                                     tmp_path / "site")
    orders = [page_workers.PageOrder(f"news/{n}.html", n, "") for n in range(1, 8)]
    workers = page_workers.PageWorkers(setup, orders)
    rendered_here: list[str] = []

    def render_here(chunk):
        for order in chunk:
            rendered_here.append(order.path)
            yield order.path

    try:
        results = list(workers.share(render_here))
    finally:
        assert workers.close() == []
    assert sorted(rendered_here) == sorted(order.path for order in orders)  # each once, none lost
    assert results == rendered_here and "process" in workers.failure.lower()


def test_the_worker_is_forked_only_from_a_lone_main_thread_on_linux():
    import sys

    chosen = []
    thread = threading.Thread(target=lambda: chosen.append(page_workers.worker_context().get_start_method()))
    thread.start()
    thread.join()
    assert chosen == ["spawn"]  # as the window exports: from a thread, with others about
    if threading.active_count() == 1:
        expected = "fork" if sys.platform.startswith("linux") else "spawn"
        assert page_workers.worker_context().get_start_method() == expected


# Issue 20: with the machine's other cores busy the worker only shared one core with the export
# and made it slower; it starts only when a core sat idle while the export planned.
def _exporter(tmp_path, **options) -> SiteExporter:
    store = open_sqlite_store(tmp_path / "store.sqlite3")
    return SiteExporter(store, SMALL_SITE, tmp_path / "site", workers=2, **options)


def test_no_page_worker_when_no_core_sat_idle_while_planning(tmp_path, monkeypatch):
    monkeypatch.delenv(page_workers.WORKER_SETTING, raising=False)
    exporter = _exporter(tmp_path)
    now = page_workers.cpu_times()
    if now is None:
        pytest.skip("no /proc/stat here: the worker starts as before")
    idle, total = now
    exporter._cpu_at_start = (idle, total - 10_000)  # since then: 10,000 ticks of CPU, none idle
    assert page_workers.spare_cores(exporter._cpu_at_start) < 0.01
    assert not exporter._worker_wanted(5_000)
    exporter._cpu_at_start = (idle - 10_000, total - 10_000)  # all of them idle
    assert exporter._worker_wanted(5_000)
    assert not exporter._worker_wanted(page_workers.MIN_PAGES - 1)  # a small export stays in one process


@pytest.mark.parametrize(("setting", "wanted"), [("always", True), ("never", False)])
def test_the_setting_overrides_the_measurement(tmp_path, monkeypatch, setting, wanted):
    monkeypatch.setenv(page_workers.WORKER_SETTING, setting)
    exporter = _exporter(tmp_path)
    now = page_workers.cpu_times() or (0, 10_000)
    exporter._cpu_at_start = (now[0], now[1] - 10_000)  # busy
    assert exporter._worker_wanted(5_000) is wanted
    exporter._cpu_at_start = (now[0] - 10_000, now[1] - 10_000)  # idle
    assert exporter._worker_wanted(5_000) is wanted


def test_where_the_idle_time_cannot_be_measured_the_worker_starts_as_before(tmp_path, monkeypatch):
    monkeypatch.delenv(page_workers.WORKER_SETTING, raising=False)
    assert page_workers.spare_cores(None) is None
    exporter = _exporter(tmp_path)
    exporter._cpu_at_start = None  # no /proc/stat (macOS, Windows)
    assert exporter._worker_wanted(5_000)
