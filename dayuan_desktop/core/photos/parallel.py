"""Renditions on all cores, streamed: a few jobs in flight, originals read only as workers free up.

Both the export and :func:`~dayuan_desktop.core.photos.renditions.make_renditions` go
through here. What it avoids, each measured as a cost before:

* a barrier per batch (``pool.map`` over eight photos waits for the slowest of them while
  the other core idles);
* every original read and pickled up front (a 10,000-photo export would hold gigabytes);
* a process pool started when nothing needs making (a warm rendition cache).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TypeVar

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.lifeline import pool_arguments
from dayuan_desktop.core.photos.renditions import (
    DEFAULT_LONG_SIDE,
    Rendition,
    RenditionProgress,
    RenditionText,
    make_web_rendition,
)

Request = TypeVar("Request")  # what the caller tracks per photo (an export job, a photo to cache)
# Jobs in flight per worker: one being made, one waiting in the pipe, so a worker never waits
# for the main process to read the next original from the database.
_IN_FLIGHT_PER_WORKER = 2


def process_context() -> multiprocessing.context.BaseContext:
    """``spawn``, not fork: the window exports from a thread, and forking a process that has
    Qt's threads running can deadlock the child."""
    return multiprocessing.get_context("spawn")


def render_one(original: bytes, long_side: int, text: RenditionText | None) -> Rendition | ValidationError:
    """One rendition, or the :class:`ValidationError` of a photo that cannot be made (runs in a worker)."""
    try:
        return make_web_rendition(original, long_side=long_side, text=text)
    except ValidationError as exc:
        return exc  # one bad photo must not lose the others' renditions


def stream_renditions(
    jobs: Iterable[Request],
    original: Callable[[Request], bytes],
    text: Callable[[Request], RenditionText | None],
    *,
    long_side: int,
    workers: int | None = None,
) -> Iterator[tuple[Request, Rendition | ValidationError]]:
    """Each job with its rendition (or error), in the order they are finished.

    ``original(job)`` is called in this process just before the job is handed to a worker.
    ``workers`` is the number of processes (None: one per core); with 1, or a single job,
    everything runs here and no process is started. Closing the iterator early (a
    cancelled export) cancels what has not started and does not wait for results.
    """
    jobs = list(jobs)
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or len(jobs) < 2:
        for job in jobs:
            yield job, render_one(original(job), long_side, text(job))
        return
    pending = iter(jobs)
    in_flight: dict[Future, Request] = {}
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=process_context(),
                               **pool_arguments())  # workers die with this process
    finished = False
    try:
        while True:
            while len(in_flight) < workers * _IN_FLIGHT_PER_WORKER:
                job = next(pending, None)
                if job is None:
                    break
                in_flight[pool.submit(render_one, original(job), long_side, text(job))] = job
            if not in_flight:
                break
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                yield in_flight.pop(future), future.result()
        finished = True
    finally:
        # Early close: drop queued jobs and return at once; the workers exit after their current photo.
        pool.shutdown(wait=finished, cancel_futures=True)


def make_renditions(
    originals: Sequence[bytes | tuple[bytes, RenditionText | None]],
    *,
    long_side: int = DEFAULT_LONG_SIDE,
    workers: int | None = None,
    progress: RenditionProgress | None = None,
) -> list[Rendition | ValidationError]:
    """Renditions of many photos on all cores (``workers``: processes; 1 runs here), in input order.

    A photo that cannot be rendered gives its :class:`ValidationError` in its place.
    ``progress(done, total)`` is called after each photo, from this thread.
    """
    items = [(item, None) if isinstance(item, bytes) else (item[0], item[1]) for item in originals]
    total = len(items)
    report = progress or (lambda done, total: None)
    results: list[Rendition | ValidationError | None] = [None] * total
    made = stream_renditions(range(total), lambda i: items[i][0], lambda i: items[i][1],
                             long_side=long_side, workers=workers)
    for done, (index, result) in enumerate(made, start=1):
        results[index] = result
        report(done, total)
    return results  # type: ignore[return-value]
