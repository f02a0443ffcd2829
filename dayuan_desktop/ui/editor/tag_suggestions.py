"""Keeps the tag chips in step with the open article: load once, then suggest after the text settles.

Everything slow runs as a background job (``ui.jobs``): loading jieba's dictionary and the
archive's word counts (seconds, once), and each suggestion (tens of milliseconds). Typing only
restarts a one-second timer; a suggestion that arrives for an older text or another article is
dropped. The window's thread never waits for jieba.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, QTimer

from dayuan_desktop.ui.editor.tag_chips import TagChips
from dayuan_desktop.ui.jobs import run_job

SETTLE_MS = 1000  # after the last keystroke
OPEN_DELAY_MS = 50  # after an article is shown (its text is loaded; let it paint first)
# The window's own start (first list page, the article, QtWebEngine) gets the CPU first: the
# worker process and its seconds of dictionary loading start once that has settled.
LOAD_DELAY_MS = 3000

_pool: QThreadPool | None = None


def tag_pool() -> QThreadPool:
    """One thread of its own: the dictionary load (seconds) never holds up the window's other
    jobs (opening an article, saving), and each suggestion waits for the load to finish."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


# What the driver reads from the editor: (article id, title, summary, Markdown body, tags in the field).
Snapshot = tuple[int | None, str, str, str, list[str]]


class TagSuggestionDriver(QObject):
    """Runs the suggestion jobs for ``chips`` and hands the results over."""

    def __init__(self, chips: TagChips, snapshot: Callable[[], Snapshot], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chips = chips
        self._snapshot = snapshot
        self.engine = None  # a loaded core.tags SuggestionProcess (or SuggestionEngine)
        self._loading = False
        self._running = False  # a suggestion job is out; one more waits until it is back
        self._again = False
        self._generation = 0  # bumped by every edit: results for older text are stale
        self.timer = QTimer(self, singleShot=True, interval=SETTLE_MS, timeout=self._start)
        self._jobs: list = []  # the BackgroundJobs out, to cancel when the window closes
        self._stopped = False
        self._attached: object | None = None

    def attach(self, store, data_dir: Path, *, delay_ms: int | None = None) -> None:
        """Use this database's archive; loading starts after ``delay_ms`` (in a worker process, see core/tags/process.py)."""
        self.stop()
        self._loading = True
        self._stopped = False
        self.chips.show_status(self.tr("Loading the dictionary…"))
        wait = LOAD_DELAY_MS if delay_ms is None else delay_ms
        token = self._attached = object()  # a later attach (another database) makes this one moot
        QTimer.singleShot(wait, self, lambda: self._start_load(store, data_dir, token))

    def _start_load(self, store, data_dir: Path, token: object) -> None:
        if self._stopped or token is not self._attached:
            return
        url, in_memory = store.db.url, store.db.dialect == "sqlite" and store.db.sqlite_path is None

        def load(context):
            from dayuan_desktop.core.tags.engine import SuggestionEngine
            from dayuan_desktop.core.tags.process import SuggestionProcess

            # An in-memory database cannot be opened by another process: then it loads here.
            engine = SuggestionEngine(store, data_dir) if in_memory else SuggestionProcess(url, data_dir)
            try:
                engine.load(context.cancel, context.progress)
            except BaseException:
                if hasattr(engine, "close"):
                    engine.close()  # no worker left behind
                raise
            return engine

        self._track(run_job(load, name="tag-dictionary", parent=self, on_success=self._loaded,
                            on_failure=self._load_failed, on_progress=self._load_progress, pool=tag_pool()))

    def _track(self, job) -> None:
        self._jobs.append(job)
        job.finished.connect(lambda: self._jobs.remove(job) if job in self._jobs else None)

    def stop(self) -> None:
        """The window closes (or another database opens): cancel the jobs out, end the worker."""
        self._stopped = True
        self.timer.stop()
        for job in list(self._jobs):
            job.cancel()
        tag_pool().waitForDone(5_000)  # a cancelled load ends its worker within 50 ms
        self._running = self._again = False  # a cancelled job delivers nothing
        engine, self.engine = self.engine, None
        if engine is not None and hasattr(engine, "close"):
            engine.close()

    def _load_progress(self, done: int, total: int, label: str) -> None:
        if label == "archive" and total:
            self.chips.show_status(self.tr("Counting the archive's words… %1%").replace("%1", str(100 * done // total)))

    def _loaded(self, engine) -> None:
        self._loading = False
        if self._stopped:  # the window closed while the last step finished
            if hasattr(engine, "close"):
                engine.close()
            return
        self.engine = engine
        self.chips.show_status("")
        self.schedule(OPEN_DELAY_MS)

    def _load_failed(self, error: BaseException) -> None:
        self._loading = False
        self.chips.show_status(self.tr("Tag suggestions are unavailable: %1").replace("%1", str(error)))

    def article_shown(self) -> None:
        """Another article is shown: the last one's chips go at once, its own follow shortly."""
        if not self._loading:
            self.chips.show_status("")
        self.schedule(OPEN_DELAY_MS)

    def schedule(self, delay_ms: int = SETTLE_MS) -> None:
        """The text changed (or another article is shown): suggest again once it has settled."""
        self._generation += 1
        if self.engine is None or self._loading:
            return  # the load's end schedules the first suggestion
        self.timer.start(delay_ms)

    def _start(self) -> None:
        if self._running:
            self._again = True
            return
        article_id, title, summary, body, tags = self._snapshot()
        if article_id is None or self.engine is None:
            self.chips.show_status("")
            return
        from dayuan_desktop.core.tags.suggest import ArticleText

        article = ArticleText(title, summary, body, tuple(tags))
        engine, generation = self.engine, self._generation
        self._running = True
        self._track(run_job(lambda context: engine.suggest(article), name="tag-suggestions", parent=self,
                            on_success=lambda found: self._show(found, generation, article_id),
                            on_failure=self._suggest_failed, pool=tag_pool()))

    def _show(self, found: list[str], generation: int, article_id: int) -> None:
        self._running = False
        current_id, *_rest, tags = self._snapshot()
        if generation == self._generation and current_id == article_id:
            taken = {tag.casefold() for tag in tags}  # typed in while the job ran
            self.chips.show_tags([tag for tag in found if tag.casefold() not in taken])
        if self._again:  # the timer fired while this job ran: the newer text's turn
            self._again = False
            self._start()

    def _suggest_failed(self, error: BaseException) -> None:
        self._running = False
        self.chips.show_status(self.tr("Tag suggestions are unavailable: %1").replace("%1", str(error)))
