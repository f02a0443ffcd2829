"""Plans which files of the site are due, renders only those, and writes them atomically.

Every output file has an *input key* (a digest of everything it is made from); a file
whose key matches the manifest is not rendered again, and a rendered file whose bytes
match what is on disk is not written again. So an export with nothing changed writes
nothing, and one changed article rewrites its page, the lists and home page it appears
on, and the feeds.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from dayuan_desktop import __version__
from dayuan_desktop.core.errors import DayuanError, ValidationError
from dayuan_desktop.core.export.feeds import rss_xml, sitemap_xml
from dayuan_desktop.core.export.manifest import Manifest, content_hash, input_key
from dayuan_desktop.core.export.output import OutputFolder
from dayuan_desktop.core.photos.parallel import stream_renditions
from dayuan_desktop.core.photos.rendition_cache import CachedRendition, RenditionCache, rendition_key
from dayuan_desktop.core.photos.renditions import RenditionText, known_rendition_format, make_web_rendition
from dayuan_desktop.core.records import ArticleRecord, PhotoRecord, PublishedPhoto, PublishedRow
from dayuan_desktop.core.render import (
    HomeSection,
    ListItem,
    PortalRenderer,
    channel_list_path,
    rendition_path,
    rendition_path_for,
)
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.validation import check_channel_path, check_web_name

Progress = Callable[[int, int, str], None]
# A killed export loses at most this much recorded work (the files themselves are complete;
# the next export re-checks unrecorded ones by content). By time, not by file count: a
# 10,000-article site's manifest is ~2 MB of JSON, and saving it every 500 files cost
# seconds of a full export while a warm export writes thousands of files a second.
_MANIFEST_SAVE_SECONDS = 10.0


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

    def summary(self) -> str:
        """``N written, M unchanged, K removed``."""
        return f"{len(self.written)} written, {self.unchanged} unchanged, {len(self.removed)} removed"


@dataclass
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
    ) -> None:
        """``cache_dir``: where renditions are kept between exports (default: the user cache folder)."""
        self.store = store
        self.site = site
        self.output = OutputFolder(out_dir)
        self.renderer = PortalRenderer(site, override_dir=template_dir)
        self.progress = progress or (lambda done, total, label: None)
        self.cancel = cancel or threading.Event()
        self.workers = workers
        if cache_dir is None:
            from dayuan_desktop.core.config import load_settings

            cache_dir = load_settings().cache_dir
        self.renditions = RenditionCache(cache_dir)
        self._photo_paths: dict[str, str] = {}  # photo sha256 → its rendition's site path
        # Renditions made while planning (to learn their format) that the cache could not keep.
        self._ready: dict[str, CachedRendition] = {}

    # -- planning ------------------------------------------------------------------------
    def _global_key(self) -> str:
        static = sorted((path, content_hash(data)) for path, data in self._static_files())
        return input_key(__version__, self.site.fingerprint(), self.renderer.template_fingerprint(), static)

    def _static_files(self) -> Iterable[tuple[str, bytes]]:
        folder = self._static_dir()
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                yield "static/" + file.relative_to(folder).as_posix(), file.read_bytes()

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
        self._photo_paths, self._ready = {}, {}  # the library may have changed since the last run
        global_key = self._global_key()
        jobs: list[_Job] = [
            _Job(path, input_key("static", content_hash(data)), make=lambda data=data: data)
            for path, data in self._static_files()
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

    def _photo_src(self, photo: PhotoRecord) -> str:
        found = self._photo_paths.get(photo.sha256)
        return found if found is not None else rendition_path(photo, self.site.rendition_width)

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
                missing = only - {row.number for row in rows}
                if missing:
                    raise ValidationError(f"no published article numbered {', '.join(map(str, sorted(missing)))}")
            jobs = self._plan(rows, only=only)
            due = [job for job in jobs if not self._is_current(job, manifest)]
        report.unchanged = len(jobs) - len(due)
        total, done = len(due), 0
        saved_at = time.monotonic()
        pages = [job for job in due if job.photo is None]
        renditions = [job for job in due if job.photo is not None]
        try:
            with closing(self._render_pages(pages, rows)) as rendered:  # closing stops page workers early
                for job, data in rendered:
                    self._check_cancel(manifest)
                    self._commit(job, data, manifest, report)
                    done += 1
                    self.progress(done, total, job.path)
                    if time.monotonic() - saved_at >= _MANIFEST_SAVE_SECONDS:
                        manifest.save(self.output)
                        saved_at = time.monotonic()
            with closing(self._make_renditions(renditions, manifest, report)) as made:  # closing stops the workers
                for job, rendition in made:
                    self._check_cancel(manifest)  # like pages: nothing more is written once cancelled
                    self._commit(job, lambda r=rendition: r.data, manifest, report, source=rendition.path,
                                 digest=rendition.sha256)
                    done += 1
                    self.progress(done, total, job.path)
                    if time.monotonic() - saved_at >= _MANIFEST_SAVE_SECONDS:
                        manifest.save(self.output)
                        saved_at = time.monotonic()
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
            manifest.save(self.output)
        self.progress(total, total, "")
        return report

    def _render_pages(self, pages: list[_Job], rows: list[PublishedRow]) -> Iterable[tuple[_Job, bytes]]:
        """Each due page with its bytes; article pages are loaded from the store in batches.

        One process: measured here, worker processes made page rendering slower (starting
        them and pickling the articles cost more than the second core gave back).
        """
        article_ids = {f"{row.channel_path}/{row.number}.html": row.id for row in rows}
        article_jobs = [job for job in pages if job.make is None]
        for job in pages:
            if job.make is not None:
                yield job, job.make()
        for start in range(0, len(article_jobs), 200):
            batch = article_jobs[start : start + 200]
            articles = {a.id: a for a in self.store.get_articles([article_ids[job.path] for job in batch])}
            for job in batch:
                yield job, self._article_bytes(articles[article_ids[job.path]])

    def _article_bytes(self, article: ArticleRecord) -> bytes:
        return self.renderer.article_page(article, self._photo_src).encode("utf-8")

    def _is_current(self, job: _Job, manifest: Manifest) -> bool:
        entry = manifest.files.get(job.path)
        return entry is not None and entry.get("input") == job.key and self.output.exists(job.path)

    def _commit(
        self, job: _Job, data: bytes | Callable[[], bytes], manifest: Manifest, report: ExportReport,
        source: Path | None = None, digest: str | None = None,
    ) -> None:
        """Record a file, and write it unless the folder already holds these bytes.

        ``data`` may be a function giving the bytes (a cached rendition, read only when it
        cannot be hard-linked); ``digest`` is then its sha256.
        """
        if digest is None:
            data = data() if callable(data) else data
            digest = content_hash(data)
        entry = manifest.files.get(job.path)
        if not (entry and entry.get("sha256") == digest and self.output.exists(job.path)):
            self.output.link_or_write(job.path, source, data)  # source: a cached rendition with these bytes
            report.written.append(job.path)
        else:
            report.unchanged += 1
        manifest.record(job.path, job.key, digest)

    def _check_cancel(self, manifest: Manifest) -> None:
        if self.cancel.is_set():
            manifest.save(self.output)
            raise ExportCancelled("export cancelled; the pages written so far are complete")

    def _make_renditions(
        self, jobs: list[_Job], manifest: Manifest, report: ExportReport
    ) -> Iterable[tuple[_Job, CachedRendition]]:
        """Each due rendition: from the rendition cache, or made on all cores and then kept there."""
        missing = []
        for job in jobs:
            self._check_cancel(manifest)
            cached = self._ready.get(job.cache_key) or self.renditions.lookup(job.cache_key)
            if cached is None:
                missing.append(job)
            else:
                yield job, cached
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
