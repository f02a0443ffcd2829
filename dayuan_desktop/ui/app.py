"""Starting the window: paint first, then open the database on a worker thread.

Nothing slow happens before the first paint: the main window is built empty, shown, and
only then does a job open (and if needed upgrade) the database and load the sample on a
first run. Heavy modules (SQLAlchemy, Markdown, QtWebEngine) load after the window shows.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from dayuan_desktop.core.resources import resources_dir
from dayuan_desktop.ui import i18n
from dayuan_desktop.ui.platform_check import check_platform_libraries
from dayuan_desktop.ui.terminal_noise import install_message_filter, quiet_environment
from dayuan_desktop.ui.webengine import prepare_webengine_environment

ORGANIZATION = "Dayuan"
APPLICATION = "DayuanDesktop"


def ui_settings(settings) -> QSettings:
    """The window's own preferences, as an INI file under the data folder (so tests and
    ``--data-dir`` keep them apart from the user's)."""
    return QSettings(str(Path(settings.data_dir) / "window.ini"), QSettings.Format.IniFormat)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, prepared for QtWebEngine (which may only start later)."""
    prepare_webengine_environment()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Dayuan Desktop")
    app.setDesktopFileName("dayuan-desktop")  # Wayland matches the window to the installed .desktop entry
    icon = resources_dir() / "icons" / "dayuan.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def chosen_database(settings, explicit: str | None = None) -> str:
    """The database to open: ``--db`` / ``DAYUAN_DB`` first, then Preferences, then the default file."""
    from dayuan_desktop.ui.app_settings import AppSettings
    from dayuan_desktop.ui.database_password import load_database_target

    # The password comes from the keyring; an old window.ini holding one is migrated here, also
    # when --db or DAYUAN_DB chose another database this time.
    stored = load_database_target(AppSettings(ui_settings(settings)))
    return explicit or stored.target or str(settings.default_database_path)


def create_main_window(settings, database_target: str):
    """Build and show the main window, then open the database in the background."""
    from dayuan_desktop.core.config import with_user_name
    from dayuan_desktop.ui.app_settings import AppSettings
    from dayuan_desktop.ui.jobs import run_job
    from dayuan_desktop.ui.main_window import MainWindow

    qsettings = ui_settings(settings)
    language = i18n.install_translator(QApplication.instance(), qsettings.value("ui/language", "auto"))
    name = AppSettings(qsettings).user_name  # asked at first start (see run); the login name until then
    if name:
        settings = with_user_name(settings, name)
    window = MainWindow(settings, ZoneInfo(settings.site_timezone), qsettings)
    window.language = language
    from dayuan_desktop.ui.article_list.first_page import FirstPage

    window.first_page = FirstPage(window, database_target)  # the list's first page from the first paint on
    window.show()

    def open_database(context):
        from dayuan_desktop.core.workspace import open_workspace

        return open_workspace(settings, database_target)

    def start() -> None:
        run_job(open_database, name="open-database", parent=window,
                on_success=window.attach_workspace, on_failure=window.show_open_failure)

    # First paint → panels → database (the first list page is read meanwhile, see FirstPage). Should no
    # paint come (a hidden start), build anyway.
    window.built.connect(start)
    QTimer.singleShot(1000, window, window.build)
    return window


def close_on_termination(window) -> QTimer:
    """Close the window (saving everything) on SIGTERM, as a logout or shutdown sends it."""

    def terminate(_signum, _frame) -> None:
        QTimer.singleShot(0, window.close)

    signal.signal(signal.SIGTERM, terminate)
    # Python runs signal handlers only between bytecodes; Qt's event loop is C++, so wake the
    # interpreter now and then.
    ticker = QTimer(window, interval=200)
    ticker.timeout.connect(lambda: None)
    ticker.start()
    return ticker


def run(settings, database_target: str, *, smoke_test: bool = False, debug: bool = False) -> int:
    """Run the window until it closes; returns the exit code.

    ``smoke_test``: close by itself once an article and its preview are shown (see ``ui.smoke``).
    ``debug``: let Chromium and QtWebEngine print their start-up chatter (see ``ui.terminal_noise``).
    """
    check_platform_libraries(os.environ)  # one clear line instead of Qt's abort
    quiet_environment(os.environ, debug=debug)  # before QtWebEngine and Qt's logging start
    install_message_filter(debug=debug)
    app = create_application()
    if "://" in database_target:  # a server whose password no keyring keeps: ask for it now
        from dayuan_desktop.ui.app_settings import AppSettings
        from dayuan_desktop.ui.database_password import ask_for_missing_password

        database_target = ask_for_missing_password(AppSettings(ui_settings(settings)), database_target)
    window = create_main_window(settings, database_target)
    if not smoke_test:  # the installer's smoke test runs unattended
        ask_for_user_name(window, settings)
    close_on_termination(window)
    check = None
    if smoke_test:
        from dayuan_desktop.ui.smoke import SmokeTest

        check = SmokeTest(window, app)
    code = app.exec()
    if check is not None:
        code = check.exit_code
    store = window.store
    dispose_window(window)
    if store is not None:
        store.db.dispose()
    return code


def ask_for_user_name(window, settings) -> None:
    """First start: ask the user's name over the window; the store uses it from the answer on."""
    from dayuan_desktop.ui.app_settings import AppSettings
    from dayuan_desktop.ui.user_name import ask_user_name_once

    def use(name: str) -> None:
        if window.store is not None:
            window.store.user_name = name  # the next save, revision and lease renewal carry it
        else:  # answered before the database was open
            window.workspaceReady.connect(lambda: setattr(window.store, "user_name", name))

    ask_user_name_once(AppSettings(ui_settings(settings)), settings.user_name, window, use)


def dispose_window(window) -> None:
    """Delete a closed window now, after its jobs ended, before the application goes.

    Left to interpreter shutdown, QtWebEngine's profile can be destroyed before its page,
    which crashes the process on exit.
    """
    import shiboken6

    from dayuan_desktop.ui.jobs import wait_for_jobs

    wait_for_jobs()
    QCoreApplication.processEvents()  # deliver the jobs' results while their receivers still exist
    preview = getattr(window, "preview", None)
    if preview is not None and shiboken6.isValid(preview):
        preview.release()  # the web page before its profile, explicitly
    if shiboken6.isValid(window):
        shiboken6.delete(window)
    QCoreApplication.processEvents()
