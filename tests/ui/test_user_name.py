"""The user's name: asked once at first start (default the login name), kept, used by the store."""

from __future__ import annotations

import pytest

from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.user_name import UserNameDialog, ask_user_name_once
from tests.ui.conftest import type_text


def _ask(settings: AppSettings, default: str) -> tuple[UserNameDialog | None, list[str]]:
    names: list[str] = []
    return ask_user_name_once(settings, default, None, names.append), names


def test_name_is_asked_once_with_the_login_name_offered(qtbot, tmp_path):
    settings = AppSettings.from_file(tmp_path / "window.ini")
    dialog, names = _ask(settings, "zhangs")
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.field.text() == "zhangs"  # shown, and nothing blocked
    dialog.field.clear()
    type_text(dialog.field, "张三")
    dialog.ok_button.click()
    assert names == ["张三"]
    again = AppSettings.from_file(tmp_path / "window.ini")
    assert again.user_name == "张三"
    assert _ask(again, "zhangs") == (None, [])  # not asked a second time


def test_closing_the_dialog_keeps_the_login_name(qtbot, tmp_path):
    settings = AppSettings.from_file(tmp_path / "window.ini")
    dialog, names = _ask(settings, "zhangs")
    qtbot.addWidget(dialog)
    dialog.reject()
    assert names == ["zhangs"]
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


def test_a_name_given_after_the_window_opened_is_used_from_then_on(qtbot, tmp_path):
    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.app import ask_for_user_name, create_main_window, dispose_window

    settings = load_settings(tmp_path / "home")
    window = create_main_window(settings, str(tmp_path / "later.sqlite3"))
    ask_for_user_name(window, settings)  # asked over the window; the database opens meanwhile
    with qtbot.waitSignal(window.articleOpened, timeout=20_000):
        pass
    try:
        dialog = next(w for w in window.findChildren(UserNameDialog) if w.isVisible())
        dialog.field.clear()
        type_text(dialog.field, "王五")
        dialog.ok_button.click()
        assert window.store.user_name == "王五"
        article_id = window.editor.article_id
        window.leases._renewed = 0.0  # the next poll renews, and the lease then carries the name
        window.leases.poll_now()
        qtbot.waitUntil(lambda: window.store.leases.check(article_id).holder.user_name == "王五", timeout=5_000)
    finally:
        window.close()
        store = window.store
        dispose_window(window)
        store.db.dispose()
