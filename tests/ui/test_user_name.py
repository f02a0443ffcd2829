"""The user's name: asked once at first start (default the login name), kept, used by the store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.user_name import UserNameDialog, ask_user_name_once
from tests.ui.conftest import type_text


def _answer(text: str | None) -> list[str]:
    """Answer the dialog when it shows: type ``text`` (None: close it); returns the defaults seen."""
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UserNameDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.field.text())
        if text is None:
            dialog.reject()
            return
        dialog.field.clear()
        type_text(dialog.field, text)
        dialog.ok_button.click()

    QTimer.singleShot(0, answer)
    return seen


def test_name_is_asked_once_with_the_login_name_offered(qtbot, tmp_path):
    settings = AppSettings.from_file(tmp_path / "window.ini")
    seen = _answer("张三")
    assert ask_user_name_once(settings, "zhangs") == "张三"
    assert seen == ["zhangs"]
    again = AppSettings.from_file(tmp_path / "window.ini")
    assert again.user_name == "张三"
    assert ask_user_name_once(again, "zhangs") == "张三"  # no dialog the second time (it would block)


def test_closing_the_dialog_keeps_the_login_name(qtbot, tmp_path):
    settings = AppSettings.from_file(tmp_path / "window.ini")
    _answer(None)
    assert ask_user_name_once(settings, "zhangs") == "zhangs"
    assert AppSettings.from_file(tmp_path / "window.ini").user_name == "zhangs"


def test_an_empty_name_cannot_be_confirmed(qtbot):
    dialog = UserNameDialog("zhangs")
    qtbot.addWidget(dialog)
    dialog.field.setText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.field.setText(" 张  三 ")
    assert dialog.ok_button.isEnabled() and dialog.name() == "张 三"


@pytest.mark.parametrize("bad", ["", "   ", "名" * 101])
def test_an_unusable_stored_name_is_refused_and_the_old_one_kept(tmp_path, bad):
    settings = AppSettings.from_file(tmp_path / "window.ini")
    settings.user_name = "张三"
    with pytest.raises(ValueError, match="user name"):
        settings.user_name = bad
    assert settings.user_name == "张三"


def test_the_window_uses_the_stored_name(qtbot, tmp_path):
    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.app import create_main_window, dispose_window, ui_settings

    settings = load_settings(tmp_path / "home")
    named = AppSettings(ui_settings(settings))
    named.user_name = "李四"
    named.save()
    window = create_main_window(settings, str(tmp_path / "named.sqlite3"))
    with qtbot.waitSignal(window.articleOpened, timeout=20_000):
        pass
    try:
        assert window.store.user_name == "李四"
        assert window.store.leases.check(window.editor.article_id).holder.user_name == "李四"
    finally:
        window.close()
        store = window.store
        dispose_window(window)
        store.db.dispose()
