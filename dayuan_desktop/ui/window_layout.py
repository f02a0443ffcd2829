"""The main window's size and layout: never larger than the screen, remembered between runs.

Kept in the workstation's settings (``window.ini``): geometry and toolbars, every splitter,
whether the article's details are folded, whether the side area shows the photos, and the
article that was open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSplitter

    from dayuan_desktop.ui.main_window import MainWindow

DEFAULT_SIZE = QSize(1400, 860)
# A window frame's title bar and borders, which resize() does not count: a default that does
# not fit the screen with them opens maximized instead.
FRAME_ALLOWANCE = QSize(16, 48)
DEFAULT_SPLIT = [400, 640, 520]  # list, editor, side area (scaled to the window's width)


def available_area(window: MainWindow) -> QRect:
    """The screen area a window may use (without panels and task bars)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def restore_frame(window: MainWindow) -> None:
    """Size the window as last time (or to the default), never larger than the screen."""
    area = available_area(window)
    geometry = window.qsettings.value("window/geometry")
    if geometry is None or not window.restoreGeometry(geometry):
        wanted = DEFAULT_SIZE + FRAME_ALLOWANCE
        window.resize(DEFAULT_SIZE.boundedTo(area.size()))
        if wanted.width() > area.width() or wanted.height() > area.height():
            # e.g. 1366×768: the default would hang off the screen (status bar and all)
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    elif window.width() > area.width() or window.height() > area.height():
        window.resize(window.size().boundedTo(area.size()))  # saved on a larger screen
    state = window.qsettings.value("window/state")
    if state is not None:
        window.restoreState(state)
    window.main_splitter.setSizes(DEFAULT_SPLIT)
    saved = window.qsettings.value("splitters/mainSplitter")
    if saved is not None:
        window.main_splitter.restoreState(saved)
    window.phone_action.setChecked(window.qsettings.value("preview/phone", False, type=bool))


def _last_article_key(window: MainWindow) -> str:
    # Ids belong to one database: remember the last article per database.
    import hashlib

    return "session/last_article/" + hashlib.sha1(window.store.db.describe().encode()).hexdigest()[:16]


def last_article_id(window: MainWindow) -> int | None:
    """The article open when the window last closed on this database, if any."""
    value = window.qsettings.value(_last_article_key(window))
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def article_to_open(window: MainWindow, workspace) -> int | None:
    """The article to open once the database is: the sample on a first run, else the row chosen in
    the list's early page (see ``article_list.first_page``), else the one open when the window closed."""
    return workspace.first_run_article_id or window.article_list.current_id() or last_article_id(window)


def remember_article(window: MainWindow, article_id: int) -> None:
    """Open this article again on the next start (on this database)."""
    window.qsettings.setValue(_last_article_key(window), article_id)


def _panel_splitters(window: MainWindow) -> list[QSplitter]:
    return [window.article_list.splitter, window.photo_area.splitter]


def restore_panels(window: MainWindow) -> None:
    """Splitters inside the panels, folded details and the side area's tab (after the panels are built)."""
    for splitter in _panel_splitters(window):
        saved = window.qsettings.value(f"splitters/{splitter.objectName()}")
        if saved is not None:
            splitter.restoreState(saved)
    window.editor.form.details.set_folded(window.app_settings.details_folded)
    window.side_area.show_photos(window.app_settings.photos_shown)


def save_layout(window: MainWindow) -> None:
    """Remember window geometry, toolbars, splitters, the details' fold and the side area's tab."""
    qsettings = window.qsettings
    qsettings.setValue("window/geometry", window.saveGeometry())
    qsettings.setValue("window/state", window.saveState())
    splitters = [window.main_splitter] + (_panel_splitters(window) if window.is_built else [])
    for splitter in splitters:
        qsettings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
    qsettings.setValue("preview/phone", window.phone_action.isChecked())
    if window.is_built:
        window.app_settings.details_folded = window.editor.form.details.folded
        window.app_settings.photos_shown = window.side_area.photos_shown
    qsettings.sync()


def add_view_actions(window: MainWindow) -> None:
    """View → Article details and View → Photos: fold the details, bring up the photo panel.

    Both put the keyboard focus where the user is going, so every field and the photo panel
    can be reached without the mouse.
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QAction, QKeySequence

    details = window.editor.form.details
    # Translated in the window's own context, beside its other menu entries.
    window.details_action = QAction(QCoreApplication.translate("MainWindow", "Article &details"), window, checkable=True)
    window.details_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
    window.details_action.setChecked(not details.folded)
    window.details_action.triggered.connect(lambda shown: _show_details(window, shown))
    details.foldedChanged.connect(lambda folded: window.details_action.setChecked(not folded))
    window.photos_action = QAction(QCoreApplication.translate("MainWindow", "P&hotos"), window, checkable=True)
    window.photos_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
    window.photos_action.triggered.connect(lambda shown: _show_photos(window, shown))
    window.side_area.photosShownChanged.connect(window.photos_action.setChecked)
    window.view_menu.insertActions(window.phone_action, [window.details_action, window.photos_action])
    window.view_menu.insertSeparator(window.phone_action)


def _show_details(window: MainWindow, shown: bool) -> None:
    form = window.editor.form
    form.details.set_folded(not shown)
    (form.subtitle if shown else form.title).setFocus()


def _show_photos(window: MainWindow, shown: bool) -> None:
    window.side_area.show_photos(shown)
    if shown:
        window.photo_area.view.setFocus()
    else:
        window.editor.body.current_edit().setFocus()
