"""--dry-run changes nothing; --max-deletes holds deletions back; bad input gets one clear line and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.publishing.servers import FTP_PASSWORD, free_port, start_ftp
from tests.core.publishing.sitebuild import folder_files
from tests.helpers import run_cli as run


def record_files(data_dir: Path) -> dict[str, bytes]:
    folder = data_dir / "data" / "publish"
    return folder_files(folder) if folder.exists() else {}


def test_dry_run_lists_what_would_happen_and_changes_neither_server_nor_record(
        capsys, target, site, isolated_user_folders):
    assert run(capsys, *target.args(site.out))[0] == 0
    site.edit(103, title="理政公示栏目改过的标题")
    site.edit(102, status="withdrawn")
    server_before, record_before = folder_files(target.folder), record_files(isolated_user_folders)
    code, out, err = run(capsys, *target.args(site.out, "--dry-run"))
    assert code == 0, err
    assert "would upload: gsyl/lzgs/103.html" in out and "would delete: news/102.html" in out
    assert "nothing was changed" in out and out.strip().splitlines()[-1].startswith("0 uploaded, ")
    assert folder_files(target.folder) == server_before
    assert record_files(isolated_user_folders) == record_before
    code, out, _ = run(capsys, *target.args(site.out))
    assert code == 0 and "deleted: news/102.html" in out


def test_max_deletes_holds_every_deletion_back_until_raised(capsys, sftp_target, site):
    assert run(capsys, *sftp_target.args(site.out))[0] == 0
    site.edit(102, status="withdrawn")
    site.edit(105, status="withdrawn")
    gone = folder_files(sftp_target.folder).keys() - site.files().keys()
    assert {"news/102.html", "news/105.html"} <= gone
    code, out, err = run(capsys, *sftp_target.args(site.out, "--max-deletes", "1"))
    assert code == 1
    assert f"{len(gone)} files are gone from the site, more than --max-deletes 1: nothing was deleted" in err
    assert out.strip().splitlines()[-1].endswith(", 0 deleted")
    assert (sftp_target.folder / "news/102.html").exists() and (sftp_target.folder / "news/105.html").exists()
    assert (sftp_target.folder / "index.html").read_bytes() == (site.out / "index.html").read_bytes()  # uploads went on
    code, out, err = run(capsys, *sftp_target.args(site.out, "--max-deletes", str(len(gone))))
    assert code == 0, err
    assert out.strip().splitlines()[-1] == f"0 uploaded, {len(site.files())} unchanged, {len(gone)} deleted"
    assert folder_files(sftp_target.folder) == site.files()


@pytest.mark.parametrize(("address", "message"), [
    ("http://example.com/www", "unknown kind of target 'http://'"),
    ("sftp://editor@127.0.0.1:99999/www", "not a valid target address"),
    ("sftp:///www", "the target has no server name"),
    ("ftp://editor@127.0.0.1/www?x=1", "cannot have '?' or '#'"),
    ("sftp://editor@127.0.0.1/../etc", "cannot contain '..'"),
])
def test_bad_target_addresses_get_one_clear_line(capsys, site, isolated_user_folders, address, message):
    code, out, err = run(capsys, "publish", "--to", address, "--site", str(site.out))
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [err.strip()] and message in err
    assert record_files(isolated_user_folders) == {}


def test_a_wrong_password_is_refused_in_one_line_and_nothing_changes(
        capsys, ftp_target, site, monkeypatch, isolated_user_folders):
    monkeypatch.setenv("DAYUAN_PUBLISH_PASSWORD", "not-the-password")
    code, out, err = run(capsys, *ftp_target.args(site.out))
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "refused the login of 'editor'" in err and "not-the-password" not in err
    assert folder_files(ftp_target.folder) == {} and record_files(isolated_user_folders) == {}


@pytest.mark.parametrize("scheme", ["sftp", "ftp"])
def test_a_server_that_is_gone_is_said_in_one_line(capsys, site, monkeypatch, isolated_user_folders, scheme):
    monkeypatch.setenv("DAYUAN_PUBLISH_PASSWORD", FTP_PASSWORD)
    port = free_port()
    code, out, err = run(capsys, "publish", "--to", f"{scheme}://editor@127.0.0.1:{port}/www", "--site", str(site.out))
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert f"cannot connect to 127.0.0.1:{port}" in err and "refused" in err.lower()
    assert record_files(isolated_user_folders) == {}


def test_a_server_folder_that_does_not_exist_is_said_in_one_line(capsys, sftp_target, site):
    sftp_target.url = sftp_target.url + "/no/such/folder"
    code, out, err = run(capsys, *sftp_target.args(site.out))
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "cannot use the folder" in err and "/no/such/folder" in err


def test_an_unwritable_server_path_fails_each_photo_by_name_and_sends_no_page(
        capsys, tmp_path, site, monkeypatch, isolated_user_folders):
    home = tmp_path / "read-only-home"
    home.mkdir()
    server = start_ftp(home, tls=False, perm="elr")  # may list and read, never write
    try:
        monkeypatch.setenv("DAYUAN_PUBLISH_PASSWORD", FTP_PASSWORD)
        code, out, err = run(capsys, "publish", "--to", server.url("/"), "--site", str(site.out), "--quiet")
    finally:
        server.stop()
    assert code == 1
    failed = [line for line in err.splitlines() if line.startswith("failed: ")]
    assert failed and all("the server refused it" in line for line in failed)
    assert all(line.split()[1].startswith(("uploads/", "static/")) for line in failed)  # stopped before pages
    assert out.strip().splitlines()[-1].startswith("0 uploaded, ")
    assert folder_files(home) == {}


def test_a_missing_site_folder_or_a_target_that_is_a_file_is_said_in_one_line(capsys, tmp_path, site):
    code, _, err = run(capsys, "publish", "--to", str(tmp_path / "share"), "--site", str(tmp_path / "nothing"))
    assert code == 1 and "the site folder" in err and "does not exist" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "a-file").write_text("x")
    code, _, err = run(capsys, "publish", "--to", str(tmp_path / "a-file"), "--site", str(site.out))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "a-file" in err
    assert (tmp_path / "a-file").read_text() == "x"


def test_without_site_the_windows_export_folder_is_published(capsys, tmp_path, site, isolated_user_folders):
    ini = isolated_user_folders / "data" / "window.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text(f"[export]\nfolder={site.out}\n", encoding="utf-8")
    code, out, err = run(capsys, "publish", "--to", str(tmp_path / "share"), "--quiet")
    assert code == 0, err
    assert folder_files(tmp_path / "share") == site.files()
    ini.write_text("[export]\nfolder=\n", encoding="utf-8")
    code, _, err = run(capsys, "publish", "--to", str(tmp_path / "share"))
    assert code == 2 and "give --site DIR" in err


@pytest.mark.parametrize(("option", "value"), [("--max-deletes", "-1"), ("--connections", "0"),
                                               ("--connections", "100")])
def test_out_of_range_numbers_are_usage_errors(capsys, tmp_path, site, option, value):
    code, out, err = run(capsys, "publish", "--to", str(tmp_path / "share"), "--site", str(site.out), option, value)
    assert code == 2 and out == "" and option in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "share").exists()
