"""The live preview: the article's portal page exactly as export writes it, with local assets.

The page comes from :meth:`PortalRenderer.article_page` (the function export uses) and is
shown with the base URL of where it would be in the exported site; the portal's static
files and the article's photo renditions sit at the paths the page refers to in a
preview site folder under the cache folder (see :class:`core.preview_site.PreviewSite`).
Renditions come from the rendition cache the export uses; one it lacks is made off the UI
thread, and until it is ready the page shows without it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QPointF, Qt, QUrl, Signal
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.preview_site import PreviewSite, RenditionTask
from dayuan_desktop.core.records import ArticleRecord
from dayuan_desktop.core.render import PortalRenderer
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.jobs import JobContext, run_job
from dayuan_desktop.ui.preview.offline import OfflinePage, offline_profile

PHONE_WIDTH = 390  # CSS px of a common phone held upright
# setHtml hands the page to Chromium as a percent-encoded data: URL, and Chromium refuses
# URLs longer than 2 MiB (the load just fails). Bigger pages are written to a file and loaded.
SET_HTML_LIMIT = 2 * 1024 * 1024 - 4096
_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"


def fits_in_set_html(html: str) -> bool:
    """Whether the page's percent-encoded form stays under setHtml's limit (counted, not encoded)."""
    data = html.encode("utf-8")
    escaped = len(data.translate(None, _UNRESERVED))  # bytes that become %XX
    return len(data) + 2 * escaped < SET_HTML_LIMIT


class _Rendered(NamedTuple):
    """A page rendered off the UI thread, on its way to the view."""

    ticket: int
    record: ArticleRecord
    html: str
    page_file: Path | None  # set when the page is too big for setHtml and was written out
    force: bool
    since: float  # when show_article asked for it (perf_counter)
    missing: list[RenditionTask]  # renditions the cache lacks, to be made
    failed: dict[str, str]  # rendition path → why it could not be put in the preview folder


class PreviewPane(QWidget):
    """A web view showing an article's portal page, with a desktop/phone width switch.

    Calls to :meth:`show_article` are coalesced: while a page loads, only the newest article
    waits, and the ones in between are never rendered. The scroll position is kept while
    the same article is shown again.
    """

    rendered = Signal()  # a page finished loading (and its scroll position is restored)
    renderFailed = Signal(str)  # a page could not be made (the reason, as shown in the status line)
    phone_width_changed = Signal(bool)

    def __init__(
        self, store: Store, site_settings: SiteSettings, cache_dir: str | Path, parent: QWidget | None = None,
        *, renditions_dir: str | Path | None = None,
    ) -> None:
        """``cache_dir``: the preview's own folder; ``renditions_dir``: the cache folder holding the
        export's rendition cache (the user cache folder; ``cache_dir`` when None)."""
        super().__init__(parent)
        self._store = store
        self._site = site_settings
        self._renderer = PortalRenderer(site_settings)
        self._folder = PreviewSite(Path(cache_dir) / "preview-site", cache_dir=Path(renditions_dir or cache_dir))
        self._static_ready = False
        self._pending: ArticleRecord | None = None
        self._in_flight: ArticleRecord | None = None  # being rendered or loaded now
        self._pending_since = 0.0
        self._force_next = False
        self._loading = False
        self._load_started_for = 0.0
        self._shown: ArticleRecord | None = None
        self._shown_html: str | None = None
        self._shown_base = QUrl()
        self._ticket = 0  # the newest render job; older ones' results are dropped
        self._scroll_to = QPointF()
        self._making: set[str] = set()  # rendition cache keys being made
        self._failed: dict[str, tuple[str, str]] = {}  # rendition cache key → (what, why)
        self._unplaced: dict[str, str] = {}  # rendition path → why the last render could not put it in the folder
        self._problem = ""
        self._render_problem = ""
        self.last_load_seconds: float | None = None  # show_article → rendered, for the newest article

        self._build_toolbar()
        # The view (and its page) are created before the profile on purpose: Qt deletes a
        # widget's children in creation order, and a profile must outlive its pages.
        self._frame = QWidget(self)
        self.view = QWebEngineView(self._frame)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        frame_layout = QHBoxLayout(self._frame)
        frame_layout.setContentsMargins(0, 0, 0, 0)
        frame_layout.addWidget(self.view)
        self.profile = offline_profile(self)
        self.page = OfflinePage(self.profile, self.view)
        self.view.setPage(self.page)
        # Only Copy in the context menu: Back, Reload or "View source" would take the view away
        # from the page the pane manages.
        self.view.addAction(self.page.action(QWebEnginePage.WebAction.Copy))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.page.loadFinished.connect(self._on_load_finished)
        self.page.renderProcessTerminated.connect(self._on_renderer_died)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._toolbar)
        layout.addWidget(self._frame, 1)

    def _build_toolbar(self) -> None:
        self._toolbar = QWidget(self)
        bar = QHBoxLayout(self._toolbar)
        bar.setContentsMargins(4, 2, 4, 2)
        self.desktop_button = QToolButton(self._toolbar)
        self.desktop_button.setText(self.tr("Desktop"))
        self.desktop_button.setToolTip(self.tr("Show the page at desktop width"))
        self.phone_button = QToolButton(self._toolbar)
        self.phone_button.setText(self.tr("Phone"))
        self.phone_button.setToolTip(self.tr("Show the page at phone width (390 px)"))
        group = QButtonGroup(self._toolbar)
        group.setExclusive(True)
        for button in (self.desktop_button, self.phone_button):
            button.setCheckable(True)
            button.setAutoRaise(True)
            group.addButton(button)
            bar.addWidget(button)
        self.desktop_button.setChecked(True)
        self.phone_button.toggled.connect(self.set_phone_width)
        self.status_label = QLabel(self._toolbar)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Neither a long message nor the buttons may set a minimum width: the pane sits in the
        # window's splitter, which must be free to make it narrow.
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._toolbar.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        bar.addWidget(self.status_label, 1)

    # -- public API --------------------------------------------------------------------------
    def show_article(self, record: ArticleRecord) -> None:
        """Show ``record``'s page (e.g. built from the editor's unsaved state with dataclasses.replace)."""
        if self._shown is not None and record.uuid != self._shown.uuid and self._failed:
            self._failed.clear()  # another article: photos that failed before are tried again
            self._update_status()
        self._pending = record
        self._pending_since = time.perf_counter()
        if not self._loading:
            self._render_next()

    def refresh(self) -> None:
        """Render the shown article again, retrying photos that could not be prepared before."""
        self._failed.clear()
        self._static_ready = False
        self._problem = ""
        self._update_status()
        self._rerender_shown()

    def set_site(self, site_settings: SiteSettings) -> None:
        """Use new site settings (after Preferences); the shown article is rendered again."""
        self._site = site_settings
        self._renderer = PortalRenderer(site_settings)
        self._rerender_shown()

    def release(self) -> None:
        """Free QtWebEngine now, page before profile (QtWebEngine crashes when a profile goes first).

        Called once, when the window closes; the pane shows nothing afterwards.
        """
        import shiboken6

        self._pending = None
        self._loading = True  # nothing renders or loads again
        if shiboken6.isValid(self.page):
            self.page.loadFinished.disconnect(self._on_load_finished)
            self.view.stop()
            shiboken6.delete(self.page)
        if shiboken6.isValid(self.profile):
            shiboken6.delete(self.profile)

    def set_phone_width(self, phone: bool) -> None:
        """Show the page at phone width (centred) or at the pane's full width."""
        phone = bool(phone)
        changed = phone != self.is_phone_width()
        if phone:
            self.view.setFixedWidth(PHONE_WIDTH)
        else:
            self.view.setMinimumWidth(0)
            self.view.setMaximumWidth(16_777_215)  # QWIDGETSIZE_MAX
        self._frame.layout().setAlignment(self.view, Qt.AlignmentFlag.AlignHCenter if phone else Qt.AlignmentFlag(0))
        # A phone's scroll bars float over the page; a desktop bar would take 15 of the 390 px.
        self.page.settings().setAttribute(QWebEngineSettings.WebAttribute.ShowScrollBars, not phone)
        (self.phone_button if phone else self.desktop_button).setChecked(True)
        if changed:
            self.phone_width_changed.emit(phone)

    def is_phone_width(self) -> bool:
        """True while the page is shown at phone width."""
        return self.view.maximumWidth() == PHONE_WIDTH

    def shown_article(self) -> ArticleRecord | None:
        """The article whose page is shown (or loading)."""
        return self._shown

    def shown_html(self) -> str | None:
        """The HTML of the page shown (or loading), exactly as rendered."""
        return self._shown_html

    def is_loading(self) -> bool:
        """True while a page is being rendered or loaded."""
        return self._loading

    @property
    def site_folder(self) -> Path:
        """The preview's site folder (static files, renditions, large pages)."""
        return self._folder.root

    # -- rendering ---------------------------------------------------------------------------
    def _rerender_shown(self) -> None:
        # The article on screen, or else the one being rendered now (with the old settings).
        current = self._shown or self._in_flight
        if current is None and self._pending is None:
            return
        if self._pending is None:
            self._pending = current
            self._pending_since = time.perf_counter()
        self._force_next = True
        if not self._loading:
            self._render_next()

    def _render_next(self) -> None:
        record, self._pending = self._pending, None
        force, self._force_next = self._force_next, False
        if record is None:
            return
        self._prepare_static()
        # Rendering runs off the UI thread: a long body with much Markdown takes a second or more
        # in python-markdown, and typing must not stall meanwhile. Only one render or load runs
        # at a time; what arrives meanwhile waits in _pending (newest only).
        self._loading = True
        self._in_flight = record
        self._ticket += 1
        ticket, renderer, folder, since = self._ticket, self._renderer, self._folder, self._pending_since

        def render(_context: JobContext) -> _Rendered:
            # Also puts the renditions the cache holds where the page links them (no decoding).
            page = folder.render(renderer, record)
            html = page.html
            page_file = None if fits_in_set_html(html) else folder.write_page(record, html)
            return _Rendered(ticket, record, html, page_file, force, since, page.missing, page.failed)

        run_job(render, name="preview render", on_success=self._show_rendered, on_failure=self._render_failed)

    def _show_rendered(self, rendered: _Rendered) -> None:
        if rendered.ticket != self._ticket:
            return  # overtaken (the renderer process was restarted meanwhile)
        self._note_renditions(rendered)
        record, html = rendered.record, rendered.html
        base = QUrl.fromLocalFile(str(self._folder.page_file(record)))
        same_article = self._shown is not None and self._shown.uuid == record.uuid
        self._load_started_for = rendered.since
        if same_article and not rendered.force and html == self._shown_html and base == self._shown_base:
            self._shown = record  # nothing visible changed: no reload, callers still hear back
            self._finish_load()
            return
        self._scroll_to = self.page.scrollPosition() if same_article else QPointF()
        self._shown, self._shown_html, self._shown_base = record, html, base
        if rendered.page_file is None:
            self.page.setHtml(html, base)
        else:
            self.page.load(QUrl.fromLocalFile(str(rendered.page_file)))

    def _render_failed(self, exc: BaseException) -> None:
        # A template error, or a page too big for setHtml that cannot be written: say so, keep going.
        self._render_problem = self.tr("The page cannot be shown: {reason}").format(reason=_one_line(exc))
        self._update_status()
        self.renderFailed.emit(self._render_problem)
        self._loading = False
        if self._pending is not None:
            self._render_next()

    def _on_load_finished(self, _ok: bool) -> None:
        if not self._loading:
            return
        x, y = self._scroll_to.x(), self._scroll_to.y()
        # The page's own scripts are off; the pane's run in an isolated world of their own.
        self.page.runJavaScript(
            f"window.scrollTo({x:.0f}, {y:.0f}); true", QWebEngineScript.ScriptWorldId.ApplicationWorld,
            self._after_scroll,
        )

    def _after_scroll(self, _result: object) -> None:
        if self._loading:
            self._finish_load()

    def _finish_load(self) -> None:
        self._loading = False
        self.last_load_seconds = time.perf_counter() - self._load_started_for
        if self._render_problem:  # the last render failed, this one worked
            self._render_problem = ""
            self._update_status()
        self.rendered.emit()
        if self._pending is not None or self._force_next:
            self._render_next()

    def _on_renderer_died(self, _status: QWebEnginePage.RenderProcessTerminationStatus, _code: int) -> None:
        # A crashed renderer never reports the load; start again with what should be shown.
        self._loading = False
        self._shown_html = None
        self._rerender_shown()

    # -- assets ------------------------------------------------------------------------------
    def _prepare_static(self) -> None:
        if self._static_ready:
            return
        self._static_ready = True  # a folder that cannot be written is reported once, not per keystroke
        try:
            self._folder.sync_static()
        except (DayuanError, OSError) as exc:
            self._set_problem(self.tr("The preview folder cannot be written: {reason}").format(reason=_one_line(exc)))

    def _note_renditions(self, rendered: _Rendered) -> None:
        """Start making the renditions the rendered page lacked (not those being made or failed before)."""
        if rendered.failed or self._unplaced:
            self._unplaced = rendered.failed  # tried again on every render
            self._update_status()
        tasks = [task for task in rendered.missing if task.key not in self._making and task.key not in self._failed]
        if not tasks:
            return
        self._making.update(task.key for task in tasks)
        self._update_status()
        store, folder, width = self._store, self._folder, self._site.rendition_width

        def make(context: JobContext) -> tuple[list[RenditionTask], dict[str, tuple[str, str]]]:
            context.progress(0, len(tasks))
            made, failed = folder.make_renditions(store, tasks, width, lambda: context.cancelled)
            labels = {task.key: task.label for task in tasks}
            return made, {key: (labels[key], reason) for key, reason in failed.items()}

        # Bound methods, not lambdas: Qt drops the delivery when the pane is gone by then.
        run_job(make, name="preview renditions", on_success=self._renditions_made, on_failure=self._renditions_failed)

    def _renditions_made(self, outcome: tuple[list[RenditionTask], dict[str, tuple[str, str]]]) -> None:
        made, failed = outcome
        self._making.difference_update(task.key for task in made)
        self._making.difference_update(failed)
        self._failed.update(failed)
        self._update_status()
        shown = self._shown
        # Rendered again: the page now links the rendition (a PNG's path is known only now).
        if shown is not None and {task.sha256 for task in made} & {link.photo.sha256 for link in shown.photos}:
            self._rerender_shown()

    def _renditions_failed(self, exc: BaseException) -> None:
        # Only reached when the job itself broke (each photo's errors are caught and reported):
        # forget what was being made so that the next render tries again.
        self._making.clear()
        self._set_problem(self.tr("Photos cannot be prepared: {reason}").format(reason=_one_line(exc)))

    def _set_problem(self, message: str) -> None:
        self._problem = message
        self._update_status()

    def _update_status(self) -> None:
        parts = []
        if self._making:
            parts.append(self.tr("Preparing %n photo(s)…", "", len(self._making)))
        if self._failed or self._unplaced:
            path, reason = next(iter([*self._failed.values(), *self._unplaced.items()]))
            parts.append(self.tr("A photo cannot be shown ({path}): {reason}").format(path=path, reason=reason))
        parts += [problem for problem in (self._problem, self._render_problem) if problem]
        self.status_label.setText("  ".join(parts))
        self.status_label.setToolTip(self.status_label.text())  # the whole text when the pane is narrow


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
