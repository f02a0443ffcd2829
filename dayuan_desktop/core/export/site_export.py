"""Exports the site: renders the files the plan says are due and writes them atomically.

What is due is decided in :mod:`plan` (a file whose input key matches the manifest is not
rendered again); a rendered file whose bytes match what is on disk is not written again. So
an export with nothing changed writes nothing, and one changed article rewrites its page,
the lists and home page it appears on, and the feeds.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dayuan_desktop.core import quick_export
from dayuan_desktop.core.errors import DayuanError, ValidationError
from dayuan_desktop.core.export import page_workers
from dayuan_desktop.core.export.manifest import Manifest, content_hash
from dayuan_desktop.core.export.output import OutputFolder, RefusedPath
from dayuan_desktop.core.export.page_workers import (
    PageDone,
    PageOrder,
    PageWorkers,
    RenditionPathLookup,
    WorkerSetup,
)
from dayuan_desktop.core.export.plan import DueFile, PageSource, Planner, skipped_photo_warning
from dayuan_desktop.core.export.sqlite_source import SqliteFile, SqliteSource
from dayuan_desktop.core.photos.rendition_cache import CachedRendition, RenditionCache
from dayuan_desktop.core.publish_checks import check_article, finding_lines
from dayuan_desktop.core.records import ArticleRecord
from dayuan_desktop.core.render import PortalRenderer
from dayuan_desktop.core.site import SiteSettings

if TYPE_CHECKING:
    from dayuan_desktop.core.store import Store

COMPILED_TEMPLATES = "templates"  # the folder of compiled templates in the cache folder
Progress = Callable[[int, int, str], None]
# A killed export loses at most this much recorded work (the files themselves are complete;
# the next export re-checks unrecorded ones by content). By time, not by file count: a
# 10,000-article site's manifest is ~2 MB of JSON, and saving it every 500 files cost
# seconds of a full export while a warm export writes thousands of files a second.
_MANIFEST_SAVE_SECONDS = 10.0


class _Written(NamedTuple):
    """A file put in place: its content hash, and whether it had to be written; or why it was skipped."""

    digest: str
    wrote: bool
    skipped: str = ""  # a path the folder refuses (a planted symbolic link): the reason


class ExportCancelled(DayuanError):
    """The export was cancelled; what was written so far is complete and recorded."""


@dataclass
class ExportReport:
    """What an export did."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # refused paths (symbolic links); also in ``warnings``
    warnings: list[str] = field(default_factory=list)
    # Pre-publish check findings (core.publish_checks) of the articles this export rendered
    # (of every chosen one when exporting a selection), one line each: "#4709: 提醒：没有摘要…".
    checks: list[str] = field(default_factory=list)
    renditions_made: int = 0  # photo renditions this export had to make (the rest came from the cache)
    pages_by_worker: int = 0  # article pages rendered and written by the page worker process
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (old, new path) of each redirect page

    def summary(self) -> str:
        """``N written, M unchanged, K removed`` (then ``, R redirect(s)`` and ``, S skipped`` when there are any)."""
        text = f"{len(self.written)} written, {self.unchanged} unchanged, {len(self.removed)} removed"
        text += f", {len(self.redirects)} redirect(s)" if self.redirects else ""
        return text + (f", {len(self.skipped)} skipped" if self.skipped else "")


class SiteExporter:
    """Exports the published articles of a store as the portal's static site."""

    def __init__(
        self,
        store: Store | SqliteSource,
        site: SiteSettings,
        out_dir: Path,
        *,
        template_dir: Path | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        workers: int | None = None,
        cache_dir: Path | None = None,
        parallel_pages_from: int = page_workers.MIN_PAGES,
        page_worker: bool | None = None,
    ) -> None:
        """``cache_dir``: where renditions are kept between exports (default: the user cache folder);
        ``workers``: processes that make missing renditions (1: none, not even for pages);
        ``parallel_pages_from``: how many due
        article pages it takes to start a page worker process; ``page_worker``: True starts it
        then, False never, None (default) only when the machine has a core to spare for it
        (measured while the export plans; :data:`page_workers.WORKER_SETTING` may say instead)."""
        self.store = store
        self.site = site
        self.output = OutputFolder(out_dir)
        self.template_dir = template_dir
        self.progress = progress or (lambda done, total, label: None)
        self.cancel = cancel or threading.Event()
        self.workers = workers
        self.parallel_pages_from = parallel_pages_from
        self.page_worker = page_worker if page_worker is not None else page_workers.worker_setting()
        self._cpu_at_start: tuple[int, int] | None = None
        if cache_dir is None:
            from dayuan_desktop.core.config import load_settings

            cache_dir = load_settings().cache_dir
        self.compiled_dir = Path(cache_dir) / COMPILED_TEMPLATES
        self.renderer = PortalRenderer(site, override_dir=template_dir, compiled_dir=self.compiled_dir)
        self.renditions = RenditionCache(cache_dir)
        self.planner = Planner(store, site, self.renderer, self.renditions, self.output)
        self._photo_src = RenditionPathLookup(self.planner.photo_paths, site.rendition_width)
        self._late_pages: list[tuple[DueFile, _Written]] = []  # written by the page worker as it was stopped
        self._checked_apart = False  # this run's articles are checked apart from rendering (a selection)

    # -- running -------------------------------------------------------------------------
    def run(self, *, only_numbers: Sequence[int] | None = None) -> ExportReport:
        """Export; with ``only_numbers`` just those articles' pages (lists and feeds untouched)."""
        report = ExportReport()
        # Planning a 10,000-article site makes ~100,000 short-lived rows, keys and jobs, none in
        # reference cycles; the cyclic collector's passes over them were a quarter of an
        # incremental export's CPU time. Rendering (Markdown's trees) runs with it again.
        self._cpu_at_start = page_workers.cpu_times()  # the page worker needs a spare core (see _worker_wanted)
        with _cyclic_gc_paused():
            self.output.clean_temporaries()
            self.renditions.remove_stale_temporaries()  # left in the rendition cache by a killed process
            manifest = Manifest.load(self.output)
            manifest.set_record(None)  # saved from now on without it, until this export completes
            only = set(only_numbers) if only_numbers is not None else None
            inputs_now = self._inputs_now() if only is None else None  # read before anything it covers
            self._checked_apart = only is not None
            plan = self.planner.plan(manifest, report.warnings, only=only)
            planning_warnings = list(report.warnings)
        due = plan.due
        report.unchanged = plan.unchanged
        report.redirects = plan.redirects
        if only is not None:  # a chosen few: check each of them, rendered again or not
            report.checks += self._check_lines(self.store.find_article(str(number)) for number in sorted(only))
        tally = _Tally(len(due), manifest, report, self.output, self.progress)
        pages = [job for job in due if job.photo is None]
        renditions = [job for job in due if job.photo is not None]
        missing: list[DueFile] = []  # renditions the cache does not hold
        try:
            with closing(self._write_tasks(pages, renditions, plan.article_pages, manifest, report)) as tasks:
                for job, task in tasks:
                    self._check_cancel(manifest)
                    tally.settle(job, task(), missing)
            with closing(self._make_renditions(missing, manifest, report)) as made:  # closing stops the workers
                for job, rendition in made:
                    self._check_cancel(manifest)  # like pages: nothing more is written once cancelled
                    tally.settle(job, self._put(job.path, manifest.sha256_of(job.path), rendition.sha256,
                                                lambda r=rendition: r.data, source=rendition.path), missing)
            if only is None:
                for stale in sorted(set(manifest.files) - plan.wanted):
                    self._check_cancel(manifest)
                    try:
                        if self.output.remove(stale):
                            report.removed.append(stale)
                    except ValidationError as exc:  # a tampered manifest: forget the entry, touch nothing
                        report.warnings.append(f"manifest entry ignored: {exc}")
                    manifest.forget(stale)
        except BaseException:
            # After a cancel or an error: what the page worker wrote as it was stopped is recorded,
            # if the folder can still be written (on a full disk the first error is the one to tell).
            self._settle_late(tally, missing)
            with suppress(DayuanError):
                manifest.save(self.output)
            raise
        self._settle_late(tally, missing)
        if inputs_now is not None and not report.skipped and manifest.files.keys() == plan.wanted:
            # Complete: the next export with the same inputs and files has nothing to do (core.quick_export).
            manifest.set_record(quick_export.record(inputs_now, self.output.root, list(manifest.files),
                                                    len(plan.wanted), plan.redirects, planning_warnings))
        manifest.save(self.output)
        self.progress(len(due), len(due), "")
        return report

    def _inputs_now(self) -> dict[str, object] | None:
        """What decides the output besides the folder (``quick_export.inputs``), when the database
        keeps an export-inputs token (SQLite at migration 0010) and the site settings are still
        the ones this export was given; else None (no record: the next export runs in full)."""
        database = self.store.db.sqlite_path
        if database is None:
            return None
        token = quick_export.database_token(Path(database))
        if token is None or self._stored_site() != self.site:
            return None
        try:
            return quick_export.inputs(Path(database), token, self.output.root, self.template_dir)
        except OSError:  # an unreadable templates folder: the export itself will say so
            return None

    def _stored_site(self) -> SiteSettings:
        """The site settings the database holds now (the SQLite reader reads them itself)."""
        if isinstance(self.store, SqliteSource):
            return self.store.site_settings()
        from dayuan_desktop.core.site import load_site_settings

        return load_site_settings(self.store.db)

    def _settle_late(self, tally: _Tally, missing: list[DueFile]) -> None:
        for finished, written in self._late_pages:
            tally.settle(finished, written, missing)
        self._late_pages = []

    def _write_tasks(
        self, pages: list[DueFile], renditions: list[DueFile], article_pages: dict[str, PageSource], manifest: Manifest,
        report: ExportReport,
    ) -> Iterator[tuple[DueFile, Callable[[], _Written | None]]]:
        """Each due file with the task that puts it in place: pages as they are rendered, and
        the renditions from the rendition cache (those it lacks are made afterwards).

        With a page worker, this process links the renditions while the worker renders pages
        (see :meth:`_page_tasks`): linked after the pages, they kept one core busy ~1 s at
        5,000 photos while the other sat idle."""
        linking = deque(
            (rendition, partial(self._link_cached_rendition, rendition, manifest.sha256_of(rendition.path)))
            for rendition in renditions
        )
        yield from self._page_tasks(pages, article_pages, manifest, report, linking)
        while linking:
            yield linking.popleft()

    def _page_tasks(
        self, pages: list[DueFile], article_pages: dict[str, PageSource], manifest: Manifest, report: ExportReport,
        linking: deque[tuple[DueFile, Callable[[], _Written | None]]],
    ) -> Iterator[tuple[DueFile, Callable[[], _Written | None]]]:
        """Each due page with its task: lists and home made here, article pages loaded from the
        store in chunks and rendered here or, for a large export, also by a worker process
        (whose task only reports what it already wrote). With the worker, this process takes
        the rendition ``linking`` tasks before its share of pages (the worker topped up after
        each), so the pages split as the two processes' speeds allow and neither idles."""
        jobs = {job.path: job for job in pages if job.make is None}
        orders = [
            PageOrder(path, source.article_id, self._held_sha256(path, manifest), source.photo_paths)
            for path, source in article_pages.items()
        ]

        def render_here(chunk: Sequence[PageOrder]) -> Iterator[tuple[DueFile, Callable[[], _Written | None]]]:
            while linking and workers is not None:
                yield linking.popleft()
            articles = {a.id: a for a in self.store.get_articles([order.article_id for order in chunk])}
            for order in chunk:
                article = articles.get(order.article_id)
                if article is None:  # deleted since the export planned it: the next export removes it
                    yield jobs[order.path], partial(_Written, "", False)
                    continue
                if not self._checked_apart:
                    report.checks += self._check_lines([article])
                data = self.renderer.article_page(article, self._photo_src).encode("utf-8")
                yield jobs[order.path], partial(self._put, order.path, manifest.sha256_of(order.path), None, data)

        workers, unrecorded = None, deque[PageDone]()  # unrecorded: written by the worker, not yet handed on
        if self._worker_wanted(len(orders)):
            workers = PageWorkers(self._worker_setup(), orders)
        try:
            for job in pages:  # the worker starts meanwhile
                if job.make is not None:
                    yield job, partial(self._put, job.path, manifest.sha256_of(job.path), None, job.make())
            if workers is None:
                for start in range(0, len(orders), page_workers.CHUNK):
                    yield from render_here(orders[start : start + page_workers.CHUNK])
                return
            for item in workers.share(render_here):
                if isinstance(item, list):
                    report.pages_by_worker += len(item)
                    if not self._checked_apart:
                        report.checks += [line for done in item for line in done.checks]
                    unrecorded.extend(item)
                    while unrecorded:  # taken off only once recorded: a cancel here leaves it for ``late``
                        done = unrecorded[0]
                        yield jobs[done.path], partial(_Written, done.digest, done.wrote, done.skipped)
                        unrecorded.popleft()
                else:
                    yield item
            if workers.failure:
                report.warnings.append(f"the page worker process stopped ({workers.failure}); "
                                       "its pages were rendered here instead")
        finally:
            if workers is not None:  # stopped early (a cancel, an error): the worker finishes what it holds
                late = [*unrecorded, *workers.close()]
                self._late_pages = [(jobs[done.path], _Written(done.digest, done.wrote, done.skipped)) for done in late]

    def _worker_setup(self) -> WorkerSetup:
        # The worker reads as this process does: the SQLite reader when it is the source here.
        return WorkerSetup(self.store.db.url, self.site, self.template_dir, self.output.root, self.compiled_dir,
                           sqlite_reader=isinstance(self.store.db, SqliteFile))

    def _check_lines(self, articles: Iterable[ArticleRecord]) -> list[str]:
        """The pre-publish findings of these articles, a line each (GPS is not read here: the
        export never ships it, and reading every original would cost more than the export)."""
        lines = []
        for article in articles:
            lines += finding_lines(article, check_article(article, rendition_width=self.site.rendition_width))
        return lines

    def _worker_wanted(self, page_count: int) -> bool:
        cores = os.cpu_count() or 1
        if not (page_count >= self.parallel_pages_from and cores > 1 and self.workers != 1 and self.page_worker is not False
                and page_workers.worker_possible(self.store.db)):
            return False
        if self.page_worker:
            return True
        spare = page_workers.spare_cores(self._cpu_at_start)  # idle while this export planned
        return spare is None or spare >= page_workers.SPARE_CORES_WANTED

    def _held_sha256(self, path: str, manifest: Manifest) -> str:
        return manifest.sha256_of(path) if self.output.exists(path) else ""

    def _put(
        self, path: str, held: str, digest: str | None, data: bytes | Callable[[], bytes],
        source: Path | None = None,
    ) -> _Written:
        """Write a file unless the folder already holds these bytes (``held``: their sha256 as the
        manifest records it, empty when it records none).

        ``data`` may be a function giving the bytes (a cached rendition, read only when it
        cannot be hard-linked from ``source``); ``digest`` is then its sha256.
        """
        if digest is None:
            data = data() if callable(data) else data
            digest = content_hash(data)
        try:
            if self.output.already_holds(path, digest, held, same_as=source):
                return _Written(digest, wrote=False)
            self.output.link_or_write(path, source, data)
        except RefusedPath as exc:  # a planted symbolic link: this file is skipped, the export goes on
            return _Written("", False, str(exc))
        return _Written(digest, wrote=True)

    def _link_cached_rendition(self, job: DueFile, held: str) -> _Written | None:
        """Put a rendition in place from the rendition cache; None when the cache does not hold it."""
        cached = self.planner.ready.get(job.cache_key) or self.renditions.lookup(job.cache_key)
        if cached is None:
            return None
        return self._put(job.path, held, cached.sha256, lambda: cached.data, source=cached.path)

    def _check_cancel(self, manifest: Manifest) -> None:
        if self.cancel.is_set():
            manifest.save(self.output)
            raise ExportCancelled("export cancelled; the pages written so far are complete")

    def _make_renditions(
        self, missing: list[DueFile], manifest: Manifest, report: ExportReport
    ) -> Iterable[tuple[DueFile, CachedRendition]]:
        """The renditions the cache lacked, made on all cores and then kept there."""
        self._check_cancel(manifest)
        if not missing:
            return
        # Imported only now: it brings multiprocessing along, which an export of cached renditions never needs.
        from dayuan_desktop.core.photos.parallel import stream_renditions

        made = stream_renditions(
            missing, lambda job: self.store.photos.photo_bytes(job.photo.sha256), lambda job: job.text,
            # A few photos are made here: starting worker processes (spawn) costs more than they give back.
            long_side=self.site.rendition_width, workers=1 if len(missing) < 4 else self.workers,
        )
        with closing(made):  # closing (a cancel) stops the workers
            for job, result in made:
                if isinstance(result, ValidationError):  # damaged: skipped, named, tried again next time
                    number = self.planner.shown_by.get(job.photo.sha256)
                    report.warnings.append(skipped_photo_warning(number, job.photo.sha256, job.photo.caption, result))
                    continue
                report.renditions_made += 1
                yield job, self.renditions.put(job.cache_key, result)


class _Tally:
    """Records each file put in place: the manifest, the report, progress, and a manifest save now and then."""

    def __init__(
        self, total: int, manifest: Manifest, report: ExportReport, output: OutputFolder, progress: Progress
    ) -> None:
        self.total, self.done = total, 0
        self.manifest, self.report, self.output, self.progress = manifest, report, output, progress
        self.saved_at = time.monotonic()

    def settle(self, job: DueFile, written: _Written | None, missing: list[DueFile]) -> None:
        """Record ``job``'s file; a rendition the cache lacked (``written`` None) joins ``missing`` instead."""
        if written is None:
            missing.append(job)
            return
        if written.skipped:
            self.report.skipped.append(job.path)
            self.report.warnings.append(f"{job.path} skipped: {written.skipped}")
            return
        if not written.digest:
            self.report.warnings.append(f"{job.path} not written: its article was deleted during the export")
            return
        if written.wrote:
            self.report.written.append(job.path)
        else:
            self.report.unchanged += 1
        self.manifest.record(job.path, job.key, written.digest)
        self.done += 1
        self.progress(self.done, self.total, job.path)
        if time.monotonic() - self.saved_at >= _MANIFEST_SAVE_SECONDS:
            self.manifest.save(self.output)
            self.saved_at = time.monotonic()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
