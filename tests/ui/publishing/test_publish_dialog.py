"""File → 发布到网站服务器 against real servers: a folder, OpenSSH's sshd, pyftpdlib's FTP."""

from __future__ import annotations

from pathlib import Path

from dayuan_desktop.core.publishing.targets import parse_target
from dayuan_desktop.core.secrets import PUBLISH_KEYRING_SERVICE
from dayuan_desktop.ui.publishing.publish_dialog import PublishDialog
from dayuan_desktop.ui.publishing.saved_targets import load_targets
from dayuan_desktop.ui.publishing.target_dialog import TargetDialog
from tests.core.publishing.servers import FTP_PASSWORD, start_sshd
from tests.core.publishing.sitebuild import folder_files
from tests.keyrings import no_keyring

TIMEOUT = 60_000


def open_dialog(qtbot, settings, tmp_path: Path) -> PublishDialog:
    dialog = PublishDialog(settings, tmp_path / "data", tmp_path / "cache")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def add(qtbot, dialog: PublishDialog, address: str, *, identity: str = "", password: str = "") -> None:
    """Add a target through the real Add dialog, as a person fills it in."""
    adder = TargetDialog(dialog._settings, dialog)
    qtbot.addWidget(adder)
    adder.address.setText(address)
    adder.identity.setText(identity)
    adder.password_edit.setText(password)
    adder.accept()
    assert adder.result() == TargetDialog.DialogCode.Accepted, adder.error.text()
    dialog.target_added(adder.saved, adder.password)


def publish(qtbot, dialog: PublishDialog) -> None:
    dialog.publish_button.click()
    assert dialog.job is not None
    qtbot.waitUntil(lambda: dialog.job is None, timeout=TIMEOUT)


def test_publish_to_a_folder_shows_progress_to_the_end_and_a_summary(qtbot, tmp_path, site, window_ini):
    settings, _ = window_ini
    share = tmp_path / "share"
    dialog = open_dialog(qtbot, settings, tmp_path)
    add(qtbot, dialog, str(share))
    seen = []
    dialog.progress.valueChanged.connect(lambda value: seen.append((value, dialog.progress.maximum())))
    publish(qtbot, dialog)

    total = len(site.files())
    assert folder_files(share) == site.files()
    assert dialog.summary.text().startswith(f"{total} uploaded, 0 unchanged, 0 deleted")
    assert dialog.progress.value() == dialog.progress.maximum()
    assert (total, total) in seen  # the files count reached the end before the summary
    assert f"{total} of {total} files" in dialog.bytes_label.text()
    assert dialog.stage_label.text() == "Done."

    publish(qtbot, dialog)  # nothing changed: nothing goes up
    assert dialog.summary.text().startswith(f"0 uploaded, {total} unchanged, 0 deleted")


def test_a_new_ssh_server_shows_its_fingerprint_and_publishes_once_accepted(qtbot, tmp_path, site, sshd,
                                                                            window_ini):
    settings, _ = window_ini
    www = sshd.folder / f"ui-www-{tmp_path.name}"
    www.mkdir()
    dialog = open_dialog(qtbot, settings, tmp_path)
    add(qtbot, dialog, sshd.url(www), identity=str(sshd.user_key))
    publish(qtbot, dialog)
    assert dialog.host_key_frame.isVisible() and sshd.fingerprint in dialog.host_key_text.text()
    assert folder_files(www) == {}  # nothing sent before the key was accepted

    dialog.accept_key_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=TIMEOUT)
    assert folder_files(www) == site.files()
    assert dialog.summary.text().startswith(f"{len(site.files())} uploaded")
    known_hosts = (tmp_path / "data" / "known_hosts").read_text()
    assert f"[127.0.0.1]:{sshd.port} ssh-ed25519 " in known_hosts


def test_a_refused_host_key_sends_nothing(qtbot, tmp_path, site, sshd, window_ini):
    settings, _ = window_ini
    www = sshd.folder / f"ui-refuse-{tmp_path.name}"
    www.mkdir()
    dialog = open_dialog(qtbot, settings, tmp_path)
    add(qtbot, dialog, sshd.url(www), identity=str(sshd.user_key))
    publish(qtbot, dialog)
    dialog.refuse_key_button.click()
    assert not dialog.host_key_frame.isVisible() and "refused" in dialog.summary.text()
    assert folder_files(www) == {} and not (tmp_path / "data" / "known_hosts").exists()


def test_a_changed_host_key_is_refused_without_a_way_to_accept_it(qtbot, tmp_path, site, window_ini):
    settings, _ = window_ini
    (tmp_path / "own-sshd").mkdir()
    server = start_sshd(tmp_path / "own-sshd")
    try:
        www = server.folder / "www"
        www.mkdir()
        dialog = open_dialog(qtbot, settings, tmp_path)
        add(qtbot, dialog, server.url(www), identity=str(server.user_key))
        publish(qtbot, dialog)
        dialog.accept_key_button.click()
        qtbot.waitUntil(lambda: dialog.job is None, timeout=TIMEOUT)
        server.restart_with_new_host_key()
        (site.out / "extra.html").write_text("<p>新页面</p>", encoding="utf-8")
        publish(qtbot, dialog)
        assert "CHANGED" in dialog.summary.text() and server.fingerprint in dialog.summary.text()
        assert not dialog.host_key_frame.isVisible()
        assert "extra.html" not in folder_files(www)
    finally:
        server.stop()


def test_cancel_mid_way_then_a_rerun_uploads_only_what_was_missing(qtbot, tmp_path, site, window_ini):
    settings, _ = window_ini
    static = site.out / "static" / "many"
    static.mkdir(parents=True)
    for index in range(3000):  # enough files that the run is still going when Cancel arrives
        (static / f"f{index:04d}.css").write_text(f"/* {index} */", encoding="utf-8")
    share = tmp_path / "share"
    dialog = open_dialog(qtbot, settings, tmp_path)
    add(qtbot, dialog, str(share))
    dialog.publish_button.click()
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=TIMEOUT)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=TIMEOUT)
    first = dialog.outcome.report
    total = len(site.files())
    assert first.cancelled and 0 < len(first.uploaded) < total
    assert dialog.stage_label.text().startswith("Cancelled")

    publish(qtbot, dialog)
    second = dialog.outcome.report
    assert set(second.uploaded) == set(site.files()) - set(first.uploaded)
    assert folder_files(share) == site.files()


def test_deletions_over_the_limit_are_held_back_and_can_be_allowed_for_this_run(qtbot, tmp_path, site,
                                                                                 window_ini):
    settings, _ = window_ini
    share = tmp_path / "share"
    extra = [site.out / f"old{index}.html" for index in range(3)]
    for page in extra:
        page.write_text("<p>旧页面</p>", encoding="utf-8")
    dialog = open_dialog(qtbot, settings, tmp_path)
    add(qtbot, dialog, str(share))
    publish(qtbot, dialog)
    for page in extra:
        page.unlink()
    dialog.max_deletes.setValue(1)
    publish(qtbot, dialog)
    assert "3 files are gone from the site, more than the limit of 1: nothing was deleted" in dialog.summary.text()
    assert all((share / page.name).exists() for page in extra)
    assert dialog.raise_limit_button.isVisible() and "3" in dialog.raise_limit_button.text()

    dialog.raise_limit_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=TIMEOUT)
    assert dialog.summary.text().endswith("3 deleted.") and folder_files(share) == site.files()
    assert dialog.max_deletes.value() == 1  # raised for that run only


def test_the_ftp_password_goes_to_the_keyring_never_to_window_ini(qtbot, tmp_path, site, ftp_server, window_ini,
                                                                  memory_keyring, monkeypatch):
    monkeypatch.delenv("DAYUAN_PUBLISH_PASSWORD", raising=False)
    settings, ini = window_ini
    (ftp_server.home / f"ui-{tmp_path.name}").mkdir()
    address = ftp_server.url(f"/ui-{tmp_path.name}")
    dialog = open_dialog(qtbot, settings, tmp_path)
    add(qtbot, dialog, address, password=FTP_PASSWORD)
    publish(qtbot, dialog)
    assert dialog.summary.text().startswith(f"{len(site.files())} uploaded"), dialog.summary.text()
    assert memory_keyring.kept[(PUBLISH_KEYRING_SERVICE, parse_target(address).key)] == FTP_PASSWORD
    assert FTP_PASSWORD not in ini.read_text(encoding="utf-8")
    assert [saved.address for saved in load_targets(settings)] == [parse_target(address).key]

    again = open_dialog(qtbot, settings, tmp_path)  # the next session: the keyring gives the password
    publish(qtbot, again)
    assert not again.password_frame.isVisible()
    assert again.summary.text().startswith(f"0 uploaded, {len(site.files())} unchanged")


def test_without_a_keyring_the_password_is_asked_each_time_and_kept_nowhere(qtbot, tmp_path, site, ftp_server,
                                                                            window_ini, monkeypatch):
    monkeypatch.delenv("DAYUAN_PUBLISH_PASSWORD", raising=False)
    settings, ini = window_ini
    (ftp_server.home / f"ui-nokr-{tmp_path.name}").mkdir()
    with no_keyring():
        dialog = open_dialog(qtbot, settings, tmp_path)
        add(qtbot, dialog, ftp_server.url(f"/ui-nokr-{tmp_path.name}"))
        publish(qtbot, dialog)
        assert dialog.password_frame.isVisible() and "no keyring" in dialog.password_note.text()
        assert dialog.outcome is None

        dialog.password_edit.setText(FTP_PASSWORD)
        publish(qtbot, dialog)
        assert dialog.summary.text().startswith(f"{len(site.files())} uploaded"), dialog.summary.text()
        assert "the password was not saved" in dialog.summary.text()

        again = open_dialog(qtbot, settings, tmp_path)
        publish(qtbot, again)
        assert again.password_frame.isVisible()
    data_files = [path for path in (tmp_path / "data").rglob("*") if path.is_file()]
    assert data_files and all(FTP_PASSWORD not in path.read_text(errors="replace") for path in data_files)


def test_a_bad_address_is_refused_in_one_line_and_nothing_is_saved(qtbot, tmp_path, window_ini):
    settings, ini = window_ini
    dialog = open_dialog(qtbot, settings, tmp_path)
    adder = TargetDialog(settings, dialog)
    qtbot.addWidget(adder)
    adder.address.setText("gopher://example.com/site")
    adder.accept()
    assert adder.result() != TargetDialog.DialogCode.Accepted
    assert "unknown kind of target" in adder.error.text() and "\n" not in adder.error.text()
    assert load_targets(settings) == [] and not dialog.publish_button.isEnabled()


def test_preferences_keeps_targets_without_password_and_the_password_in_the_keyring(
        qtbot, tmp_path, ftp_server, window_ini, memory_keyring):
    from dayuan_desktop.ui.publishing.targets_page import TargetsPage

    settings, ini = window_ini
    page = TargetsPage(settings)
    qtbot.addWidget(page)
    address = ftp_server.url("/prefs")
    typed = address.replace("@", f":{FTP_PASSWORD}@")  # a password typed into the address itself
    adder = TargetDialog(settings, page)
    qtbot.addWidget(adder)
    adder.address.setText(typed)
    adder.accept()
    page.target_added(adder.saved, adder.password)
    qtbot.waitUntil(lambda: page.job is None, timeout=TIMEOUT)
    key = parse_target(address).key
    assert [page.list.item(i).text() for i in range(page.list.count())] == [key]
    assert memory_keyring.kept[(PUBLISH_KEYRING_SERVICE, key)] == FTP_PASSWORD
    assert "kept in the system keyring" in page.note.text()
    assert FTP_PASSWORD not in ini.read_text(encoding="utf-8")

    page.list.setCurrentRow(0)
    page.remove_button.click()
    qtbot.waitUntil(lambda: page.job is None, timeout=TIMEOUT)
    assert page.list.count() == 0 and load_targets(settings) == []
    assert (PUBLISH_KEYRING_SERVICE, key) not in memory_keyring.kept


def test_preferences_without_a_keyring_says_the_password_is_not_saved(qtbot, tmp_path, ftp_server, window_ini):
    from dayuan_desktop.ui.publishing.targets_page import TargetsPage

    settings, ini = window_ini
    with no_keyring():
        page = TargetsPage(settings)
        qtbot.addWidget(page)
        adder = TargetDialog(settings, page)
        qtbot.addWidget(adder)
        adder.address.setText(ftp_server.url("/prefs-nokr"))
        adder.password_edit.setText(FTP_PASSWORD)
        adder.accept()
        page.target_added(adder.saved, adder.password)
        qtbot.waitUntil(lambda: page.job is None, timeout=TIMEOUT)
    assert "no keyring" in page.note.text() and "not saved" in page.note.text()
    assert FTP_PASSWORD not in ini.read_text(encoding="utf-8")


def test_files_the_server_refuses_are_listed_by_name(qtbot, tmp_path, site, window_ini, monkeypatch):
    from tests.core.publishing.servers import start_ftp

    settings, _ = window_ini
    home = tmp_path / "read-only-home"
    home.mkdir()
    server = start_ftp(home, tls=False, perm="elr")  # may list and read, never write
    try:
        monkeypatch.setenv("DAYUAN_PUBLISH_PASSWORD", FTP_PASSWORD)
        dialog = open_dialog(qtbot, settings, tmp_path)
        add(qtbot, dialog, server.url("/"))
        publish(qtbot, dialog)
    finally:
        server.stop()
    refused = dialog.outcome.report.failed
    assert refused and dialog.refused.isVisible()
    assert all(f"{path}: " in dialog.refused.toPlainText() for path, _ in refused)
    assert "refused by the server" in dialog.summary.text() and dialog.summary.text().startswith("0 uploaded")
    assert folder_files(home) == {}


def test_a_wrong_password_is_one_line_and_never_kept(qtbot, tmp_path, site, ftp_server, window_ini, memory_keyring,
                                                      monkeypatch):
    monkeypatch.delenv("DAYUAN_PUBLISH_PASSWORD", raising=False)
    settings, ini = window_ini
    dialog = open_dialog(qtbot, settings, tmp_path)
    add(qtbot, dialog, ftp_server.url("/"), password="not-the-password")
    publish(qtbot, dialog)
    assert "refused the login" in dialog.summary.text() and "\n" not in dialog.summary.text()
    assert "not-the-password" not in dialog.summary.text()
    assert memory_keyring.kept == {} and "not-the-password" not in ini.read_text(encoding="utf-8")


def test_a_dry_run_says_what_would_change_and_changes_nothing(qtbot, tmp_path, site, window_ini):
    settings, _ = window_ini
    share = tmp_path / "share"
    dialog = open_dialog(qtbot, settings, tmp_path)
    add(qtbot, dialog, str(share))
    dialog.dry_run.setChecked(True)
    publish(qtbot, dialog)
    assert dialog.summary.text().startswith(f"Would upload {len(site.files())} files")
    assert dialog.stage_label.text() == "Dry run: nothing was changed."
    assert not share.exists() or folder_files(share) == {}


def test_closing_during_a_run_cancels_it_then_closes(qtbot, tmp_path, site, window_ini):
    settings, _ = window_ini
    many = site.out / "static" / "many"
    many.mkdir(parents=True)
    for index in range(3000):
        (many / f"f{index:04d}.css").write_text(f"/* {index} */", encoding="utf-8")
    dialog = open_dialog(qtbot, settings, tmp_path)
    add(qtbot, dialog, str(tmp_path / "share"))
    dialog.publish_button.click()
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=TIMEOUT)
    dialog.reject()
    assert dialog.isVisible()  # still sending the files in flight
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert dialog.job is None


def test_verify_restores_a_file_deleted_on_the_server_by_hand(qtbot, tmp_path, site, window_ini):
    settings, _ = window_ini
    share = tmp_path / "share"
    dialog = open_dialog(qtbot, settings, tmp_path)
    add(qtbot, dialog, str(share))
    publish(qtbot, dialog)
    lost = next(path for path in site.files() if path.endswith(".html"))
    (share / lost).unlink()
    dialog.verify.setChecked(True)
    publish(qtbot, dialog)
    assert dialog.summary.text().startswith("1 uploaded")
    assert "1 files were missing or different on the server" in dialog.summary.text()
    assert folder_files(share) == site.files()
