"""Markdown image lines pointing outside the folder being imported (``../``, absolute paths):
how many of those files ended up in the photo library (issue 15 item 7: should be none)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.errors import NotFoundError
from dayuan_desktop.core.store import Store
from soakkit.site import build_site, small_jpeg


def reads_outside_import_folder(workdir: Path, env: dict[str, str]) -> list[str]:
    """Import articles whose image lines leave their folder; the outside files that were read."""
    private = workdir / "private"
    private.mkdir(parents=True, exist_ok=True)
    secrets = {name: small_jpeg(90_000 + n) for n, name in enumerate(("relative.jpg", "absolute.jpg"))}
    for name, data in secrets.items():
        (private / name).write_bytes(data)
    folder = workdir / "import"
    folder.mkdir(exist_ok=True)
    lines = {"relative.jpg": "../private/relative.jpg", "absolute.jpg": str(private / "absolute.jpg")}
    files = []
    for n, reference in enumerate(lines.values()):
        path = folder / f"outside{n}.md"
        path.write_text(f"---\ntitle: 越界测试{n}\nchannel: gsyl/lzgs\nnumber: {8800 + n}\n---\n\n正文。\n\n"
                        f"![图为外部文件]({reference})\n", encoding="utf-8")
        files.append(str(path))
    database = build_site(workdir / "outside.sqlite3", articles=0)
    subprocess.run([sys.executable, "-m", "dayuan_desktop", "--db", str(database), "--data-dir", str(workdir / "home"),
                    "import", "--create-channels", *files], env=env, capture_output=True, timeout=300)
    store = Store(open_database(database, upgrade=False), user_name="soak")
    read = []
    try:
        for name, data in secrets.items():
            try:
                store.photos.get_photo(hashlib.sha256(data).hexdigest())
                read.append(lines[name])
            except NotFoundError:
                pass
    finally:
        store.db.dispose()
    return read
