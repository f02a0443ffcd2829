"""The window's side of leases and the live list: who edits what, takeovers, colleagues' changes.

Every ``POLL_MS`` a job reads one change marker, the live leases and (while holding one) my
own lease (``core.live.poll``); every ``RENEW_SECONDS`` that read is a renewal instead. The
poll is what makes a takeover visible within seconds: the holder's next poll finds the lease
in someone else's name, abandons its session (nothing more is saved from that window), turns
the editor read-only with a bar naming the taker, and sends its unsaved text to the store,
which refuses it by the version check and keeps it as a ``conflict`` revision.

On PostgreSQL the server also sends a notice whenever articles, channels or leases change
(``core.live_notices``); a notice starts a poll at once, so colleagues' changes and takeovers
show within a fraction of a second there, and the tick remains the safety net.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from dayuan_desktop.core.enums import RevisionKind
from dayuan_desktop.core.errors import ConflictError
from dayuan_desktop.ui.autosave import changed_values
from dayuan_desktop.ui.jobs import run_job

if TYPE_CHECKING:
    from dayuan_desktop.core.leases import Lease, LeaseCheck
    from dayuan_desktop.core.live import NewsroomState
    from dayuan_desktop.core.records import ArticleRecord
    from dayuan_desktop.ui.main_window import MainWindow

POLL_MS = 2000  # a takeover or a colleague's new article shows within ~2 s (the brief: within 5)
RENEW_SECONDS = 30


def open_for_edit(store, article_id: int, previous: int | None) -> tuple[ArticleRecord, LeaseCheck]:
    """(Worker) give up the previous article's lease, take this one's, then load it (so the load is
    never older than the lease)."""
    if previous is not None and previous != article_id:
        store.leases.release(previous)
    check = store.leases.take(article_id)
    return store.get_article(article_id), check


def take_over_and_load(store, article_id: int) -> tuple[ArticleRecord, LeaseCheck]:
    """(Worker) take the lease from its holder, then load the article as it is after that."""
    store.leases.take_over(article_id)
    return store.get_article(article_id), store.leases.check(article_id)


def keep_lost_edits(store, record: ArticleRecord, changes: dict) -> int | None:
    """(Worker) send the text typed before a takeover was noticed; the version check refuses it and
    the store keeps it as a ``conflict`` revision, whose id is returned."""
    try:
        store.update_article(record.id, changes, expected_version=record.version, kind=RevisionKind.AUTOSAVE)
    except ConflictError as conflict:
        return conflict.kept_revision_id
    return None  # no takeover raised the version (the lease had expired unused): saved as usual


class EditingLeases(QObject):
    """Holds the open article's lease and keeps the list live for one main window."""

    lost = Signal(str)  # my lease was taken over, by this user
    newsroomChanged = Signal()  # another client changed articles or channels (the list is refetched)
    _noticed = Signal()  # a change notice arrived (emitted on the listening thread, handled on the UI's)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._timer = QTimer(self, interval=POLL_MS, timeout=self.poll_now)
        self._holding: int | None = None  # the article whose lease is mine
        self._viewing: int | None = None  # the article shown read-only (someone else's)
        self._taken_by: str | None = None  # who took my lease over (the bar says so until I leave)
        self._renewed = 0.0
        self._marker = None
        self._busy = False
        self._again = False  # a notice came while a poll was out: poll once more when it is back
        self._stop_notices = None
        self._noticed.connect(self.poll_now)

    @property
    def holding(self) -> int | None:
        """The article whose lease this window holds."""
        return self._holding

    def start(self, marker=None) -> None:
        """Poll from now on (the database is open); ``marker``: the change marker read before the
        window loaded its channels and list, so that the first poll already sees what changed since."""
        self._marker = marker
        self._timer.start()
        self.poll_now()
        from dayuan_desktop.core.live_notices import listen_in_background, notices_available

        if self._stop_notices is None and notices_available(self.window.store.db):
            self._stop_notices = stop = listen_in_background(self.window.store.db, self._noticed.emit)
            # A window deleted without stop() (a test's teardown, a crash path) must get no more emits;
            # the slot holds only ``stop``, never self.
            self.destroyed.connect(lambda *_args: stop())

    def stop(self) -> None:
        """Stop polling and give the lease back now (the window closes; a quick single write)."""
        self.pause_polling()
        held, self._holding = self._holding, None
        if held is not None and self.window.store is not None:
            with contextlib.suppress(Exception):  # an unreachable server: the lease expires by itself
                self.window.store.leases.release(held)

    def pause_polling(self) -> None:
        """Neither the tick nor change notices start a poll any more (the lease stays held)."""
        self._timer.stop()
        if self._stop_notices is not None:
            self._stop_notices()
            self._stop_notices = None

    # -- opening and leaving ----------------------------------------------------------------------------
    def leave(self) -> int | None:
        """Another article is being opened (or this one trashed): returns the lease to release."""
        held, self._holding, self._viewing, self._taken_by = self._holding, None, None, None
        return held

    def release(self, article_id: int) -> None:
        """Give a lease back in the background."""
        store = self.window.store
        run_job(lambda _context: store.leases.release(article_id), name="release-lease", parent=self)

    def resume(self, article_id: int | None) -> None:
        """The article shown stays (its replacement failed to open): hold it again at the next poll."""
        if article_id is not None and self._viewing is None:
            self._holding, self._renewed = article_id, 0.0

    def opened(self, record: ArticleRecord, check: LeaseCheck) -> None:
        """An article is shown: editable when its lease is mine, else read-only with the holder's bar."""
        editor = self.window.editor
        self._taken_by = None
        self._renewed = time.monotonic()
        if check.mine or check.holder is None:
            self._holding, self._viewing = record.id, None
            return
        self._holding, self._viewing = None, record.id
        editor.set_locked(True)
        editor.lease_bar.show_holder(check.holder.user_name, check.holder.held_seconds)
        self.window.photo_area.setEnabled(False)

    def take_over(self) -> None:
        """The bar's Take over: take the lease, then show the article as it is after that."""
        article_id = self._viewing
        if article_id is None or self.window.store is None:
            return
        store, window = self.window.store, self.window
        window._opening_id = article_id
        run_job(lambda _context: take_over_and_load(store, article_id), name="take-over", parent=window,
                on_success=window._show_article, on_failure=window._open_failed)

    def on_conflict(self, error, mine: dict) -> None:
        """A save was refused as a conflict: after a takeover that is the lease lost (read-only bar, no
        dialog: the text is already a revision); otherwise the window's conflict dialog."""
        holding, store, window = self._holding, self.window.store, self.window
        if holding is None or store is None:
            window._conflict(error, mine)
            return

        def settle(check: LeaseCheck) -> None:
            if not check.mine and check.holder is not None:  # taken over: no dialog, the text is a revision
                if self._holding == holding:  # else the poll has already turned the window read-only
                    self._lose(check.holder)
                return
            window._conflict(error, mine)

        run_job(lambda _context: store.leases.check(holding), name="lease-check", parent=self,
                on_success=settle, on_failure=lambda _error: window._conflict(error, mine))

    # -- polling -------------------------------------------------------------------------------------------
    def poll_now(self) -> None:
        """Ask the database what changed (skipped while the previous poll is still out)."""
        store = self.window.store
        if store is None or self._busy:
            self._again = store is not None
            return
        self._busy = True
        holding = self._holding
        renew = holding is not None and time.monotonic() - self._renewed >= RENEW_SECONDS
        from dayuan_desktop.core.live import poll

        run_job(lambda _context: poll(store.leases, holding, renew=renew), name="newsroom-poll", parent=self,
                on_success=lambda state: self._polled(state, holding, renew), on_failure=self._poll_failed)

    def refresh_now(self) -> None:
        """F5: fetch the list and the channels again at once, and poll."""
        self._refresh()
        self.poll_now()

    def _poll_failed(self, _error: BaseException) -> None:
        self._busy = self._again = False  # a network hiccup: the next tick tries again

    def _polled(self, state: NewsroomState, holding: int | None, renew: bool) -> None:
        self._busy = False
        if self._again:
            self._again = False
            QTimer.singleShot(0, self, self.poll_now)  # dropped if the window is gone
        if renew:
            self._renewed = time.monotonic()
        me = self.window.store.leases.session_id
        others = {i: lease.user_name for i, lease in state.leases.items() if lease.session_id != me}
        self.window.article_list.model.set_holders(others)
        if self._marker is not None and state.marker != self._marker:
            self._refresh()
            self.newsroomChanged.emit()
        self._marker = state.marker
        mine = state.mine
        if holding is not None and holding == self._holding and mine is not None and not mine.mine:
            if mine.holder is None:
                self._renewed = 0.0  # expired unused (a sleeping laptop): the next poll takes it back
            else:
                self._lose(mine.holder)
        elif self._viewing is not None and self._viewing == self.window.editor.article_id:
            self._watch(state.leases.get(self._viewing), me)

    def _watch(self, lease: Lease | None, me: str) -> None:
        """The article shown read-only: free again → editable; still held → the bar's time moves on."""
        if lease is None or lease.session_id == me:
            self.window.open_article(self._viewing, again=True)
        elif self._taken_by is None:
            self.window.editor.lease_bar.show_holder(lease.user_name, lease.held_seconds)

    def _lose(self, taker: Lease) -> None:
        window = self.window
        article_id, record = self._holding, window.session.record
        changes = {}
        if record is not None and record.id == article_id:
            changes = changed_values(record, window.editor.values())
        window.session.abandon()  # from here nothing of mine is saved over the taker's
        self._holding, self._viewing, self._taken_by = None, article_id, taker.user_name
        window.editor.set_locked(True)
        window.editor.lease_bar.show_taken(taker.user_name)
        window.photo_area.setEnabled(False)
        if changes:
            store = window.store
            run_job(lambda _context: keep_lost_edits(store, record, changes), name="keep-lost-edits", parent=self)
        self.lost.emit(taker.user_name)

    def _refresh(self) -> None:
        window = self.window
        window.article_list.refresh_live()
        store = window.store

        def show(channels) -> None:
            window.article_list.set_channels(channels)
            window.editor.set_channels(channels)

        run_job(lambda _context: store.list_channels(), name="channels", parent=self, on_success=show)
