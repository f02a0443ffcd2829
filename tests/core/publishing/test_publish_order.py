"""No visitor ever sees a broken page: the server's view, recorded while a publish runs.

Every kind of target is watched by polling the folder the server serves (a snapshot of every
file's content, again and again); the FTP server also records each rename and deletion as
it performs them. Photos go before the pages showing them, pages before lists, lists before
feeds, and deletions come last.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from dayuan_desktop.core.publishing.plan import STAGE_NAMES, stage_of
from tests.core.export.sitekit import add_photo, publish
from tests.core.publishing.sitebuild import folder_files, photo_references
from tests.helpers import run_cli as run


class Watcher:
    """Snapshots of a folder (path → sha256), taken as fast as possible in a thread."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.snapshots, self.stop = folder, [], threading.Event()
        self.broken: list[str] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.snapshots.append(self._snapshot())

    def _snapshot(self) -> dict[str, str]:
        """One view of the folder. A walk is not atomic while the publish goes on, so it is made in
        the reverse order of the publish's own: a listing for deletions (which come last), then
        each stage listed and read, from the last stage to the first. A view can then lag behind,
        never show a later step without an earlier one."""
        listed_first = set(self._listing())
        snapshot: dict[str, str] = {}
        for stage in sorted(STAGE_NAMES, reverse=True):
            for name in sorted(name for name in self._listing() if stage_of(name) == stage):
                try:
                    data = (self.folder / name).read_bytes()
                except (FileNotFoundError, IsADirectoryError):
                    continue
                if name.endswith(".html"):  # what a visitor checks: every photo the page shows is there
                    shown = photo_references(name, data.decode("utf-8", "replace"))
                    self.broken += [f"{name} -> {photo}" for photo in shown if not (self.folder / photo).is_file()]
                snapshot[name] = hashlib.sha256(data).hexdigest()
        for name in listed_first - snapshot.keys():  # deleted during this walk: it was there at its start
            snapshot[name] = "vanished"
        return snapshot

    def _listing(self) -> list[str]:
        return [path.relative_to(self.folder).as_posix() for path in self.folder.rglob("*")
                if not path.name.startswith(".") and not path.is_dir()]

    def __enter__(self) -> Watcher:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def change_site(site) -> None:
    """A new article with a new photo (new rendition, page, lists, home, feeds) and a withdrawn one."""
    photo = add_photo(site.store, 900, 700, color=(200, 160, 20), caption="新的图片", photographer="王芳")
    publish(site.store, 106, "news", hour=6, photos=(photo,), summary="摘要106")
    site.edit(102, status="withdrawn")


def first_final(snapshots: list[dict[str, str]], path: str, digest: str | None) -> int:
    """The first snapshot in which ``path`` has its final content (or is gone, for None)."""
    return next(i for i, snap in enumerate(snapshots) if snap.get(path) == digest)


def test_the_server_never_shows_a_broken_page_and_stages_arrive_in_order(capsys, target, site):
    assert run(capsys, *target.args(site.out))[0] == 0
    before = site.files()
    change_site(site)
    after = site.files()
    changed = {path for path in after if before.get(path) != after[path]}
    with Watcher(target.folder) as watcher:
        code, out, err = run(capsys, *target.args(site.out, "--connections", "1"))
    assert code == 0, err
    assert folder_files(target.folder) == after
    watcher.snapshots.append({p: hashlib.sha256(d).hexdigest() for p, d in folder_files(target.folder).items()})
    assert watcher.broken == []
    final = {path: hashlib.sha256(after[path]).hexdigest() for path in changed}
    arrival = {path: first_final(watcher.snapshots, path, digest) for path, digest in final.items()}
    for earlier in changed:
        for later in changed:
            if stage_of(earlier) < stage_of(later):
                assert arrival[earlier] <= arrival[later], (earlier, later)
    deleted_at = first_final(watcher.snapshots, "news/102.html", None)
    assert all(when <= deleted_at for when in arrival.values())


def test_the_ftp_server_sees_photos_then_pages_then_lists_then_feeds_then_deletions(capsys, ftp_target, ftp_server,
                                                                                    site):
    assert run(capsys, *ftp_target.args(site.out))[0] == 0
    change_site(site)
    start = len(ftp_server.events)
    code, _, err = run(capsys, *ftp_target.args(site.out))
    assert code == 0, err
    prefix = ftp_target.folder.name + "/"
    events = [(kind, path.removeprefix(prefix)) for kind, path in ftp_server.events[start:] if path.startswith(prefix)]
    renamed = [path for kind, path in events if kind == "rename"]
    assert "uploads/" in renamed[0] and "news/106.html" in renamed and events[-1] == ("delete", "news/102.html")
    stages = [stage_of(path) for path in renamed]
    assert stages == sorted(stages)
    for index, path in enumerate(renamed):  # every photo a renamed page shows was there already
        if path.endswith(".html"):
            shown = photo_references(path, (site.out / path).read_text(encoding="utf-8"))
            assert shown <= set(renamed[:index]) | set(folder_files(site.out)) - set(renamed[index:]), path
