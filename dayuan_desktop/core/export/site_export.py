"""Plans which files of the site are due, renders only those, and writes them atomically.

Every output file has an *input key* (a digest of everything it is made from); a file
whose key matches the manifest is not rendered again, and a rendered file whose bytes
match what is on disk is not written again. So an export with nothing changed writes
nothing, and one changed article rewrites its page, the lists and home page it appears
on, and the feeds.
"""

from __future__ import annotations

import gc
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import NamedTuple

from dayuan_desktop import __version__
from dayuan_desktop.core.errors import DayuanError, ValidationError
from dayuan_desktop.core.export import page_workers
from dayuan_desktop.core.export.feeds import rss_xml, sitemap_xml
from dayuan_desktop.core.export.manifest import Manifest, content_hash, input_key
from dayuan_desktop.core.export.output import OutputFolder
from dayuan_desktop.core.export.page_workers import PageDone, PageOrder, PageWorkers, PhotoSource, WorkerSetup
from dayuan_desktop.core.photos.parallel import stream_renditions
from dayuan_desktop.core.photos.rendition_cache import CachedRendition, RenditionCache, rendition_key
from dayuan_desktop.core.photos.renditions import RenditionText, known_rendition_format, make_web_rendition
from dayuan_desktop.core.records import PublishedPhoto, PublishedRow
from dayuan_desktop.core.render import (
    HomeSection,
    ListItem,
    PortalRenderer,
    channel_list_path,
    rendition_path_for,
)
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.validation import check_channel_path, check_web_name

Progress = Callable[[int, int, str], None]
# A link to a static file of the site itself: after "{{ root }}", a quote or "url(" (not a CDN's
# ".../static/..."), naming a file (so a path built from a variable is not taken for one).
_STATIC_LINK = re.compile(r"""(?:\{\{\s*root\s*\}\}|["'(])static/([A-Za-z0-9._/-]+\.[A-Za-z0-9]+)\b""")
# A killed export loses at most this much recorded work (the files themselves are complete;
# the next export re-checks unrecorded ones by content). By time, not by file count: a
# 10,000-article site's manifest is ~2 MB of JSON, and saving it every 500 files cost
# seconds of a full export while a warm export writes thousands of files a second.
_MANIFEST_SAVE_SECONDS = 10.0


class _Written(NamedTuple):
    """A file put in place: its content hash, and whether it had to be written."""

    digest: str
    wrote: bool


class ExportCancelled(DayuanError):
    """The export was cancelled; what was written so far is complete and recorded."""


@dataclass
class ExportReport:
    """What an export did."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    renditions_made: int = 0  # photo renditions this export had to make (the rest came from the cache)
    pages_by_worker: int = 0  # article pages rendered and written by the page worker process

    def summary(self) -> str:
        """``N written, M unchanged, K removed``."""
        return f"{len(self.written)} written, {self.unchanged} unchanged, {len(self.removed)} removed"


@dataclass(slots=True)
class _Job:
    """One output file: where, what it is made from, and how to make it."""

    path: str
    key: str
    make: Callable[[], bytes] | None = None  # None for article pages (loaded in batches) and renditions
    photo: PublishedPhoto | None = None  # set for renditions (taken from the cache or made on all cores)
    cache_key: str = ""  # the rendition's key in the rendition cache
    text: RenditionText | None = None  # the texts the rendition carries


class SiteExporter:
    """Exports the published articles of a store as the portal's static site."""

    def __init__(
        self,
        store: Store,
        site: SiteSettings,
        out_dir: Path,
        *,
        template_dir: Path | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        workers: int | None = None,
        cache_dir: Path | None = None,
        parallel_pages_from: int = page_workers.MIN_PAGES,
    ) -> None:
        """``cache_dir``: where renditions are kept between exports (default: the user cache folder);
        ``workers``: processes that make missing renditions (1: none, not even for pages);
        ``parallel_pages_from``: how many due
        article pages it takes to start a page worker process."""
        self.store = store
        self.site = site
        self.output = OutputFolder(out_dir)
        self.template_dir = template_dir
        self.renderer = PortalRenderer(site, override_dir=template_dir)
        self.progress = progress or (lambda done, total, label: None)
        self.cancel = cancel or threading.Event()
        self.workers = workers
        self.parallel_pages_from = parallel_pages_from
        if cache_dir is None:
            from dayuan_desktop.core.config import load_settings

            cache_dir = load_settings().cache_dir
        self.renditions = RenditionCache(cache_dir)
        self._photo_paths: dict[str, str] = {}  # photo sha256 → its rendition's site path
        self._photo_src = PhotoSource(self._photo_paths, site.rendition_width)
        self._late_pages: list[tuple[_Job, _Written]] = []  # written by the page worker as it was stopped
        # Renditions made while planning (to learn their format) that the cache could not keep.
        self._ready: dict[str, CachedRendition] = {}

    # -- planning ------------------------------------------------------------------------
    def _global_key(self, static_files: list[tuple[str, bytes]], sources: dict[str, str]) -> str:
        static = sorted((path, content_hash(data)) for path, data in static_files)
        return input_key(__version__, self.site.fingerprint(), self.renderer.template_fingerprint(sources), static)

    def _static_files(self) -> Iterable[tuple[str, bytes]]:
        folder = self._static_dir()
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                yield "static/" + file.relative_to(folder).as_posix(), file.read_bytes()

    def _check_static_links(self, sources: dict[str, str], shipped: set[str]) -> None:
        """Refuse to export pages whose templates link a static file that will not be there
        (an override folder with its own static/ but no stylesheet gave unstyled pages)."""
        for name, source in sources.items():
            if name.startswith("static/"):
                continue
            for linked in _STATIC_LINK.findall(source):
                if f"static/{linked}" not in shipped:
                    raise DayuanError(
                        f"the template {name} links static/{linked}, which is not in {self._static_dir()}; "
                        "add the file there (or remove the link) and export again"
                    )

    def _static_dir(self) -> Path:
        for loader in self.renderer.env.loader.loaders:
            for search_path in loader.searchpath:
                candidate = Path(search_path) / "static"
                if candidate.is_dir():
                    return candidate
        raise DayuanError("the portal templates have no static/ folder")

    def _live_rows(self, report: ExportReport) -> list[PublishedRow]:
        rows = []
        for row in self.store.published_rows():
            if row.number is None or not row.channel_path:
                report.warnings.append(f"article {row.id} ({row.title}) has no number or channel; not exported")
                continue
            try:
                check_channel_path(row.channel_path)
                for photo in row.photos:  # photo names become paths under uploads/
                    check_web_name(photo.web_name)
            except ValidationError as exc:
                report.warnings.append(f"article {row.number} not exported: {exc}")
                continue
            rows.append(row)
        return rows

    def _plan(self, rows: list[PublishedRow], *, only: set[int] | None) -> list[_Job]:
        self._photo_paths.clear()  # the library may have changed since the last run
        self._ready = {}
        static_files = list(self._static_files())  # read once: keyed, checked and shipped
        sources = self.renderer.template_sources()
        self._check_static_links(sources, {path for path, _data in static_files})
        global_key = self._global_key(static_files, sources)
        jobs: list[_Job] = [
            _Job(path, input_key("static", content_hash(data)), make=lambda data=data: data)
            for path, data in static_files
        ]
        selected = [row for row in rows if only is None or row.number in only]
        renditions: dict[str, _Job] = {}
        for row in selected:
            for photo in row.photos:
                if photo.sha256 not in self._photo_paths:
                    job = self._rendition_job(photo)
                    renditions.setdefault(job.path, job)
            path = f"{row.channel_path}/{row.number}.html"
            shown = [self._photo_paths[photo.sha256] for photo in row.photos]  # .jpg or .png: the page links it
            jobs.append(_Job(path, input_key(global_key, "article", row.id, row.version, row.photos_fingerprint,
                                             shown)))
        jobs += renditions.values()
        if only is None:
            jobs += self._list_jobs(rows, global_key)
        return jobs

    def _rendition_job(self, photo: PublishedPhoto) -> _Job:
        """The rendition of a photo: its cache key, and its path, whose extension says JPEG or PNG.

        Pages link renditions by path, so the format must be known before any page is made:
        a JPEG's rendition is always a JPEG; for other originals the cache knows, and when it
        does not the rendition is made now (once; it is then kept in the cache).
        """
        long_side = self.site.rendition_width
        # The library's texts, not the file's: an editor may have corrected them after import.
        text = RenditionText.of_photo(photo)
        key = rendition_key(photo.sha256, long_side, text)
        fmt = known_rendition_format(photo.format)
        if fmt is None:
            ready = self.renditions.lookup(key)
            if ready is None:
                original = self.store.photo_bytes(photo.sha256)
                ready = self.renditions.put(key, make_web_rendition(
                    original, long_side=long_side, text=text, name=f"photo {photo.sha256[:12]}"))
            if ready.path is None:  # not kept on disk (unwritable cache): keep it for this run instead
                self._ready[key] = ready
            fmt = ready.format
        target = rendition_path_for(photo.web_name, photo.width, long_side, ".png" if fmt == "PNG" else ".jpg")
        self._photo_paths[photo.sha256] = target
        # The cache key already digests everything the file is made from: its first half is the input key.
        return _Job(target, key[:32], photo=photo, cache_key=key, text=text)

    def _list_jobs(self, rows: list[PublishedRow], global_key: str) -> list[_Job]:
        items = [_list_item(row) for row in rows]  # newest first
        # An item sits on several pages (its channel, the parents, home, feed): key it once.
        keys = {item.path: _item_key(item) for item in items}
        names = {channel.path: channel.name for channel in self.store.list_channels()}
        by_channel: dict[str, list[ListItem]] = {}
        for item in items:
            parts = item.channel_path.split("/")
            for depth in range(1, len(parts) + 1):  # a parent channel lists its subchannels' articles
                by_channel.setdefault("/".join(parts[:depth]), []).append(item)
        jobs = []
        size = self.site.list_page_size
        for channel_path, channel_items in sorted(by_channel.items()):
            name = names.get(channel_path, channel_path)
            pages = [channel_items[i : i + size] for i in range(0, len(channel_items), size)]
            for number, page_items in enumerate(pages, start=1):
                key = input_key(global_key, "channel", channel_path, name, number, len(pages), _items_key(page_items, keys))
                make = partial(self._channel_page_bytes, channel_path, name, page_items, number, len(pages))
                jobs.append(_Job(channel_list_path(channel_path, number), key, make=make))
        sections = [
            HomeSection(path, names.get(path, path), channel_items[: self.site.home_items_per_channel])
            for path, channel_items in sorted(by_channel.items())
            if "/" not in path
        ]
        home_key = input_key(global_key, "home", [(s.channel_path, s.channel_name, _items_key(s.items, keys)) for s in sections])
        jobs.append(_Job("index.html", home_key, make=lambda: self.renderer.home_page(sections).encode("utf-8")))
        feed_items = items[: self.site.feed_size]
        jobs.append(_Job("rss.xml", input_key(global_key, "rss", _items_key(feed_items, keys)),
                         make=lambda: rss_xml(self.site, feed_items)))
        entries = [("", "")] + [(channel_list_path(path, 1), "") for path in sorted(by_channel)] + [
            (f"{row.channel_path}/{row.number}.html", row.updated_at.isoformat()[:10]) for row in rows
        ]
        jobs.append(_Job("sitemap.xml", input_key(global_key, "sitemap", entries),
                         make=lambda: sitemap_xml(self.site, entries)))
        return jobs

    def _channel_page_bytes(self, path: str, name: str, items: list[ListItem], number: int, count: int) -> bytes:
        return self.renderer.channel_page(path, name, items, number, count).encode("utf-8")

    # -- running -------------------------------------------------------------------------
    def run(self, *, only_numbers: Sequence[int] | None = None) -> ExportReport:
        """Export; with ``only_numbers`` just those articles' pages (lists and feeds untouched)."""
        report = ExportReport()
        # Planning a 10,000-article site makes ~100,000 short-lived rows, keys and jobs, none in
        # reference cycles; the cyclic collector's passes over them were a quarter of an
        # incremental export's CPU time. Rendering (Markdown's trees) runs with it again.
        with _cyclic_gc_paused():
            self.output.clean_temporaries()
            manifest = Manifest.load(self.output)
            rows = self._live_rows(report)
            only = set(only_numbers) if only_numbers is not None else None
            if only is not None:
                unknown = only - {row.number for row in rows}
                if unknown:
                    raise ValidationError(f"no published article numbered {', '.join(map(str, sorted(unknown)))}")
            jobs = self._plan(rows, only=only)
            due = [job for job in jobs if not self._is_current(job, manifest)]
        report.unchanged = len(jobs) - len(due)
        tally = _Tally(len(due), manifest, report, self.output, self.progress)
        pages = [job for job in due if job.photo is None]
        renditions = [job for job in due if job.photo is not None]
        missing: list[_Job] = []  # renditions the cache does not hold
        try:
            with closing(self._write_tasks(pages, renditions, rows, manifest, report)) as tasks:  # closing stops rendering
                for job, task in tasks:
                    self._check_cancel(manifest)
                    tally.settle(job, task(), missing)
            with closing(self._make_renditions(missing, manifest, report)) as made:  # closing stops the workers
                for job, rendition in made:
                    self._check_cancel(manifest)  # like pages: nothing more is written once cancelled
                    tally.settle(job, self._put(job.path, manifest.files.get(job.path), rendition.sha256,
                                                lambda r=rendition: r.data, source=rendition.path), missing)
            if only is None:
                wanted = {job.path for job in jobs}
                for stale in sorted(set(manifest.files) - wanted):
                    self._check_cancel(manifest)
                    try:
                        if self.output.remove(stale):
                            report.removed.append(stale)
                    except ValidationError as exc:  # a tampered manifest: forget the entry, touch nothing
                        report.warnings.append(f"manifest entry ignored: {exc}")
                    manifest.forget(stale)
        finally:
            # After a cancel or an error: what the page worker wrote as it was stopped is recorded.
            for finished, written in self._late_pages:
                tally.settle(finished, written, missing)
            self._late_pages = []
            manifest.save(self.output)
        self.progress(len(due), len(due), "")
        return report

    def _write_tasks(
        self, pages: list[_Job], renditions: list[_Job], rows: list[PublishedRow], manifest: Manifest,
        report: ExportReport,
    ) -> Iterator[tuple[_Job, Callable[[], _Written | None]]]:
        """Each due file with the task that puts it in place: pages as they are rendered, then
        the renditions from the rendition cache (those it lacks are made afterwards)."""
        yield from self._page_tasks(pages, rows, manifest, report)
        for rendition in renditions:
            yield rendition, partial(self._link_cached_rendition, rendition, manifest.files.get(rendition.path))

    def _page_tasks(
        self, pages: list[_Job], rows: list[PublishedRow], manifest: Manifest, report: ExportReport
    ) -> Iterator[tuple[_Job, Callable[[], _Written]]]:
        """Each due page with its task: lists and home made here, article pages loaded from the
        store in chunks and rendered here or, for a large export, also by a worker process
        (whose task only reports what it already wrote)."""
        by_path = {f"{row.channel_path}/{row.number}.html": row for row in rows}
        jobs = {job.path: job for job in pages if job.make is None}
        orders = [
            PageOrder(path, by_path[path].id, self._held_sha256(path, manifest),
                      tuple((photo.sha256, self._photo_paths[photo.sha256]) for photo in by_path[path].photos))
            for path in jobs
        ]

        def render_here(chunk: Sequence[PageOrder]) -> Iterator[tuple[_Job, Callable[[], _Written]]]:
            articles = {a.id: a for a in self.store.get_articles([order.article_id for order in chunk])}
            for order in chunk:
                article = articles.get(order.article_id)
                if article is None:  # deleted since the export planned it: the next export removes it
                    yield jobs[order.path], partial(_Written, "", False)
                    continue
                data = self.renderer.article_page(article, self._photo_src).encode("utf-8")
                yield jobs[order.path], partial(self._put, order.path, manifest.files.get(order.path), None, data)

        workers, unrecorded = None, deque[PageDone]()  # unrecorded: written by the worker, not yet handed on
        if self._worker_wanted(len(orders)):
            workers = PageWorkers(WorkerSetup(self.store.db.url, self.site, self.template_dir, self.output.root), orders)
        try:
            for job in pages:  # the worker starts meanwhile
                if job.make is not None:
                    yield job, partial(self._put, job.path, manifest.files.get(job.path), None, job.make())
            if workers is None:
                for start in range(0, len(orders), page_workers.CHUNK):
                    yield from render_here(orders[start : start + page_workers.CHUNK])
                return
            for item in workers.share(render_here):
                if isinstance(item, list):
                    report.pages_by_worker += len(item)
                    unrecorded.extend(item)
                    while unrecorded:  # taken off only once recorded: a cancel here leaves it for ``late``
                        done = unrecorded[0]
                        yield jobs[done.path], partial(_Written, done.digest, done.wrote)
                        unrecorded.popleft()
                else:
                    yield item
            if workers.failure:
                report.warnings.append(f"the page worker process stopped ({workers.failure}); "
                                       "its pages were rendered here instead")
        finally:
            if workers is not None:  # stopped early (a cancel, an error): the worker finishes what it holds
                late = [*unrecorded, *workers.close()]
                self._late_pages = [(jobs[done.path], _Written(done.digest, done.wrote)) for done in late]

    def _worker_wanted(self, page_count: int) -> bool:
        cores = os.cpu_count() or 1
        return (
            page_count >= self.parallel_pages_from and cores > 1 and self.workers != 1
            and page_workers.worker_possible(self.store.db)
        )

    def _held_sha256(self, path: str, manifest: Manifest) -> str:
        entry = manifest.files.get(path)
        return entry.get("sha256", "") if entry and self.output.exists(path) else ""

    def _put(
        self, path: str, entry: dict[str, str] | None, digest: str | None, data: bytes | Callable[[], bytes],
        source: Path | None = None,
    ) -> _Written:
        """Write a file unless the folder already holds these bytes (runs on a write thread).

        ``data`` may be a function giving the bytes (a cached rendition, read only when it
        cannot be hard-linked from ``source``); ``digest`` is then its sha256.
        """
        if digest is None:
            data = data() if callable(data) else data
            digest = content_hash(data)
        if entry and entry.get("sha256") == digest and self.output.exists(path):
            return _Written(digest, wrote=False)
        self.output.link_or_write(path, source, data)
        return _Written(digest, wrote=True)

    def _link_cached_rendition(self, job: _Job, entry: dict[str, str] | None) -> _Written | None:
        """Put a rendition in place from the rendition cache; None when the cache does not hold it."""
        cached = self._ready.get(job.cache_key) or self.renditions.lookup(job.cache_key)
        if cached is None:
            return None
        return self._put(job.path, entry, cached.sha256, lambda: cached.data, source=cached.path)

    def _is_current(self, job: _Job, manifest: Manifest) -> bool:
        entry = manifest.files.get(job.path)
        return entry is not None and entry.get("input") == job.key and self.output.exists(job.path)

    def _check_cancel(self, manifest: Manifest) -> None:
        if self.cancel.is_set():
            manifest.save(self.output)
            raise ExportCancelled("export cancelled; the pages written so far are complete")

    def _make_renditions(
        self, missing: list[_Job], manifest: Manifest, report: ExportReport
    ) -> Iterable[tuple[_Job, CachedRendition]]:
        """The renditions the cache lacked, made on all cores and then kept there."""
        self._check_cancel(manifest)
        made = stream_renditions(
            missing, lambda job: self.store.photo_bytes(job.photo.sha256), lambda job: job.text,
            # A few photos are made here: starting worker processes (spawn) costs more than they give back.
            long_side=self.site.rendition_width, workers=1 if len(missing) < 4 else self.workers,
        )
        with closing(made):  # closing (a cancel) stops the workers
            for job, result in made:
                if isinstance(result, ValidationError):
                    raise ValidationError(f"photo {job.photo.sha256[:12]}… of {job.path}: {result}")
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

    def settle(self, job: _Job, written: _Written | None, missing: list[_Job]) -> None:
        """Record ``job``'s file; a rendition the cache lacked (``written`` None) joins ``missing`` instead."""
        if written is None:
            missing.append(job)
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


def _list_item(row: PublishedRow) -> ListItem:
    return ListItem(
        title=row.title, path=f"{row.channel_path}/{row.number}.html", published_at=row.published_at,
        summary=row.summary, channel_path=row.channel_path,
    )


def _items_key(items: Sequence[ListItem], keys: dict[str, str]) -> str:
    return "\x1e".join(keys[item.path] for item in items)


def _item_key(item: ListItem) -> str:
    published = item.published_at.isoformat() if item.published_at else ""
    return f"{item.title}\x1f{item.path}\x1f{published}\x1f{item.summary}"
