"""The channel tree's right-click actions: new channel, rename, change URL path, move, up/down.

Each edit runs off the UI thread (``ui.jobs``) through ``store.channels`` (core.channel_edits);
the window never writes SQL. A URL path change that moves published articles' addresses asks
first, naming how many; the old addresses then redirect (the export writes those pages).
Dialogs are opened window-modal with ``open()`` and kept in ``dialog`` while shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QTreeView

from dayuan_desktop.ui.article_list.channels import ID_ROLE, KIND_ROLE, ChannelTreeModel
from dayuan_desktop.ui.channel_dialogs import ChannelFormDialog, MoveChannelDialog
from dayuan_desktop.ui.jobs import run_job

if TYPE_CHECKING:
    from dayuan_desktop.core.records import ChannelRecord
    from dayuan_desktop.core.store import Store


class ChannelActions(QObject):
    """Edits the channel tree shown in ``view``; says when the channels changed."""

    channelsChanged = Signal(list, dict)  # every channel now; {old path: new path} of channels that moved
    failed = Signal(str)  # the one-line reason an edit was refused

    def __init__(self, view: QTreeView, model: ChannelTreeModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.model = model
        self.store: Store | None = None
        self.channels: list[ChannelRecord] = []
        self.dialog: QDialog | None = None  # the dialog being shown (tests drive it)
        self.busy = False
        self._target: ChannelRecord | None = None
        self.new_action = self._action(self.tr("New channel…"), self.new_channel)
        self.rename_action = self._action(self.tr("Rename…"), self.rename)
        self.path_action = self._action(self.tr("Change URL path…"), self.change_path)
        self.move_action = self._action(self.tr("Move to…"), self.move)
        self.up_action = self._action(self.tr("Move up"), lambda: self.shift(-1))
        self.down_action = self._action(self.tr("Move down"), lambda: self.shift(1))

    def _action(self, text: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        return action

    def add_to_menu(self, menu: QMenu, index: QModelIndex) -> None:
        """Offer the edits for the item at ``index`` ("All articles": only a new top-level channel)."""
        self.target(index)
        on_channel = self._target is not None
        menu.addAction(self.new_action)
        for action in (self.rename_action, self.path_action, self.move_action, self.up_action, self.down_action):
            action.setEnabled(on_channel and self.store is not None)
            if action in (self.rename_action, self.up_action):
                menu.addSeparator()
            menu.addAction(action)
        self.new_action.setEnabled(self.store is not None)

    def target(self, index: QModelIndex) -> None:
        """Aim the actions at the channel at ``index`` (or at the top level)."""
        channel_id = index.data(ID_ROLE) if index.isValid() and index.data(KIND_ROLE) == "channel" else None
        self._target = next((c for c in self.channels if c.id == channel_id), None)

    # -- the edits --------------------------------------------------------------------------------
    def new_channel(self) -> None:
        """Ask for a name and path; the new channel goes under the targeted one (or at the top)."""
        under = self._target
        where = self.tr("New channel under %1").replace("%1", self._heading(under)) if under \
            else self.tr("New top-level channel")
        dialog = ChannelFormDialog(self.tr("New channel"), self.view, name="", segment="",
                                   parent_path=under.path if under else None, heading=where)
        parent_id = under.id if under else None

        def create() -> None:  # the fields are read here, on the UI thread, before the dialog goes
            segment, name = dialog.segment(), dialog.name()
            self._run(lambda s: s.channels.create(segment, name, parent_id))

        self._show(dialog, create)

    def rename(self) -> None:
        """Ask for the targeted channel's new name (its addresses stay)."""
        channel = self._target
        if channel is None:
            return
        dialog = ChannelFormDialog(self.tr("Rename channel"), self.view, name=channel.name,
                                   heading=self._heading(channel))
        self._show(dialog, lambda: self._run(partial(_rename, channel.id, dialog.name())))

    def change_path(self) -> None:
        """Ask for the targeted channel's new URL path segment; confirm when published addresses change."""
        channel = self._target
        if channel is None:
            return
        parent_path, _, segment = channel.path.rpartition("/")
        note = self.tr("Subchannels move with it. Published articles get new addresses; "
                       "their old addresses redirect to the new ones.")
        dialog = ChannelFormDialog(self.tr("Change URL path of “%1”").replace("%1", channel.name), self.view,
                                   segment=segment, parent_path=parent_path or None, note=note,
                                   heading=self._heading(channel))
        self._show(dialog, lambda: self._guarded(*_segment_change(channel.id, dialog.segment())))

    def move(self) -> None:
        """Ask where to put the targeted channel; confirm when published addresses change."""
        channel = self._target
        if channel is None:
            return
        dialog = MoveChannelDialog(channel, self.channels, self.view)
        self._show(dialog, lambda: self._guarded(*_move(channel.id, dialog.parent_id())))

    def shift(self, step: int) -> None:
        """Move the targeted channel up (-1) or down (1) among its siblings."""
        if self._target is not None:
            channel_id = self._target.id
            self._run(lambda s: s.channels.shift(channel_id, step))

    def _heading(self, channel: ChannelRecord) -> str:
        return self.tr("Channel %1 (%2)").replace("%1", channel.name).replace("%2", channel.path)

    # -- running them -----------------------------------------------------------------------------
    def _show(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.finished.connect(lambda _code: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _guarded(self, preview: Callable[[Store], Any], apply: Callable[[Store, bool], Any]) -> None:
        """Count the published addresses a path change moves; ask when there are any, then apply."""
        def ask(change) -> None:
            if not change.published:
                self._run(lambda s: apply(s, False))
                return
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Change published addresses?"), self.tr(
                "Changing the URL path %1 to %2 changes the address of %3 published article(s).\n"
                "Their old addresses will redirect to the new ones after the next export."
            ).replace("%1", change.old_path).replace("%2", change.new_path).replace("%3", str(change.published)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self.view)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            self._show(box, lambda: None)
            # Which button closed it decides (Escape and Cancel both leave everything as it is).
            box.finished.connect(lambda _code: box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
                                 and self._run(lambda s: apply(s, True)))

        self._start(preview, ask)

    def _run(self, edit: Callable[[Store], ChannelRecord]) -> None:
        """Make one edit, then read the channels again."""
        self._start(lambda s: (edit(s), s.list_channels()), self._done)

    def _start(self, work: Callable[[Store], Any], on_success: Callable[[Any], None]) -> None:
        store = self.store
        if store is None or self.busy:  # one edit at a time: a second click waits for the first
            return
        self.busy = True
        run_job(lambda _context: work(store), name="channels: edit", parent=self,
                on_success=lambda result: self._finish(on_success, result), on_failure=self._fail)

    def _finish(self, on_success: Callable[[Any], None], result: Any) -> None:
        self.busy = False
        on_success(result)

    def _done(self, result: tuple[ChannelRecord, list[ChannelRecord]]) -> None:
        edited, channels = result
        before = {c.id: c.path for c in self.channels}
        moved = {before[c.id]: c.path for c in channels if c.id in before and before[c.id] != c.path}
        self.channels = list(channels)
        self.channelsChanged.emit(self.channels, moved)
        self.view.setCurrentIndex(self.model.index_of_path(edited.path))

    def _fail(self, error: BaseException) -> None:
        self.busy = False
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        self.failed.emit(message)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Channel not changed"), message,
                          QMessageBox.StandardButton.Ok, self.view)
        self._show(box, lambda: None)


# The work run off the UI thread gets plain values, never the dialog (it is gone by then).
def _rename(channel_id: int, name: str, store: Store) -> ChannelRecord:
    return store.channels.rename(channel_id, name)


def _segment_change(channel_id: int, segment: str) -> tuple[Callable, Callable]:
    return (lambda s: s.channels.preview_segment(channel_id, segment),
            lambda s, yes: s.channels.set_segment(channel_id, segment, confirmed=yes))


def _move(channel_id: int, parent_id: int | None) -> tuple[Callable, Callable]:
    return (lambda s: s.channels.preview_move(channel_id, parent_id),
            lambda s, yes: s.channels.move(channel_id, parent_id, confirmed=yes))
