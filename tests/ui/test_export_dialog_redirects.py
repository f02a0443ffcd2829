"""The export dialog's summary lists the redirect pages at the old addresses of renumbered articles."""

from __future__ import annotations

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.sample import load_sample
from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.export_dialog import ExportDialog


def test_the_summary_lists_each_redirect(qtbot, tmp_path):
    database = open_database(tmp_path / "newsroom.sqlite3", backup_dir=tmp_path / "backups")
    try:
        store = Store(database, user_name="tester")
        load_sample(store)
        article = store.find_article("4709")
        store.update_article(article.id, {"number": 4800}, expected_version=article.version)
        dialog = ExportDialog(store, AppSettings.from_file(tmp_path / "settings.ini"), [])
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.folder_edit.setText(str(tmp_path / "site"))
        with qtbot.waitSignal(dialog.export_finished, timeout=60_000):
            dialog.export_button.click()
        assert "Redirect: gsyl/lzgs/4709.html → gsyl/lzgs/4800.html" in dialog.details.toPlainText().splitlines()
        assert dialog.details.isVisible()
        assert "refresh" in (tmp_path / "site" / "gsyl" / "lzgs" / "4709.html").read_text(encoding="utf-8")
    finally:
        database.dispose()
