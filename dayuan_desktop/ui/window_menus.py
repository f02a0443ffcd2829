"""The main window's actions, menus and toolbar.

:func:`make_actions` builds the frame's (File, Edit, Format, Article, View, Help and the
toolbar) before the first paint; :func:`fill_menus` adds the panels' entries once they are
built. The strings keep the ``MainWindow`` translation context they had in the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from dayuan_desktop.ui import window_layout

if TYPE_CHECKING:
    from dayuan_desktop.ui.main_window import MainWindow

translate = QCoreApplication.translate  # with the context spelled out: the strings stay the window's


def _action(window: MainWindow, text: str, shortcut=None, slot=None, *, checkable: bool = False) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if slot is not None:
        action.triggered.connect(slot)
    action.setCheckable(checkable)
    return action


def make_actions(window: MainWindow) -> None:
    """The window's own actions, its menus and toolbar (the frame the first paint shows)."""
    standard = QKeySequence.StandardKey
    window.new_action = _action(window, translate("MainWindow", "&New article"), standard.New, window.new_article)
    window.save_action = _action(window, translate("MainWindow", "&Save"), standard.Save, window.session.save_now)
    window.export_action = _action(window, translate("MainWindow", "&Export site…"), "Ctrl+E", window.export_site)
    window.publish_action = _action(window, translate("MainWindow", "&Publish to the web server…"), None,
                                    lambda: _show_publish(window))
    window.sync_action = _action(window, translate("MainWindow", "S&ync with the newsroom"), None,
                                 lambda: _sync_runner(window).start())
    window.preferences_action = _action(window, translate("MainWindow", "&Preferences…"), "Ctrl+,", window.show_preferences)
    window.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    window.quit_action = _action(window, translate("MainWindow", "&Quit"), standard.Quit, window.close)
    window.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    window.find_action = _action(window, translate("MainWindow", "&Find…"), standard.Find, window.find)
    window.search_action = _action(window, translate("MainWindow", "Search the &archive"), "Ctrl+Shift+F",
                                   lambda: window.is_built and window.article_list.focus_search())
    window.phone_action = _action(window, translate("MainWindow", "Phone width"), "Ctrl+Shift+P", window._phone_width, checkable=True)
    window.about_action = _action(window, translate("MainWindow", "&About Dayuan Desktop"), None, window.show_about)
    window.log_folder_action = _action(window, translate("MainWindow", "Open &log folder"), None, window.open_log_folder)

    menu = window.menuBar().addMenu(translate("MainWindow", "&File"))
    menu.addActions([window.new_action, window.save_action])
    menu.addSeparator()
    menu.addActions([window.export_action, window.publish_action, window.sync_action])
    menu.addSeparator()
    menu.addActions([window.preferences_action, window.quit_action])
    window.edit_menu = window.menuBar().addMenu(translate("MainWindow", "&Edit"))
    window.edit_menu.addActions([window.find_action, window.search_action])
    window.format_menu = window.menuBar().addMenu(translate("MainWindow", "F&ormat"))
    window.article_menu = window.menuBar().addMenu(translate("MainWindow", "&Article"))
    window.view_menu = window.menuBar().addMenu(translate("MainWindow", "&View"))
    window.view_menu.addAction(window.phone_action)
    window.help_menu = window.menuBar().addMenu(translate("MainWindow", "&Help"))
    window.help_menu.addActions([window.log_folder_action, window.about_action])

    toolbar = window.addToolBar(translate("MainWindow", "Main"))
    toolbar.setObjectName("mainToolbar")
    toolbar.addActions([window.new_action, window.save_action, window.export_action])
    toolbar.addSeparator()
    toolbar.addActions([window.find_action, window.phone_action])


def fill_menus(window: MainWindow) -> None:
    """Menu entries that belong to the panels (built after the first paint)."""
    window.trash_action = window.article_list.trash_action
    window.restore_action = window.article_list.restore_action
    window.duplicate_action = window.article_list.duplicate_action
    body = window.editor.body
    window.format_menu.addActions([a for a in body.actions() if a.objectName() not in ("body_undo", "body_redo")])
    window.edit_menu.insertActions(window.find_action, [body.action("undo"), body.action("redo")])
    window.edit_menu.insertSeparator(window.find_action)
    window.history_action = _action(window, translate("MainWindow", "Revision &history…"), "Ctrl+Shift+H",
                                    lambda: _show_history(window))
    window.article_menu.addAction(window.history_action)
    window.article_menu.addSeparator()
    window.article_menu.addActions([window.duplicate_action, window.trash_action, window.restore_action])
    window.article_menu.addSeparator()
    window.article_menu.addAction(window.article_list.empty_trash_action)
    window.resolve_action = window.article_list.resolve_action
    window.article_menu.addAction(window.resolve_action)
    window.article_list.resolveRequested.connect(lambda copy_id: _show_resolve(window, copy_id))
    window.refresh_action = _action(window, translate("MainWindow", "&Refresh"), QKeySequence.StandardKey.Refresh,
                                    window.leases.refresh_now)  # F5: colleagues' changes at once
    window.view_menu.addAction(window.refresh_action)
    window_layout.add_view_actions(window)



def _show_publish(window: MainWindow) -> None:
    from dayuan_desktop.ui.publishing.publish_dialog import PublishDialog  # loaded when first asked for

    dialog = PublishDialog(window.app_settings, window.settings.data_dir, window.settings.cache_dir, window)
    dialog.exec()


def _sync_runner(window: MainWindow):
    """The window's one sync runner, made when first asked for (its imports stay out of the start)."""
    runner = getattr(window, "sync_runner", None)
    if runner is None:
        from dayuan_desktop.ui.sync_window import SyncRunner

        runner = window.sync_runner = SyncRunner(window)
    return runner


def _show_resolve(window: MainWindow, copy_id: int) -> None:
    from dayuan_desktop.ui.resolve_dialog import ResolveConflictDialog

    dialog = window.resolve_dialog = ResolveConflictDialog(window.store, copy_id, window.zone, window)

    def settled(original_id: int) -> None:
        window.article_list.refresh()
        window.statusBar().showMessage(translate("MainWindow", "Conflict resolved; the copy is in the trash."), 8000)
        if window.editor.article_id in (original_id, copy_id):
            window.open_article(original_id, again=True)

    dialog.resolved.connect(settled)
    dialog.open()


def _show_history(window: MainWindow) -> None:
    from dayuan_desktop.ui.history.dialog import show_history  # loaded when first asked for

    window.history_dialog = show_history(window)
