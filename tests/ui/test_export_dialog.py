"""The export dialog: exports what was asked, cancels cleanly, and says clearly what went wrong."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.export.manifest import MANIFEST_NAME
from dayuan_desktop.core.export.output import TEMP_MARK
from dayuan_desktop.core.sample import load_sample
from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.export_dialog import ExportDialog
from tests.ui.conftest import url_catcher

TIMEOUT = 60_000


@pytest.fixture
def app_settings(tmp_path) -> AppSettings:
    return AppSettings.from_file(tmp_path / "settings.ini")


@pytest.fixture
def sqlite_store(tmp_path):
    database = open_database(tmp_path / "newsroom.sqlite3", backup_dir=tmp_path / "backups")
    store = Store(database, user_name="tester")
    yield store
    database.dispose()


def make_dialog(qtbot, store, app_settings, selected=()) -> ExportDialog:
    dialog = ExportDialog(store, app_settings, selected)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def run_export(qtbot, dialog: ExportDialog) -> None:
    dialog.export_button.click()
    assert dialog.is_running()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=TIMEOUT)


def test_export_the_sample_from_the_dialog(qtbot, store, app_settings, tmp_path):
    load_sample(store)
    dialog = make_dialog(qtbot, store, app_settings)
    assert dialog.all_radio.isChecked() and not dialog.selected_radio.isEnabled()  # nothing selected
    target = tmp_path / "站点"
    dialog.folder_edit.setText(str(target))
    with qtbot.waitSignal(dialog.export_finished, timeout=TIMEOUT) as finished:
        dialog.export_button.click()
        assert not dialog.export_button.isEnabled() and dialog.cancel_button.isEnabled()
    page = target / "gsyl" / "lzgs" / "4709.html"
    assert page.is_file() and "党旗飘扬" in page.read_text(encoding="utf-8")
    report = finished.args[0]
    assert "gsyl/lzgs/4709.html" in report.written and (target / "index.html").is_file()
    assert dialog.status_label.text().startswith(f"Export finished: {len(report.written)} file(s) written, 0 unchanged")
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum()
    assert dialog.open_folder_button.isEnabled() and dialog.export_button.isEnabled()
    assert AppSettings.from_file(tmp_path / "settings.ini").export_folder == target  # remembered

    # Again: nothing changed, nothing written.
    run_export(qtbot, dialog)
    assert dialog.report.written == [] and dialog.report.unchanged == len(report.written)
    assert "0 file(s) written" in dialog.status_label.text()


def test_the_remembered_folder_is_offered_next_time(qtbot, sqlite_store, app_settings, tmp_path):
    app_settings.export_folder = tmp_path / "last-site"
    dialog = make_dialog(qtbot, sqlite_store, app_settings)
    assert dialog.folder_edit.text() == str(tmp_path / "last-site")


def test_open_folder_asks_the_desktop_to_open_the_target(qtbot, store, app_settings, tmp_path):
    load_sample(store)
    dialog = make_dialog(qtbot, store, app_settings)
    dialog.folder_edit.setText(str(tmp_path / "site"))
    run_export(qtbot, dialog)
    recorder = url_catcher()
    QDesktopServices.setUrlHandler("file", recorder, "open")  # instead of a real file manager
    try:
        dialog.open_folder_button.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in recorder.urls] == [str(tmp_path / "site")]


def test_selected_articles_only_and_unpublished_ones_are_listed_as_skipped(qtbot, sqlite_store, app_settings, tmp_path):
    load_sample(sqlite_store)
    sqlite_store.create_article(title="草稿", channel_path="gsyl/lzgs", status="draft", number=4710, body="正文。")
    dialog = make_dialog(qtbot, sqlite_store, app_settings, selected=[4710, 4709])
    assert dialog.selected_radio.isChecked() and "2 selected" in dialog.selected_radio.text()
    qtbot.waitUntil(lambda: dialog.skipped_label.isVisible())
    assert dialog.skipped_label.text() == "Not published, will be skipped: 4710"
    dialog.folder_edit.setText(str(tmp_path / "site"))
    run_export(qtbot, dialog)
    assert (tmp_path / "site" / "gsyl" / "lzgs" / "4709.html").is_file()
    assert not (tmp_path / "site" / "gsyl" / "lzgs" / "4710.html").exists()
    assert not (tmp_path / "site" / "index.html").exists()  # a selection leaves lists and feeds alone
    assert "Skipped (not published): 4710" in dialog.details.toPlainText()


def test_a_selection_with_nothing_published_is_refused_clearly(qtbot, sqlite_store, app_settings, tmp_path):
    sqlite_store.create_channel("news")
    sqlite_store.create_article(title="草稿", channel_path="news", status="draft", number=7, body="正文。")
    dialog = make_dialog(qtbot, sqlite_store, app_settings, selected=[7])
    qtbot.waitUntil(lambda: dialog.skipped_label.isVisible())
    dialog.folder_edit.setText(str(tmp_path / "site"))
    dialog.export_button.click()
    assert not dialog.is_running()
    assert dialog.status_label.text() == "None of the selected articles is published; nothing to export."


def publish_many(store: Store, count: int) -> None:
    store.create_channel("news", "新闻")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    store.create_articles([
        dict(title=f"第{n}篇新闻", channel_path="news", status="published", number=n, author="网络编辑",
             published_at=start + timedelta(minutes=n), body=f"第{n}篇新闻的正文。\n\n## 小标题\n\n第二段。\n")
        for n in range(1, count + 1)
    ])


def site_is_consistent(folder: Path) -> dict[str, str]:
    """Every file the manifest names is there with the recorded bytes; no temporary or half file."""
    manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    files = manifest["files"]
    for relative, entry in files.items():
        data = (folder / relative).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry.split()[1], relative
        if relative.endswith(".html"):
            assert data.rstrip().endswith(b"</html>"), relative
    leftovers = [path for path in folder.rglob("*") if path.name.startswith(TEMP_MARK)]
    assert leftovers == []
    return files


def test_cancel_half_way_leaves_a_consistent_folder_and_the_next_export_completes(
    qtbot, sqlite_store, app_settings, tmp_path
):
    publish_many(sqlite_store, 400)
    dialog = make_dialog(qtbot, sqlite_store, app_settings)
    target = tmp_path / "site"
    dialog.folder_edit.setText(str(target))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() > 0, timeout=TIMEOUT)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=TIMEOUT)
    assert dialog.status_label.text().startswith("Export cancelled after")
    assert dialog.report is None
    written = site_is_consistent(target)
    pages = [path for path in written if path.startswith("news/") and not path.startswith("news/index")]
    assert len(written) > 0 and len(pages) < 400  # stopped part-way (lists and static files come first)

    run_export(qtbot, dialog)
    assert dialog.report is not None and len(dialog.report.written) > 0
    assert dialog.report.unchanged >= len(written) - 1  # what the cancelled run wrote is not written again
    files = site_is_consistent(target)
    assert all(f"news/{n}.html" in files for n in range(1, 401))


def test_closing_the_dialog_while_exporting_cancels_first(qtbot, sqlite_store, app_settings, tmp_path):
    publish_many(sqlite_store, 300)
    dialog = make_dialog(qtbot, sqlite_store, app_settings)
    dialog.folder_edit.setText(str(tmp_path / "site"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() > 0, timeout=TIMEOUT)
    dialog.close()
    assert dialog.isVisible() or not dialog.is_running()  # not abandoned while it runs
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert not dialog.is_running()
    site_is_consistent(tmp_path / "site")


# -- folders that cannot be written ------------------------------------------------------------
def assert_refused(qtbot, dialog: ExportDialog, app_settings: AppSettings, folder: Path, expected: str) -> None:
    dialog.folder_edit.setText(str(folder))
    dialog.export_button.click()
    assert not dialog.is_running()
    message = dialog.status_label.text()
    assert expected in message and str(folder) in message, message
    assert dialog.status_label.property("error") is True
    assert dialog.folder_edit.text() == str(folder) and dialog.export_button.isEnabled()  # nothing lost
    assert app_settings.export_folder is None  # a folder that failed is not remembered


def test_a_file_instead_of_a_folder_is_a_clear_message(qtbot, sqlite_store, app_settings, tmp_path):
    blocker = tmp_path / "site.html"
    blocker.write_text("x")
    dialog = make_dialog(qtbot, sqlite_store, app_settings)
    assert_refused(qtbot, dialog, app_settings, blocker, "is a file, not a folder")
    assert_refused(qtbot, dialog, app_settings, blocker / "site", "Cannot write to")


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """Make a folder nobody can write to: chmod for a normal user, the immutable flag for root."""
    folder.mkdir(parents=True, exist_ok=True)
    as_root = os.geteuid() == 0
    if as_root:
        result = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"running as root and chattr +i is not available here: {result.stderr.strip()}")
    else:
        folder.chmod(0o555)
    try:
        yield folder
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        else:
            folder.chmod(0o755)


@pytest.fixture
def read_only_folder(tmp_path):
    with read_only(tmp_path / "read-only") as folder:
        yield folder


def test_a_read_only_folder_is_a_clear_message(qtbot, sqlite_store, app_settings, read_only_folder):
    load_sample(sqlite_store)
    dialog = make_dialog(qtbot, sqlite_store, app_settings)
    assert_refused(qtbot, dialog, app_settings, read_only_folder, "Cannot write to")
    reason = dialog.status_label.text()
    assert "Permission denied" in reason or "Operation not permitted" in reason
    assert list(read_only_folder.iterdir()) == []


def test_an_empty_folder_field_asks_for_one(qtbot, sqlite_store, app_settings):
    dialog = make_dialog(qtbot, sqlite_store, app_settings)
    dialog.export_button.click()
    assert dialog.status_label.text() == "Choose the folder to export to." and not dialog.is_running()


def test_a_failure_during_the_export_is_a_clear_message_and_the_dialog_stays_usable(
    qtbot, sqlite_store, app_settings, tmp_path
):
    load_sample(sqlite_store)
    target = tmp_path / "site"
    dialog = make_dialog(qtbot, sqlite_store, app_settings)
    dialog.folder_edit.setText(str(target))
    with read_only(target / "gsyl"):  # the folder itself is writable, the channel's folder is not
        run_export(qtbot, dialog)
        message = dialog.status_label.text()
        assert message.startswith(f"Cannot write to {target / 'gsyl'}"), message
        assert dialog.status_label.property("error") is True and dialog.report is None
    run_export(qtbot, dialog)  # once the folder can be written, the same dialog exports
    assert (target / "gsyl" / "lzgs" / "4709.html").is_file()
    assert dialog.status_label.property("error") is False
