"""The one way the window runs slow work: off the UI thread, with progress and cancel.

Every export, import, photo job and search over the archive goes through :func:`run_job`.
The work function runs on a pool thread and gets a :class:`JobContext`; its result, its
error or its cancellation comes back to the UI thread as a signal of the returned
:class:`BackgroundJob`. Work functions use the core's convention for long jobs: a
``progress(done, total, label)`` callable and a ``threading.Event`` to cancel.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)
_PROGRESS_INTERVAL = 0.05  # seconds: more progress signals than this only flood the event loop

# Jobs still running; Qt would delete a parentless BackgroundJob's signals under a running worker otherwise.
_running: set[BackgroundJob] = set()


class JobContext:
    """What a work function may use: report progress, and see whether it was cancelled."""

    def __init__(self, job: BackgroundJob) -> None:
        self._job = job
        self.cancel = threading.Event()
        self._last_report = 0.0

    @property
    def cancelled(self) -> bool:
        """True once the user asked to stop; the work should return or raise soon."""
        return self.cancel.is_set()

    def progress(self, done: int, total: int, label: str = "") -> None:
        """Report progress (thread-safe; reports closer than 50 ms apart are dropped, except the last)."""
        now = time.monotonic()
        if done < total and now - self._last_report < _PROGRESS_INTERVAL:
            return
        self._last_report = now
        self._job.progressed.emit(int(done), int(total), str(label))


class BackgroundJob(QObject):
    """A running piece of work. Exactly one of succeeded, failed or cancelled is emitted, then finished."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.context = JobContext(self)
        self._done = False
        self.finished.connect(self._forget)

    def cancel(self) -> None:
        """Ask the work to stop; ``cancelled`` follows once it has."""
        self.context.cancel.set()

    @property
    def is_running(self) -> bool:
        """True until the result, error or cancellation has been delivered."""
        return not self._done

    def _deliver(self, outcome: str, value: Any) -> None:
        # Runs on the UI thread (queued from the worker) so receivers may touch widgets.
        self._done = True
        if outcome == "ok":
            self.succeeded.emit(value)
        elif outcome == "cancelled":
            self.cancelled.emit()
        else:
            self.failed.emit(value)
        self.finished.emit()

    def _forget(self) -> None:
        _running.discard(self)


class _Outcome(QObject):
    """Carries the outcome from the worker thread to the BackgroundJob on the UI thread."""

    ready = Signal(str, object)


class _Runner(QRunnable):
    def __init__(self, job: BackgroundJob, work: Callable[[JobContext], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job = job
        self._work = work
        self._outcome = _Outcome()  # created on the UI thread, so its receiver slot runs there
        self._outcome.ready.connect(job._deliver)

    def run(self) -> None:
        context = self._job.context
        try:
            result = self._work(context)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the UI, never kill the pool
            outcome, value = ("cancelled", None) if context.cancelled else ("error", exc)
            if outcome == "error":  # shown to the user by the job's receiver; the log keeps the traceback
                log.warning("job %s failed: %s", self._job.name, exc, exc_info=exc)
        else:
            outcome, value = ("cancelled", None) if context.cancelled and result is None else ("ok", result)
        self._outcome.ready.emit(outcome, value)


def run_job(
    work: Callable[[JobContext], Any],
    *,
    name: str = "job",
    parent: QObject | None = None,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    pool: QThreadPool | None = None,
) -> BackgroundJob:
    """Start ``work(context)`` on a pool thread and return its :class:`BackgroundJob`.

    Callbacks are connected before the work starts, so none can be missed; they run on the
    UI thread. A work function that raises after being cancelled counts as cancelled.
    """
    job = BackgroundJob(name, parent)
    if on_success is not None:
        job.succeeded.connect(on_success)
    if on_failure is not None:
        job.failed.connect(on_failure)
    if on_progress is not None:
        job.progressed.connect(on_progress)
    if on_cancelled is not None:
        job.cancelled.connect(on_cancelled)
    _running.add(job)
    (pool or QThreadPool.globalInstance()).start(_Runner(job, work))
    return job


def wait_for_jobs(timeout_ms: int = 30_000) -> bool:
    """Block until every pool thread is idle (used at exit so no write is cut off)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
