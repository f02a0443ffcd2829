"""Article pages rendered and written by a second process while the export's own process does the same.

A full export of a 10,000-article site is CPU work in one process: rendering (~0.5 ms a
page) and the system calls that put each page on disk (about as much again). One worker
process on another core takes chunks of pages from the end of the list while the export
takes them from the front, so neither waits for the other, and the worker's start-up
overlaps the list pages the export renders meanwhile (a fork where that is safe, else a
spawned process with about a second of imports: see :func:`worker_context`). The worker opens
the database itself (SQLite file or server) and is sent only article ids: sending whole
articles would cost the export's own process ~130 µs a page to load and pickle them.

Only a large batch of pages is worth a process (see :data:`MIN_PAGES`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dayuan_desktop.core.errors import DatabaseError, DayuanError, ValidationError
from dayuan_desktop.core.export.manifest import content_hash
from dayuan_desktop.core.export.output import OutputFolder, RefusedPath
from dayuan_desktop.core.photos.rendition_paths import rendition_site_path
from dayuan_desktop.core.publish_checks import check_article, finding_lines
from dayuan_desktop.core.records import PhotoRecord
from dayuan_desktop.core.render import PortalRenderer
from dayuan_desktop.core.secrets import mask_secrets
from dayuan_desktop.core.site import SiteSettings

if TYPE_CHECKING:  # multiprocessing and concurrent.futures load only when a worker starts (~10 ms otherwise)
    import multiprocessing.context
    from concurrent.futures import Future

    from dayuan_desktop.core.db import Database

# Below this many due article pages the export renders alone: a worker takes about a second
# to start, and 1,000 pages take about as long in one process.
MIN_PAGES = 2_000
# Pages per chunk handed out: small enough that the export waits little for the worker's
# last chunks (~0.1 s each), large enough that handing them out costs nothing.
CHUNK = 100
_CHUNKS_IN_FLIGHT = 3  # one being rendered by the worker, two waiting: it never waits for this process
_CHUNK_HERE = 20  # the export's own process takes smaller bites: it also links renditions and records files


# The worker starts only when the machine had at least this much of a core idle while the
# export planned (besides the export's own): with the other core busy, the two processes shared
# one core and a 10,000-article export took 12-15 s against 10-12 s in one process (issue 20).
SPARE_CORES_WANTED = 0.5
# DAYUAN_PAGE_WORKER=always (or never) overrides the measurement (tests that need the worker).
WORKER_SETTING = "DAYUAN_PAGE_WORKER"


def cpu_times() -> tuple[int, int] | None:
    """(idle, all) clock ticks of every CPU since boot (Linux's /proc/stat); None where unknown."""
    try:
        with open("/proc/stat", "rb") as stat:
            fields = stat.readline().split()
        ticks = [int(value) for value in fields[1:9]]  # user … steal (guest time is inside user)
    except (OSError, ValueError):
        return None
    if fields[:1] != [b"cpu"] or len(ticks) < 5:
        return None
    return ticks[3] + ticks[4], sum(ticks)  # idle + iowait


def spare_cores(since: tuple[int, int] | None) -> float | None:
    """How many cores sat idle since ``since`` (a :func:`cpu_times`); None when it cannot tell
    (no /proc/stat, or too short a time to say)."""
    now = cpu_times()
    if since is None or now is None or now[1] - since[1] < 10:
        return None
    return (now[0] - since[0]) / (now[1] - since[1]) * (os.cpu_count() or 1)


def worker_setting() -> bool | None:
    """True/False when :data:`WORKER_SETTING` says always/never, None (measure) otherwise."""
    value = os.environ.get(WORKER_SETTING, "").strip().lower()
    return True if value == "always" else False if value == "never" else None


class PageOrder(NamedTuple):
    """One article page for the worker: where it goes, which article, the content hash the
    folder already holds there (empty when none, so unchanged bytes are not rewritten), and
    where its photos' renditions are (photo sha256, site path)."""

    path: str
    article_id: int
    held_sha256: str
    photo_paths: tuple[tuple[str, str], ...] = ()


class PageDone(NamedTuple):
    """What became of a page the worker was sent; ``digest`` is empty when the article was gone."""

    path: str
    digest: str
    wrote: bool
    checks: tuple[str, ...] = ()  # the article's pre-publish findings, a line each (core.publish_checks)
    skipped: str = ""  # why the folder refused the path (a planted symbolic link), if it did


@dataclass(frozen=True)
class WorkerSetup:
    """Everything a worker needs, sent once when it starts.

    Kept small: the process start-up waits until the new process has read all of it (through
    a pipe, after its imports), so a site-wide photo table sent here held the export's own
    process up ~0.7 s at 10,000 photos. Each page's photo paths travel with its order instead.
    """

    database_url: str
    site: SiteSettings
    template_dir: Path | None
    out_dir: Path
    compiled_dir: Path | None = None  # compiled templates kept between runs
    # The export reads a current SQLite file with the sqlite3 module alone (core.export.sqlite_source):
    # so does the worker, which then starts without importing SQLAlchemy either.
    sqlite_reader: bool = False


class RenditionPathLookup:
    """A photo's rendition path as the export planned it (a picklable stand-in for a closure)."""

    def __init__(self, photo_paths: dict[str, str], rendition_width: int) -> None:
        self.photo_paths = photo_paths
        self.rendition_width = rendition_width

    def __call__(self, photo: PhotoRecord) -> str:
        found = self.photo_paths.get(photo.sha256)
        return found if found is not None else rendition_site_path(photo, self.rendition_width, provisional=True)


def worker_context() -> multiprocessing.context.BaseContext:
    """How the worker process is started: forked where that is safe, else spawned.

    A spawned worker imports the app again (~1 s of CPU before its first page), which on a
    busy two-core machine made a 10,000-article export slower with the worker than without
    it. A fork starts at once with everything imported. It is used only on Linux (macOS's
    system libraries do not survive a fork) and only when this process runs no other
    thread: the window exports from a thread, with Qt's threads about, and a fork there can
    deadlock the child, so it spawns (:func:`process_context`). The child opens its own
    database connection and never touches the ones it inherited.
    """
    import multiprocessing

    from dayuan_desktop.core.photos.parallel import process_context

    lone_thread = threading.active_count() == 1 and threading.current_thread() is threading.main_thread()
    if sys.platform.startswith("linux") and lone_thread:
        return multiprocessing.get_context("fork")
    return process_context()


def worker_possible(database: Database) -> bool:
    """Whether another process can open this database (a server, or a SQLite file: not an in-memory one)."""
    return database.dialect != "sqlite" or database.sqlite_path is not None


class _Worker:
    """The worker process's open database, renderer and output folder."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.store = _open_source(setup)
        self.renderer = PortalRenderer(setup.site, override_dir=setup.template_dir, compiled_dir=setup.compiled_dir)
        self.output = OutputFolder(setup.out_dir)
        self.rendition_width = setup.site.rendition_width

    def pages(self, orders: Sequence[PageOrder]) -> list[PageDone]:
        articles = {article.id: article for article in self.store.get_articles([o.article_id for o in orders])}
        done = []
        for order in orders:
            article = articles.get(order.article_id)
            if article is None:  # deleted since the export planned it: the next export removes it
                done.append(PageDone(order.path, "", False))
                continue
            photo_src = RenditionPathLookup(dict(order.photo_paths), self.rendition_width)
            data = self.renderer.article_page(article, photo_src).encode("utf-8")
            digest = content_hash(data)
            try:
                wrote = not self.output.already_holds(order.path, digest, order.held_sha256)
                if wrote:
                    self.output.write(order.path, data)
            except RefusedPath as exc:  # skipped and reported, like the pages rendered in the export itself
                done.append(PageDone(order.path, "", False, skipped=str(exc)))
                continue
            checks = finding_lines(article, check_article(article, rendition_width=self.rendition_width))
            done.append(PageDone(order.path, digest, wrote, tuple(checks)))
        return done


def _open_source(setup: WorkerSetup):
    """What the worker loads articles from: the export's SQLite reader, or the store."""
    if setup.sqlite_reader:
        from dayuan_desktop.core.export.sqlite_source import SqliteSource

        source = SqliteSource.open(setup.database_url)
        if source is None:  # changed since the export looked (upgraded, replaced): not the file it planned from
            raise DatabaseError(f"the page worker finds {setup.database_url} no longer current")
        return source
    from sqlalchemy import make_url

    from dayuan_desktop.core.db import SCHEMA_HEAD, open_database
    from dayuan_desktop.core.store import Store

    url = make_url(setup.database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        raise DatabaseError(f"the page worker finds no database at {url.database}")  # and never makes one
    database = open_database(setup.database_url, upgrade=False)
    if database.schema_state().current != SCHEMA_HEAD:
        raise DatabaseError(f"the page worker finds {database.describe()} at another schema version")
    return Store(database, user_name="export")


_worker: _Worker | None = None


def _start(setup: WorkerSetup) -> None:
    global _worker
    _worker = _Worker(setup)


def _render_chunk(orders: Sequence[PageOrder]) -> list[PageDone]:
    if _worker is None:
        raise DayuanError("the page worker was not started")
    return _worker.pages(orders)


class PageWorkers:
    """Hands chunks of article pages to a worker process; see the module's docstring.

    The worker starts (and is sent its first chunks) as soon as this is made, so it gets
    through its imports while the export renders the list pages.
    """

    def __init__(self, setup: WorkerSetup, orders: Sequence[PageOrder]) -> None:
        from concurrent.futures import ProcessPoolExecutor

        from dayuan_desktop.core.lifeline import pool_arguments

        self._pool = ProcessPoolExecutor(
            max_workers=1, mp_context=worker_context(), **pool_arguments(_start, (setup,))
        )
        self._chunks = deque(orders[i : i + CHUNK] for i in range(0, len(orders), CHUNK))
        self._in_flight: deque[tuple[Sequence[PageOrder], Future[list[PageDone]]]] = deque()
        self.failure = ""  # why the worker stopped, when it did (its pages are then rendered here)
        self._top_up()

    def _top_up(self) -> None:
        while self._chunks and len(self._in_flight) < _CHUNKS_IN_FLIGHT and not self.failure:
            chunk = self._chunks.pop()
            self._in_flight.append((chunk, self._pool.submit(_render_chunk, chunk)))

    def share(self, render_here: Callable[[Sequence[PageOrder]], Iterator[object]]) -> Iterator[object]:
        """Every order done once: the worker's results as :class:`PageDone` lists, and whatever
        ``render_here`` yields for the small chunks this process takes from the front. The
        worker is kept fed after every page rendered here; if it cannot start or dies, the
        chunks it held are rendered here too (see :attr:`failure`)."""
        while self._chunks or self._in_flight:
            self._top_up()
            while self._in_flight and (self._in_flight[0][1].done() or not self._chunks):
                yield from self._finished()
            if self._chunks:
                chunk = self._chunks.popleft()
                if len(chunk) > _CHUNK_HERE:  # the rest goes back to the front, for here or the worker
                    self._chunks.appendleft(chunk[_CHUNK_HERE:])
                    chunk = chunk[:_CHUNK_HERE]
                for item in render_here(chunk):
                    yield item
                    if self._in_flight and self._in_flight[0][1].done():
                        yield from self._finished()

    def _finished(self) -> Iterator[list[PageDone]]:
        """The oldest chunk's pages (waiting for them); after a crash, nothing: its chunks come back here."""
        chunk, future = self._in_flight.popleft()
        try:
            result = future.result()
        except ValidationError:
            raise  # the folder refused a write: this process would be refused the same
        except Exception as exc:  # could not start (database unreachable…), was killed, or failed
            reason = str(exc).strip().splitlines()
            self.failure = mask_secrets(reason[0]) if reason else type(exc).__name__
            # Pages it wrote before it stopped are whole; rendered again here, they are recorded.
            self._chunks.extendleft(reversed([chunk, *(held for held, _ in self._in_flight)]))
            self._in_flight.clear()
            return
        yield result
        self._top_up()

    def close(self) -> list[PageDone]:
        """Stop the worker: chunks it has not taken are dropped, the ones it holds are finished.
        Returns their pages (whole on disk), for the caller to record."""
        finished: list[PageDone] = []
        for _chunk, future in self._in_flight:
            if not future.cancel():
                with contextlib.suppress(Exception):  # the caller is already raising its own error
                    finished.extend(future.result())
        self._in_flight.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)
        return finished
