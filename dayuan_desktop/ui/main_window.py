"""The main window: wires the article list, the editor, the photo area and the preview together.

It does no work of its own: panels show and edit, :class:`ArticleSession` saves, jobs do
everything slow. The window is painted before the database is opened (see ``ui.app``).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from dayuan_desktop.ui import window_layout, window_menus
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.article_list.actions import ArticleActions
from dayuan_desktop.ui.autosave import ArticleSession, SaveState
from dayuan_desktop.ui.jobs import run_job
from dayuan_desktop.ui.progress_line import ProgressLine
from dayuan_desktop.ui.welcome import WelcomeBanner, remember_shown, welcome_due

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from dayuan_desktop.core.config import Settings
    from dayuan_desktop.core.records import ArticleRecord
    from dayuan_desktop.core.workspace import Workspace

log = logging.getLogger(__name__)
PREVIEW_DELAY_MS = 200  # after typing stops; rendering and loading take well under 100 ms more
PREVIEW_START_DELAY_MS = 250


class MainWindow(QMainWindow):
    """The workstation window."""

    articleOpened = Signal(int)
    built = Signal()
    workspaceReady = Signal()
    workspaceFailed = Signal(str)  # the database could not be opened (the message shown)
    previewReady = Signal()

    def __init__(self, settings: Settings, zone: ZoneInfo, qsettings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.qsettings = qsettings
        self.workspace: Workspace | None = None
        self.site = None
        self.app_settings = AppSettings(qsettings)
        self._opening_id: int | None = None
        self._reopen_id: int | None = None
        self._title_focus_id: int | None = None  # a new article: its title gets the cursor
        self._empty_trash = None
        self.store = None
        self.preview = None
        self.setWindowTitle(self.tr("Dayuan Desktop"))
        self.setObjectName("mainWindow")
        self.zone = zone
        self.language = "en"  # the language in use (create_main_window sets it)
        self.is_built = False
        self._frame_painted = False
        self._closing = False
        self.session = ArticleSession(None, lambda: self.editor.values(), self)
        self.actions_runner = ArticleActions(None, self)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS, timeout=self._update_preview)

        # The frame (menus, toolbar, status bar, empty panes) is all the first paint needs; the
        # panels, and the modules behind them, are built right after it (see build()).
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("mainSplitter")
        for _ in range(3):
            self.main_splitter.addWidget(QWidget(self))
        # The first-run welcome sits above the panes: visible, but never in the way of work.
        self.welcome = WelcomeBanner(self)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.welcome)
        column.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)
        window_menus.make_actions(self)
        self._make_status_bar()
        window_layout.restore_frame(self)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._frame_painted:
            self._frame_painted = True
            QTimer.singleShot(0, self, self.build)  # the frame is on screen: now the panels
        return super().event(event)

    # -- building ---------------------------------------------------------------------------------
    def build(self) -> None:
        """Create the panels inside the painted frame (once; later calls do nothing)."""
        if self.is_built:
            return
        self.is_built = True
        from dayuan_desktop.ui.article_list.panel import ArticleListPanel
        from dayuan_desktop.ui.editor.article_editor import ArticleEditor
        from dayuan_desktop.ui.photos.panel import PhotoPanel

        self.article_list = ArticleListPanel(None, self.zone, self)
        self.editor = ArticleEditor(self.zone, self)
        self.photo_area = PhotoPanel(self)
        self.preview_slot = QLabel(self.tr("Preview"), self)
        self.preview_slot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        from dayuan_desktop.ui.editing_leases import EditingLeases

        self.leases = EditingLeases(self)  # who edits what, and the live list
        self._lay_out()
        window_menus.fill_menus(self)
        self._connect()
        window_layout.restore_panels(self)
        self.built.emit()

    def _lay_out(self) -> None:
        from dayuan_desktop.ui.side_area import SideArea

        sizes = self.main_splitter.sizes()
        self.side_area = SideArea(self.preview_slot, self.photo_area, self)
        for index, panel in enumerate((self.article_list, self.editor, self.side_area)):
            self.main_splitter.replaceWidget(index, panel).deleteLater()
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setStretchFactor(2, 1)
        self.main_splitter.setSizes(sizes)

    def _make_status_bar(self) -> None:
        self.count_label = QLabel(self)
        self.save_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.save_label)
        self.statusBar().showMessage(self.tr("Opening the database…"))

    def _connect(self) -> None:
        from dayuan_desktop.ui.photos.body_photos import insert_photo, remove_photo, update_photo_alt

        self.article_list.articleActivated.connect(self.open_article)
        self.article_list.newRequested.connect(self.new_article)
        self.editor.lease_bar.takeOverRequested.connect(self.leases.take_over)
        self.article_list.duplicateRequested.connect(
            lambda ids: self.actions_runner.duplicate(ids, self.tr(" (copy)")))
        self.article_list.trashRequested.connect(self._trash)
        self.article_list.restoreRequested.connect(self.actions_runner.restore)
        self.article_list.exportRequested.connect(self.export_site)
        self.article_list.emptyTrashRequested.connect(self.empty_trash)
        self.article_list.channel_actions.channelsChanged.connect(self._channels_edited)
        self.editor.restoreRequested.connect(lambda article_id: self.actions_runner.restore([article_id]))
        self.actions_runner.changed.connect(self._after_action)
        self.actions_runner.created.connect(self._created)
        self.actions_runner.failed.connect(self._show_error)
        self.editor.edited.connect(self._edited)
        self.editor.body.pasteNotice.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.editor.body.photosPasted.connect(lambda _shas: self.photo_area.reload())  # they join the panel
        self._paste_line = ProgressLine(self.statusBar())  # while pasted photos are stored
        self.editor.body.pasteProgress.connect(self._paste_line.show)
        self.session.stateChanged.connect(self._show_save_state)
        self.session.saved.connect(self._saved)
        self.session.saveFailed.connect(self._save_failed)
        self.session.conflicted.connect(self.leases.on_conflict)  # after a takeover: no dialog, read-only
        self.photo_area.photosChanged.connect(self._update_preview)
        self.photo_area.insertRequested.connect(lambda sha, caption: insert_photo(self.editor.body, sha, caption))
        self.photo_area.removed.connect(lambda sha: remove_photo(self.editor.body, sha))
        self.photo_area.captionSaved.connect(lambda sha, caption: update_photo_alt(self.editor.body, sha, caption))
        self.photo_area.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.editor.form.address.notice.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._guard_publishing()

    def _guard_publishing(self) -> None:
        """Checks before publishing; no caption left in the body without its photo."""
        from dayuan_desktop.ui.photos.removal_undo import PhotoRemovalUndo
        from dayuan_desktop.ui.publish_check_dialog import PublishGuard

        self.photo_undo = PhotoRemovalUndo(self.photo_area, self.editor.body, self)
        self.photo_undo.reattached.connect(lambda shas: self.statusBar().showMessage(
            self.tr("%n photo(s) the body shows attached to the article again", "", len(shas)), 8000))

        self.publish_guard = PublishGuard(
            self.editor.form, lambda: self.session.record.status if self.session.record else None,
            self.current_record, lambda: self.site.rendition_width, self.photo_area.gps_photos, self)
        self.publish_guard.refused.connect(lambda _findings: self.statusBar().showMessage(
            self.tr("Not published: the checks found problems"), 8000))

    # -- the database ---------------------------------------------------------------------------------
    def attach_workspace(self, workspace: Workspace) -> None:
        """Use an opened database: fill the list, build the preview, open the first article."""
        from dayuan_desktop.ui.editor.article_photos import ArticlePhotoBridge
        from dayuan_desktop.ui.index_rebuild import start_if_pending

        self.build()
        self.workspace = workspace
        self.store = workspace.store
        self.site = workspace.site
        self.article_list.model.set_store(self.store)
        self.session.set_store(self.store)
        self.actions_runner.store = self.store
        self.photo_bridge = ArticlePhotoBridge(self.store, self.settings.cache_dir, lambda: self.editor.article_id,
                                               lambda: self.site.rendition_width)
        self.photo_bridge.when_thumbnail_ready(self.editor.body.refresh_images, self.editor.body)
        self.editor.body.set_image_provider(self.photo_bridge.image)
        self.editor.body.set_photo_importer(self.photo_bridge.paste_work)
        self.photo_area.set_store(self.store, self.settings.cache_dir, self.site.rendition_width)
        self.article_list.channel_actions.store = self.store
        self.article_list.set_channels(list(workspace.channels))
        self.editor.set_channels(list(workspace.channels))
        self.editor.set_known_tags(list(workspace.tags))
        self.editor.attach_tag_suggestions(self.store, self.settings.data_dir)
        self.statusBar().showMessage(self.store.db.describe(), 5000)
        log.info("database opened: %s%s", self.store.db.describe(),
                 "; first run, sample article loaded" if workspace.first_run_article_id else "")
        self._welcome_if_due(workspace)
        # The first list page comes first; the article and QtWebEngine (which holds the UI thread
        # for a good half second while it starts) follow once it is on screen.
        self._reopen_id = window_layout.article_to_open(self, workspace)
        self.article_list.model.loadingChanged.connect(self._after_first_page)
        self.article_list.refresh(select_id=self._reopen_id)
        self.index_rebuild = start_if_pending(self, workspace)  # a format upgrade: the index is built meanwhile
        self.leases.start(workspace.marker)
        self.workspaceReady.emit()

    def _after_first_page(self, loading: bool) -> None:
        if loading:
            return
        self.article_list.model.loadingChanged.disconnect(self._after_first_page)
        if self._reopen_id is not None:
            self.open_article(self._reopen_id)  # (not again if the list's selection already did)
        if self.preview is None:
            # After the list has been painted (a zero timer can run before that paint).
            QTimer.singleShot(PREVIEW_START_DELAY_MS, self, self._build_preview)  # dropped if the window is gone

    def _build_preview(self) -> None:
        if self._closing or self.preview is not None:
            return
        from dayuan_desktop.ui.preview.pane import PreviewPane

        self.preview = PreviewPane(
            self.store, self.site, self.settings.cache_dir / "preview", self, renditions_dir=self.settings.cache_dir
        )
        self.preview.set_phone_width(self.phone_action.isChecked())
        self.side_area.set_preview(self.preview)
        self.previewReady.emit()
        self._update_preview()

    def show_open_failure(self, error: BaseException) -> None:
        """The database could not be opened: say why (the window stays usable for Preferences)."""
        log.error("the database could not be opened: %s", error)
        self.statusBar().showMessage(self.tr("The database could not be opened."))
        self.workspaceFailed.emit(str(error))
        QMessageBox.critical(self, self.tr("Database"), str(error))

    def _welcome_if_due(self, workspace: Workspace) -> None:
        if not welcome_due(self.qsettings):
            return
        database = self.store.db.sqlite_path or self.store.db.describe()
        self.welcome.show_for(str(database), sample_open=workspace.first_run_article_id is not None)
        remember_shown(self.qsettings)  # a welcome, not a nag: the next start goes straight to work

    # -- articles -----------------------------------------------------------------------------------
    def open_article(self, article_id: int, *, again: bool = False) -> None:
        """Save the open article, then load and show another (``again``: reload the one shown)."""
        if self.store is None or article_id == self._opening_id:
            return
        if article_id == self.editor.article_id and not again:
            return
        if not self.session.flush():
            return  # a conflict or failure is on screen; stay on this article
        from dayuan_desktop.ui.editing_leases import open_for_edit

        store, previous = self.store, self.leases.leave()
        self._opening_id = article_id
        run_job(lambda context: open_for_edit(store, article_id, previous), name="open-article", parent=self,
                on_success=self._show_article, on_failure=self._open_failed)

    def _open_failed(self, error: BaseException) -> None:
        self._opening_id = None
        self.leases.resume(self.editor.article_id)
        self._show_error(error)  # e.g. the remembered article was purged meanwhile

    def _show_article(self, opened: tuple[ArticleRecord, object]) -> None:
        record, lease = opened
        if record.id != self._opening_id:
            return  # the user moved on to another article while this one loaded
        self._opening_id = None
        window_layout.remember_article(self, record.id)
        self.session.open(record)
        self.editor.set_article(record)
        self.photo_area.set_article(record)
        self.photo_area.setEnabled(record.deleted_at is None)  # a trashed article is read-only
        self.leases.opened(record, lease)  # someone else's: read-only with their name and Take over
        self._update_counts()
        self._update_preview()
        if record.id == self._title_focus_id:
            self._title_focus_id = None
            self.editor.form.title.setFocus()  # Ctrl+N: start typing the title
        self.articleOpened.emit(record.id)

    def new_article(self) -> None:
        """Create a draft in the channel shown and open it with the cursor in its title."""
        if self.store is not None and self.session.flush():
            self.article_list.leave_trash()
            self.actions_runner.new_article(self.article_list.model.list_filter.channel_path)

    def _created(self, record: ArticleRecord) -> None:
        from dayuan_desktop.ui.article_list.model import summary_of

        self._title_focus_id = record.id
        self.article_list.show_new_article(summary_of(record))  # visible even under a search
        self.open_article(record.id)

    def _channels_edited(self, channels: list, moved: dict) -> None:
        """A channel was added, renamed, moved or reordered in the tree: show it everywhere."""
        self.article_list.set_channels(channels)
        self.editor.set_channels(channels)
        self.editor.form.follow_channel_moves(moved)
        self.article_list.refresh()

    def _trash(self, ids: list[int]) -> None:
        if self.editor.article_id in ids:
            self.session.flush()
            self.session.close()
            if (held := self.leases.leave()) is not None:
                self.leases.release(held)
            self.editor.clear()
            self.photo_area.set_article(None)
        self.actions_runner.trash(ids)

    def empty_trash(self) -> None:
        """Purge the trash after a confirmation naming how many articles go (photos stay)."""
        from dayuan_desktop.ui.empty_trash import EmptyTrash

        if self._empty_trash is None:
            self._empty_trash = EmptyTrash(self)
        self._empty_trash.start(self.store)

    def _after_action(self, select_id) -> None:
        self.article_list.refresh(select_id=select_id)
        if select_id is not None:  # a restored open article comes back editable: load it again
            self.open_article(select_id, again=select_id == self.editor.article_id)

    # -- editing -------------------------------------------------------------------------------------
    def _edited(self) -> None:
        self.session.mark_dirty()
        self._update_counts()
        self._preview_timer.start()
        if self.editor.article_id is not None:
            self.article_list.model.update_fields(self.editor.article_id, title=self.editor.form.title.text())

    def current_record(self) -> ArticleRecord | None:
        """The open article with the editor's unsaved values (what the preview shows)."""
        record = self.session.record
        if record is None:
            return None
        if self.photo_area.article_id() == record.id:  # photo changes are saved apart from the text
            record = replace(record, photos=self.photo_area.article_photos())
        return replace(record, **self.editor.values())

    def _update_preview(self) -> None:
        record = self.current_record()
        if record is not None and self.preview is not None:
            self.preview.show_article(record)

    def _update_counts(self) -> None:
        self.count_label.setText(self.tr("%n character(s)", "", self.editor.character_count()))

    def _show_save_state(self, state: str) -> None:
        texts = {
            SaveState.SAVED: self.tr("Saved"),
            SaveState.UNSAVED: self.tr("Unsaved changes"),
            SaveState.SAVING: self.tr("Saving…"),
            SaveState.FAILED: self.tr("Not saved"),
            SaveState.CONFLICT: self.tr("Conflict"),
        }
        self.save_label.setText(texts.get(SaveState(state), state))

    def _saved(self, record: ArticleRecord) -> None:
        from dayuan_desktop.core.records import ArticleSummary

        if record.id == self.editor.article_id:  # the number and time publishing assigned, at once
            self.editor.form.show_stored(record)
        self.article_list.model.update_summary(ArticleSummary(
            record.id, record.uuid, record.number, record.title, record.channel_path, record.status,
            record.author, record.updated_at, record.published_at, record.deleted_at,
        ))

    def _save_failed(self, message: str) -> None:
        self.statusBar().showMessage(self.tr("Not saved: %1").replace("%1", message))

    def _conflict(self, error, mine: dict) -> None:
        from dayuan_desktop.ui.conflict_settling import ask_and_settle

        ask_and_settle(self, error, mine)

    def refresh_after_settling(self, current: ArticleRecord) -> None:
        """After a conflict settled for theirs: counts, list row and preview of the version shown."""
        self._update_counts()
        self._saved(current)  # the list showed my title while I typed; theirs is the article
        self._update_preview()

    def find(self) -> None:
        """Find and replace in the open article; in the archive when the list has the focus."""
        if not self.is_built:
            return
        focus = self.focusWidget()
        in_list = focus is not None and self.article_list.isAncestorOf(focus)
        if self.editor.article_id is None or in_list:
            self.article_list.focus_search()
        else:
            self.editor.show_find()

    # -- dialogs --------------------------------------------------------------------------------------
    def export_site(self, article_ids=None) -> None:
        """Open the export dialog; the articles selected in the list are offered as a choice."""
        if self.store is None:
            return
        from dayuan_desktop.ui.export_dialog import ExportDialog

        self.session.flush()  # export what the editor shows
        ids = article_ids if isinstance(article_ids, list) else self.article_list.selected_ids()
        numbers = []
        for article_id in ids:
            row = self.article_list.model.row_of(article_id)
            summary = self.article_list.model.summary(row) if row is not None else None
            if summary is not None and summary.number is not None:
                numbers.append(summary.number)
        dialog = ExportDialog(self.store, self.app_settings, numbers, self, cache_dir=self.settings.cache_dir)
        dialog.exec()

    def show_preferences(self) -> None:
        """Open the preferences; site texts apply at once, database and language on restart."""
        if self.store is None:
            return
        from dayuan_desktop.ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.app_settings, self.store.db, self, site_settings=self.site)
        dialog.site_settings_saved.connect(self._site_changed)
        if dialog.exec() and dialog.restart_required:
            self.statusBar().showMessage(
                self.tr("The new database or language takes effect when Dayuan Desktop starts again."), 10000)

    def _site_changed(self, site) -> None:
        self.site = site
        self.photo_area.set_rendition_width(site.rendition_width)
        if self.preview is not None:
            self.preview.set_site(site)

    def about_text(self) -> str:
        """Version, and where the data and the log live (what support asks first)."""
        from dayuan_desktop import __version__

        return self.tr(
            "Dayuan Desktop %1\nThe editorial workstation of 大院网.\nData folder: %2"
        ).replace("%1", __version__).replace("%2", str(self.settings.data_dir)) + "\n" + self.tr(
            "Log folder: %1"
        ).replace("%1", str(self.settings.log_dir))

    def show_about(self) -> None:
        """Version and where the data and log live."""
        QMessageBox.about(self, self.tr("About Dayuan Desktop"), self.about_text())

    def open_log_folder(self) -> bool:
        """Show the log folder in the file manager (to send the log to support)."""
        self.settings.log_dir.mkdir(parents=True, exist_ok=True)
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.settings.log_dir)))
        if not opened:  # no file manager: at least say where it is
            self.statusBar().showMessage(self.tr("Log folder: %1").replace("%1", str(self.settings.log_dir)), 15000)
        return opened

    def _show_error(self, error) -> None:
        self.statusBar().showMessage(str(error), 10000)

    def _phone_width(self, phone: bool) -> None:
        if self.preview is not None:
            self.preview.set_phone_width(phone)

    # -- layout persistence -------------------------------------------------------------------------
    def save_layout(self) -> None:
        """Remember window geometry, toolbars, splitters, folded details and the side area's tab."""
        window_layout.save_layout(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_built:
            self.photo_area.flush()
        if not self.session.flush():
            answer = QMessageBox.question(
                self, self.tr("Unsaved changes"),
                self.tr("Your last changes could not be saved. Quit anyway? They stay in the revisions "
                        "only if a conflict was recorded."),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.save_layout()
        if self.is_built:
            self.leases.stop()  # the lease goes now, not after two minutes
        self._closing = True  # nothing new starts now (e.g. a QtWebEngine still to be built)
        if self.is_built:
            self.editor.tag_suggestions.stop()  # a dictionary still loading stops within milliseconds
        event.accept()
