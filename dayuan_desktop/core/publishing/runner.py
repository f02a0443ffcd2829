"""Sending a plan: batch after batch, each over several connections at once, then deletions.

A file's record is written the moment the server confirmed it. A file the server refuses is
reported by name and retried next run; a stage with a refused file is the last one started
(a page must not go up when one of its photos did not). A broken connection, or ``cancel``,
stops the run after the files already in flight.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dayuan_desktop.core.publishing.connection import Connection, FileFailed
from dayuan_desktop.core.publishing.plan import PublishPlan
from dayuan_desktop.core.publishing.record import TargetRecord
from dayuan_desktop.core.publishing.scan import SiteFile

# A batch this small goes over the connections already open (one, usually) instead of opening more.
FEW_FILES = 8
FEW_BYTES = 4 << 20


@dataclass(frozen=True)
class PublishProgress:
    """Where a run stands: files and bytes done of the totals, and the file last finished."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    path: str = ""


ProgressCallback = Callable[[PublishProgress], None]


@dataclass
class PublishReport:
    """What a run did (or, for a dry run, would do)."""

    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    unchanged: int = 0
    deletes_held: int = 0
    repaired: list[str] = field(default_factory=list)  # --verify found these wrong or missing on the server
    cancelled: bool = False
    dry_run: bool = False

    def summary(self) -> str:
        """The last line the command prints: ``N uploaded, M unchanged, K deleted``."""
        return f"{len(self.uploaded)} uploaded, {self.unchanged} unchanged, {len(self.deleted)} deleted"


class _Pool:
    """Up to ``size`` connections, opened when first needed, each used by one thread at a time."""

    def __init__(self, opener: Callable[[], Connection], size: int, first: Connection | None) -> None:
        self.opener, self.size, self.idle = opener, size, queue.SimpleQueue()
        self.opened = [first] if first else []
        if first:
            self.idle.put(first)
        self.lock = threading.Lock()

    def take(self) -> Connection:
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            with self.lock:
                if len(self.opened) < self.size:
                    try:
                        connection = self.opener()
                    except Exception:
                        if not self.opened:
                            raise
                        self.size = len(self.opened)  # the server takes no more connections: use fewer
                    else:
                        self.opened.append(connection)
                        return connection
            return self.idle.get()

    def give_back(self, connection: Connection) -> None:
        self.idle.put(connection)

    def close(self) -> None:
        for connection in self.opened:
            with contextlib.suppress(Exception):  # a broken connection may fail to close politely
                connection.close()


def run_plan(plan: PublishPlan, record: TargetRecord, site: Path, opener: Callable[[], Connection], *,
             connections: int = 4, first: Connection | None = None, progress: ProgressCallback | None = None,
             cancel: threading.Event | None = None) -> PublishReport:
    """Send ``plan``'s batches in order, then its deletions; returns what was done."""
    report = PublishReport(unchanged=plan.unchanged, deletes_held=plan.deletes_held)
    cancel = cancel or threading.Event()
    total_files, total_bytes = len(plan.uploads) + len(plan.deletes), plan.upload_bytes
    state = {"files": 0, "bytes": 0}
    lock = threading.Lock()

    def advance(path: str, size: int) -> None:
        with lock:
            state["files"] += 1
            state["bytes"] += size
            snapshot = PublishProgress(state["files"], total_files, state["bytes"], total_bytes, path)
        if progress:
            progress(snapshot)

    pool = _Pool(opener, max(1, connections), first)
    try:
        for batch in plan.batches:
            _send_batch(batch.files, record, site, pool, report, advance, cancel)
            if report.failed or cancel.is_set():
                report.cancelled = cancel.is_set()
                return report
        for path in plan.deletes:  # one connection: few, small requests, and the order matters little
            if cancel.is_set():
                report.cancelled = True
                return report
            _delete_one(path, record, pool, report)
            advance(path, 0)
    finally:
        pool.close()
    return report


def _send_batch(files: list[SiteFile], record: TargetRecord, site: Path, pool: _Pool, report: PublishReport,
                advance: Callable[[str, int], None], cancel: threading.Event) -> None:
    broken: list[BaseException] = []
    lock = threading.Lock()

    def send(item: SiteFile) -> None:
        if cancel.is_set() or broken:
            return
        connection = pool.take()
        try:
            connection.upload(site / item.path, item.path)
        except FileFailed as exc:
            pool.give_back(connection)
            with lock:
                report.failed.append((item.path, exc.reason))
            return
        except BaseException as exc:  # the connection is broken: stop the run, this one is not reused
            with lock:
                broken.append(exc)
            return
        pool.give_back(connection)
        record.confirm_upload(item.path, item.sha256)
        with lock:
            report.uploaded.append(item.path)
        advance(item.path, item.size)

    workers = _workers_for(files, pool)
    if workers == 1:  # no thread, no second connection: the usual one-article publish
        for item in files:
            send(item)
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="publish") as executor:
            list(executor.map(send, files))
    if broken:
        raise broken[0]


def _workers_for(files: list[SiteFile], pool: _Pool) -> int:
    """How many connections a batch uses: one more connection costs an SSH handshake (and a
    login on the server), which outweighs sending a handful of small files one after another;
    connections already open are used anyway."""
    if len(files) <= FEW_FILES and sum(item.size for item in files) <= FEW_BYTES:
        return max(1, min(len(pool.opened), len(files)))
    return max(1, min(pool.size, len(files)))


def _delete_one(path: str, record: TargetRecord, pool: _Pool, report: PublishReport) -> None:
    connection = pool.take()
    try:
        connection.delete(path)
    except FileFailed as exc:
        report.failed.append((path, exc.reason))
        return
    finally:
        pool.give_back(connection)
    record.confirm_delete(path)
    report.deleted.append(path)
