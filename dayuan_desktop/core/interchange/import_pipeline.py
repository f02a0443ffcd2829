"""Importing many files at archive speed: workers read, one writer writes in batches.

``import`` of 10,000 files one at a time was one transaction, a few dozen ORM statements and
one search-index insert per file (~56 files/s). Here worker processes read, parse and check
the files and make their search-index entries (``import_prepare``), and this process writes
them ``BATCH`` files per transaction with a few executemany statements (``import_writer``).

What a one-file import guarantees still holds:

* each file is all or nothing: a file is checked against the database and the files before
  it before anything is written, and a batch is one transaction; a batch that fails anyway
  (a race with another writer) is rolled back and its files imported one at a time;
* a failing file is reported by name and the others are imported;
* portal pages with photos are batched too: a worker reads and checks their images and makes
  their web renditions, the writer stores and links the photos in the batch's transaction
  (``import_writer_photos``) and, after the commit, makes whatever rendition is still missing;
* Markdown files with photos, and files naming a uuid already stored (an update, a merge, a
  conflict copy), are imported exactly as the one-file import does, in their place in the
  order, so numbers are given as one file after the other would get them;
* a file without a uuid gets one made from the database's identity and the file's bytes, so a
  run killed midway (a batch is committed whole or not at all) and started again skips what
  came in and imports the rest; the same file given twice is one article.

Workers die with this process (``core.lifeline``), SIGKILL included.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dayuan_desktop.core.interchange import PAGE_SUFFIXES
from dayuan_desktop.core.interchange.import_prepare import (
    ImportItem,
    Prepared,
    PrepareOptions,
    file_uuid,
    prepare_items,
)
from dayuan_desktop.core.interchange.import_writer import Written, write_batch
from dayuan_desktop.core.interchange.markdown_files import ImportOutcome, unexpected_failure
from dayuan_desktop.core.logs import log
from dayuan_desktop.core.photos.incoming import WebRenditions
from dayuan_desktop.core.site import SiteSettings

__all__ = ["ImportItem", "ImportOptions", "import_items"]

ALREADY = "already in the database (imported from the same file before): nothing changed"

BATCH = 500  # files per transaction
BATCH_PHOTO_BYTES = 64 * 1024 * 1024  # a batch's photos held in memory at most (then it is written)
POOL_FROM = 200  # fewer files are read in this process: starting workers costs more than it saves
CHUNK = 50  # files per task sent to a worker
# Tasks handed to the workers ahead of the writer: over two batches, so the workers read the
# next batch while the writer writes one (with 4 they sat idle during each write and the
# writer then waited for them: 2 s of a 7-s import of 3,000 files).
IN_FLIGHT = 2 * BATCH // CHUNK + 4


@dataclass(frozen=True)
class ImportOptions:
    """How files are imported (as ``import``'s options say)."""

    create_channels: bool = False
    allow_outside: bool = False
    site_timezone: str = "Asia/Shanghai"
    site: SiteSettings | None = None
    renditions: WebRenditions | None = None
    workers: int | None = None  # worker processes; None: as many as help (see worker_count); 0: none
    channel_names: Mapping[str, str] = field(default_factory=dict)  # names of channels created, by path


def import_items(
    store, items: Sequence[ImportItem | Path], options: ImportOptions = ImportOptions(),
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[ImportOutcome]:
    """Import ``items`` (files, each with an optional channel), yielding each file's outcome in order.

    ``progress(done, total)`` after each batch. See the module doc for what is guaranteed.
    """
    from dayuan_desktop.core.site import load_site_settings

    items = [item if isinstance(item, ImportItem) else ImportItem(Path(item)) for item in items]
    site = options.site or load_site_settings(store.db)
    renditions = options.renditions
    prepare = PrepareOptions(store.database_id, store.search_index.dialect, options.site_timezone, site,
                             options.allow_outside,
                             (renditions.cache_dir, renditions.long_side) if renditions is not None else None)
    one_file = _OneFile(store, options, site, prepare)
    done = 0
    for batch in _batches(_prepared(items, prepare, options.workers)):
        for outcome in _write(store, batch, options, one_file):
            done += 1
            yield outcome
        if progress is not None:
            progress(done, len(items))


def _batches(prepared: Iterator[Prepared]) -> Iterator[list[Prepared]]:
    """The prepared files in transactions of ``BATCH`` files; the first is one worker task's
    chunk, so the writer starts as soon as one task is done instead of idling until ``BATCH``
    files are read."""
    batch: list[Prepared] = []
    photo_bytes = 0
    size = min(CHUNK, BATCH)
    for item in prepared:
        batch.append(item)
        photo_bytes += sum(len(photo.file.data) for photo in item.photos)
        if len(batch) >= size or photo_bytes >= BATCH_PHOTO_BYTES:
            yield batch
            batch, photo_bytes, size = [], 0, BATCH
    if batch:
        yield batch


def _write(store, batch: list[Prepared], options: ImportOptions, one_file: _OneFile) -> Iterator[ImportOutcome]:
    """The batch's outcomes in order: runs of ready files written together, the others one by one."""
    start = 0
    while start < len(batch):
        first = batch[start]
        if first.error is not None:
            yield ImportOutcome(first.item.path, None, first.error)
            start += 1
            continue
        if first.slow:
            yield one_file(first.item)
            start += 1
            continue
        end = start
        while end < len(batch) and batch[end].error is None and not batch[end].slow:
            end += 1
        written, taken = _write_run(store, batch[start:end], options, one_file)
        yield from written
        start += taken
        if start < end:  # the writer stopped at a file it leaves to the one-file import
            yield one_file(batch[start].item)
            start += 1


def _write_run(store, run: list[Prepared], options: ImportOptions, one_file: _OneFile) -> tuple[list[ImportOutcome], int]:
    """One transaction for ``run``; on an unforeseen failure, each file of it one at a time."""
    try:
        with store.db.session(write=True) as session:
            written, taken = write_batch(store, session, run, create_channels=options.create_channels,
                                         channel_names=options.channel_names)
    except Exception as exc:  # noqa: BLE001 - e.g. another writer took a number: file by file, each its own error
        log.warning("a batch of %d files failed (%s); importing them one at a time", len(run), exc)
        return [one_file(prepared.item) for prepared in run], len(run)
    records = {r.id: r for r in store.get_articles([w.article_id for w in written if w.article_id is not None])}
    failed = _renditions(store, options.renditions, written)
    return [_outcome(w, records, failed) for w in written], taken


def _renditions(store, renditions: WebRenditions | None, written: list[Written]) -> dict[str, str]:
    """After the commit: the web renditions the workers could not make, made here; sha256 → why
    a photo still has none (the export makes it)."""
    shas = [item.record.sha256 for w in written for item in w.stored]
    if renditions is None or not shas:
        return {}
    from dayuan_desktop.core.photos.ready_renditions import prepare_renditions

    originals = {photo.file.sha256: photo.file.data for w in written for photo in w.prepared.photos}
    try:
        report = prepare_renditions(store, renditions.cache_dir, shas, long_side=renditions.long_side,
                                    thumbnails=renditions.thumbnails, originals=originals)
    except Exception as exc:  # noqa: BLE001 - the photos are in (committed); the export makes what is missing
        log.warning("web renditions not made now", exc_info=exc)
        return dict.fromkeys(shas, str(exc) or type(exc).__name__)
    return report.failed


def _outcome(written: Written, records: dict, failed: dict[str, str]) -> ImportOutcome:
    path = written.prepared.item.path
    if written.error is not None:
        return ImportOutcome(path, None, written.error, duplicate=written.duplicate)
    warnings = written.prepared.warnings if written.warnings is None else written.warnings
    if written.already:
        warnings = (*warnings, ALREADY)
    shas = dict.fromkeys(item.record.sha256 for item in written.stored)
    not_rendered = tuple((sha, failed[sha]) for sha in shas if sha in failed)
    return ImportOutcome(path, records[written.article_id], None, warnings, not_rendered, already=written.already)


class _OneFile:
    """Import one file the one-file way (photos, updates, merges), with its file uuid when it names none."""

    def __init__(self, store, options: ImportOptions, site: SiteSettings, prepare: PrepareOptions) -> None:
        self.store, self.options, self.site, self.prepare = store, options, site, prepare

    def __call__(self, item: ImportItem) -> ImportOutcome:
        from dayuan_desktop.core.interchange.markdown_files import import_markdown_file
        from dayuan_desktop.core.interchange.portal_pages import import_portal_page

        path, options = item.path, self.options
        try:
            new_uuid = file_uuid(self.prepare.database_id, path.read_bytes())
            already = _article_id(self.store, new_uuid)
        except Exception as exc:  # noqa: BLE001 - unreadable now: the import below says why, in its words
            log.debug("no file uuid for %s: %s", path, exc)
            new_uuid, already = None, None
        if already is not None:
            return ImportOutcome(path, self.store.get_article(already), None, (ALREADY,), already=True)
        try:
            if path.suffix.lower() in PAGE_SUFFIXES:
                return import_portal_page(self.store, path, create_channels=options.create_channels, site=self.site,
                                          allow_outside=options.allow_outside, renditions=options.renditions,
                                          new_uuid=new_uuid, channel=item.channel, mirror=item.mirror,
                                          channel_names=options.channel_names)
            return import_markdown_file(self.store, path, create_channels=options.create_channels,
                                        site_timezone=options.site_timezone, allow_outside=options.allow_outside,
                                        renditions=options.renditions, new_uuid=new_uuid, channel=item.channel)
        except Exception as exc:  # noqa: BLE001 - the batch must go on
            return ImportOutcome(path, None, unexpected_failure(path, exc))


def _article_id(store, uuid: str) -> int | None:
    from sqlalchemy import text

    with store.db.session() as session:
        return session.execute(text("SELECT id FROM articles WHERE uuid = :u"), {"u": uuid}).scalar()


# -- reading in worker processes ---------------------------------------------------------------


def worker_count(asked: int | None, items: Sequence[ImportItem], dialect: str, cores: int | None = None) -> int:
    """How many worker processes read files: none for a few files, else one per core (at most 2),
    but one core left to the writer when the writer is the slower side.

    That is the case for Markdown files into SQLite: a worker spends ~1.3 ms on an article, the
    writer ~1.6 ms (most of it in FTS5). With two workers and the writer on two cores, the writer
    got two thirds of a core while the workers ran ahead: 10,000 files took 19.6–19.9 s against
    16.7–17.0 s with one worker. Portal pages (HTML parsing, photos) make the workers the slower
    side (1,000 pages: 3.5 s with two workers, 4.5 s with one), and on PostgreSQL the server
    does the index work, so these keep a worker per core.
    """
    if asked is not None:
        return max(0, asked)
    if len(items) < POOL_FROM:
        return 0
    cores = cores or os.cpu_count() or 1
    writer_bound = dialect == "sqlite" and not any(_is_page(item.path) for item in items)
    return max(1, min(2, cores - 1 if writer_bound else cores))


def _is_page(path: Path) -> bool:
    return path.suffix.lower() in PAGE_SUFFIXES


def _prepared(items: list[ImportItem], options: PrepareOptions, workers: int | None) -> Iterator[Prepared]:
    """Each item prepared, in order: by worker processes for many files, else here."""
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    count = worker_count(workers, items, options.dialect)
    if count == 0:
        for chunk in chunks:
            yield from prepare_items(chunk, options)
        return
    from dayuan_desktop.core.export.page_workers import worker_context
    from dayuan_desktop.core.lifeline import pool_arguments

    pool = ProcessPoolExecutor(count, mp_context=worker_context(), **pool_arguments())
    try:
        # The writer reads while it waits only when it has a core to itself: beside a worker per
        # core it would take their CPU (1,000 portal pages with two workers: 3.43 s with it, 3.23 s without).
        yield from _in_order(chunks, pool, options, help_here=count < (os.cpu_count() or 1))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _in_order(
    chunks: list[list[ImportItem]], pool: ProcessPoolExecutor, options: PrepareOptions, *, help_here: bool = True,
) -> Iterator[Prepared]:
    """The chunks' files prepared, in order: ``IN_FLIGHT`` chunks ahead with the workers, and
    (``help_here``) whenever the next chunk is not ready, the first chunk not handed out read here meanwhile.

    This process writes; it would otherwise wait for a worker with its core idle (with one
    worker beside the writer, 10,000 files: the writer waited ~1 s). Chunks read here take
    their place in the order like any other.
    """
    waiting = deque(chunks)  # not handed out yet
    pending: deque[tuple[list[ImportItem], Future]] = deque()

    def hand_out() -> None:
        while waiting and len(pending) <= IN_FLIGHT:
            chunk = waiting.popleft()
            pending.append((chunk, pool.submit(prepare_items, chunk, options)))

    hand_out()
    while pending:
        chunk, future = pending.popleft()
        while help_here and waiting and not future.done():
            here = waiting.popleft()
            done: Future = Future()
            done.set_result(prepare_items(here, options))
            pending.append((here, done))
        yield from _result(chunk, future, options)
        hand_out()


def _result(chunk: list[ImportItem], future, options: PrepareOptions) -> list[Prepared]:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory): read its files here
        log.warning("an import worker failed (%s); reading its files in this process", exc)
        return prepare_items(chunk, options)
