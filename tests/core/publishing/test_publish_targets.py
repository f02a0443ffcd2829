"""Publishing to every kind of target (folder, real sshd, pyftpdlib FTP and FTPS): what reaches
the server, byte for byte, and what a second, changed or shrunk site sends."""

from __future__ import annotations

from tests.core.publishing.sitebuild import folder_files
from tests.helpers import run_cli as run


def last_line(out: str) -> str:
    return out.strip().splitlines()[-1]


def test_full_publish_puts_the_site_on_the_server_byte_for_byte_and_a_second_sends_nothing(
        capsys, target, site):
    files = site.files()
    code, out, err = run(capsys, *target.args(site.out))
    assert code == 0, err
    assert last_line(out) == f"{len(files)} uploaded, 0 unchanged, 0 deleted"
    assert folder_files(target.folder) == files  # no temporary, no manifest, nothing missing

    code, out, err = run(capsys, *target.args(site.out))
    assert code == 0, err
    assert last_line(out) == f"0 uploaded, {len(files)} unchanged, 0 deleted"


def test_one_changed_article_sends_only_the_files_it_changed(capsys, target, site):
    assert run(capsys, *target.args(site.out))[0] == 0
    before = site.files()
    site.edit(103, title="理政公示栏目改过的标题")
    after = site.files()
    changed = {path for path in after if before.get(path) != after[path]}
    assert "gsyl/lzgs/103.html" in changed and not any(path.startswith("uploads/") for path in changed)
    code, out, err = run(capsys, *target.args(site.out))
    assert code == 0, err
    assert last_line(out) == f"{len(changed)} uploaded, {len(after) - len(changed)} unchanged, 0 deleted"
    assert folder_files(target.folder) == after


def test_a_withdrawn_articles_page_is_deleted_from_the_server(capsys, target, site):
    assert run(capsys, *target.args(site.out))[0] == 0
    assert (target.folder / "news/102.html").is_file()
    site.edit(102, status="withdrawn")
    code, out, err = run(capsys, *target.args(site.out))
    assert code == 0, err
    assert "deleted: news/102.html" in out and last_line(out).endswith(", 1 deleted")
    assert not (target.folder / "news/102.html").exists()
    assert folder_files(target.folder) == site.files()
