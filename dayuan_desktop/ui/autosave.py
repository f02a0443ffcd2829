"""The open article's saving: autosave after a typing pause, manual save, conflicts.

Edits go straight to the database as ``autosave`` revisions: a second after typing pauses,
and at the latest ~2 s after the first unsaved keystroke while typing goes on, so a crash
loses at most the last two seconds. There is no separate recovery file, so a clean exit can
never lead to a recovery prompt. Saves run as jobs; the UI thread only collects the values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from dayuan_desktop.core.enums import RevisionKind
from dayuan_desktop.core.errors import ConflictError, PublishedAddressError
from dayuan_desktop.ui.jobs import run_job

if TYPE_CHECKING:
    from dayuan_desktop.core.records import ArticleRecord


PAUSE_MS = 1000  # save this long after the last keystroke
MAX_WAIT_MS = 1800  # …but never later than this after the first unsaved one


class SaveState(StrEnum):
    """What the status bar says about the open article."""

    SAVED = "saved"
    UNSAVED = "unsaved"
    SAVING = "saving"
    FAILED = "failed"
    CONFLICT = "conflict"


def changed_values(record: ArticleRecord, values: dict) -> dict:
    """The fields in ``values`` that differ from the saved record."""
    changes = {}
    for name, value in values.items():
        saved = getattr(record, name)
        if name == "tags":
            saved, value = tuple(saved), tuple(value)
        if saved != value:
            changes[name] = value
    return changes


def explicit_clears(record: ArticleRecord, changes: dict) -> list[str]:
    """Number or publish time the editor emptied on purpose (the store keeps an empty one).

    Only for an article that is not published or withdrawn: the form always shows their
    stored values (it reloads them after each save), so an empty one was emptied by hand.
    """
    public = ("published", "withdrawn")
    if record.status in public or changes.get("status", record.status) in public:
        return []
    return [name for name in ("number", "published_at")
            if name in changes and changes[name] is None and getattr(record, name) is not None]


class _Flight:
    """One save on its way: filled in by the worker, applied once on the UI thread."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: ArticleRecord | None = None
        self.error: BaseException | None = None
        self.applied = False


class ArticleSession(QObject):
    """Keeps one open article saved; says when it is saved, failing, or in conflict."""

    stateChanged = Signal(str)
    saved = Signal(object)  # the saved ArticleRecord
    saveFailed = Signal(str)
    conflicted = Signal(object, dict)  # the ConflictError, the values that lost

    def __init__(self, store, collect: Callable[[], dict], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._collect = collect
        self._record: ArticleRecord | None = None
        self._dirty = False
        self._state = SaveState.SAVED
        self._flight: _Flight | None = None
        self._pending_kind: RevisionKind | None = None
        self._pause = QTimer(self, singleShot=True, interval=PAUSE_MS, timeout=self._autosave)
        self._deadline = QTimer(self, singleShot=True, interval=MAX_WAIT_MS, timeout=self._autosave)

    def set_store(self, store) -> None:
        """Save into this store (set once the database is open)."""
        self._store = store

    # -- state --------------------------------------------------------------------------------------
    @property
    def record(self) -> ArticleRecord | None:
        """The article as last saved (or loaded)."""
        return self._record

    @property
    def state(self) -> SaveState:
        """Saved, unsaved, saving, failed or in conflict."""
        return self._state

    @property
    def is_dirty(self) -> bool:
        """True while edits have not reached the database."""
        return self._dirty

    def open(self, record: ArticleRecord) -> None:
        """Start editing ``record`` (the previous article must have been flushed)."""
        self._pause.stop()
        self._deadline.stop()
        self._record = record
        self._dirty = False
        self._state = SaveState.SAVED
        self.stateChanged.emit(self._state.value)  # a newly opened article always says where it stands

    def close(self) -> None:
        """Stop editing (after :meth:`flush`)."""
        self._pause.stop()
        self._deadline.stop()
        self._record = None
        self._dirty = False

    def abandon(self) -> None:
        """Stop saving this article at once (its lease was taken over); a save still on its way is
        ignored when it lands (the store already kept it, or refused it as a conflict revision)."""
        if self._flight is not None:
            self._flight.applied = True
            self._flight = None
        self._pending_kind = None
        self.close()
        self._set_state(SaveState.SAVED)

    # -- edits ----------------------------------------------------------------------------------------
    def mark_dirty(self) -> None:
        """The user changed something: schedule an autosave."""
        if self._record is None:
            return
        self._dirty = True
        if self._state in (SaveState.CONFLICT,):
            return  # nothing autosaves over a conflict the user has not settled
        self._set_state(SaveState.UNSAVED if self._flight is None else SaveState.SAVING)
        self._pause.start()
        if not self._deadline.isActive():
            self._deadline.start()

    def save_now(self) -> None:
        """A manual save (Ctrl+S): written at once as a ``save`` revision."""
        if self._record is None:
            return
        self._start_save(RevisionKind.SAVE, force=True)

    def _autosave(self) -> None:
        self._start_save(RevisionKind.AUTOSAVE, force=False)

    def _start_save(self, kind: RevisionKind, *, force: bool) -> None:
        self._pause.stop()
        self._deadline.stop()
        if self._record is None or self._state == SaveState.CONFLICT:
            return
        if self._flight is not None:  # one save at a time; this one follows when it lands
            self._pending_kind = RevisionKind.SAVE if kind == RevisionKind.SAVE else (self._pending_kind or kind)
            return
        changes = changed_values(self._record, self._collect())
        if not changes and not (force and self._dirty):
            self._dirty = False
            self._set_state(SaveState.SAVED)
            return
        self._dirty = False
        flight = self._flight = _Flight()
        record, store = self._record, self._store

        def work(context) -> ArticleRecord:
            try:
                flight.result = store.update_article(record.id, changes, expected_version=record.version, kind=kind,
                                                     clear=explicit_clears(record, changes))
                return flight.result
            except BaseException as exc:
                flight.error = exc
                raise
            finally:
                flight.done.set()

        self._set_state(SaveState.SAVING)
        run_job(
            work, name="autosave", parent=self,
            on_success=lambda _result: self._landed(flight, changes),
            on_failure=lambda _error: self._landed(flight, changes),
        )

    def _landed(self, flight: _Flight, changes: dict) -> None:
        if flight.applied:
            return
        flight.applied = True
        if self._flight is flight:
            self._flight = None
        if self._record is None or (flight.result is not None and flight.result.id != self._record.id):
            return  # the editor moved on to another article meanwhile
        if flight.error is not None:
            self._dirty = True
            if isinstance(flight.error, ConflictError):
                self._set_state(SaveState.CONFLICT)
                self.conflicted.emit(flight.error, {**changes, **self._collect()})
            else:
                self._set_state(SaveState.FAILED)
                self.saveFailed.emit(self.error_text(flight.error))
            return
        self._record = flight.result
        self.saved.emit(flight.result)
        pending, self._pending_kind = self._pending_kind, None
        if pending is not None or self._dirty:
            self._start_save(pending or RevisionKind.AUTOSAVE, force=pending == RevisionKind.SAVE)
        else:
            self._set_state(SaveState.SAVED)

    # -- leaving ----------------------------------------------------------------------------------------
    def flush(self, timeout: float = 10.0) -> bool:
        """Write every edit now (before switching article or quitting); True when all is saved.

        Blocks the UI thread, but only at moments the user asked to leave the article.
        """
        if self._record is None:
            return True
        flight = self._flight
        if flight is not None:
            flight.done.wait(timeout)
            self._landed(flight, {})
        if self._state == SaveState.CONFLICT or self._record is None:
            return not self._dirty
        changes = changed_values(self._record, self._collect())
        self._pause.stop()
        self._deadline.stop()
        if not changes:
            self._dirty = False
            self._set_state(SaveState.SAVED)
            return True
        try:
            record = self._store.update_article(
                self._record.id, changes, expected_version=self._record.version, kind=RevisionKind.AUTOSAVE,
                clear=explicit_clears(self._record, changes),
            )
        except ConflictError as error:
            self._dirty = True
            self._set_state(SaveState.CONFLICT)
            self.conflicted.emit(error, changes)
            return False
        except Exception as error:  # noqa: BLE001 - shown to the user, the edit stays in the editor
            self._dirty = True
            self._set_state(SaveState.FAILED)
            self.saveFailed.emit(self.error_text(error))
            return False
        self._record = record
        self._dirty = False
        self.saved.emit(record)
        self._set_state(SaveState.SAVED)
        return True

    def error_text(self, error: BaseException) -> str:
        """Why a save failed, for the status bar (the store's own text unless the window has its own)."""
        if isinstance(error, PublishedAddressError):
            return self.tr("article %1 is published: its number and publish time stay; give it another "
                           "number instead of none").replace("%1", str(error.number))
        return str(error)

    # -- conflicts --------------------------------------------------------------------------------------
    def settle_conflict(self, current: ArticleRecord, *, keep_mine: bool) -> None:
        """After a conflict: continue from the newer saved version, with or without my edits on top.

        With ``keep_mine`` the editor's values are saved over ``current`` (the other version
        stays in the revisions); otherwise the caller loads ``current`` into the editor (my
        losing edit is already kept as a ``conflict`` revision).
        """
        self._record = current
        self._set_state(SaveState.SAVED)
        self._dirty = False
        if keep_mine:
            self._dirty = True
            self.save_now()

    def _set_state(self, state: SaveState) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit(state.value)
