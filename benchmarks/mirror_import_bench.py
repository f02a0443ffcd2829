"""``import DIR`` of a mirrored copy of the site (issue 20 item 1): whole-process rate.

The mirror is our export of ``--articles`` generated articles (~2,000 characters, ``--photos``
of them with a 1600×1067 JPEG) laid out as ``wget --mirror`` leaves the live site (a host
folder, no export manifest), list and home pages included. Timed as whole processes on a
fresh SQLite database each round: ``import DIR`` (walk, classify, import); the baseline in the
same run is today's ``import --create-channels FILE…`` of the same article pages (the same
per-page import without the walk); then ``import DIR`` again on the filled database (every page a
duplicate). Rounds interleaved; best and median printed with the load.

    python benchmarks/mirror_import_bench.py [--articles 1000] [--photos 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_articles import ARTICLE_CHANNELS, PHOTO_HEIGHT, PHOTO_WIDTH, make_article, make_photo  # noqa: E402
from bench_common import REPOSITORY, code_version, p  # noqa: E402

from dayuan_desktop.core.db import open_database  # noqa: E402
from dayuan_desktop.core.export import SiteExporter  # noqa: E402
from dayuan_desktop.core.site import SiteSettings  # noqa: E402
from dayuan_desktop.core.store import Store  # noqa: E402

HOST = "www.shanxidayuan.com"


def build_mirror(folder: Path, articles: int, photos: int) -> tuple[Path, list[Path]]:
    """The export of the generated articles as a wget mirror; returns (mirror, its article pages)."""
    store = Store(open_database(str(folder / "source.sqlite3"), backup_dir=folder / "backups"), user_name="bench")
    for path, name in ARTICLE_CHANNELS:
        store.create_channel(path, name)
    for index in range(articles):
        synthetic = make_article(20, index)
        line = ""
        shas = []
        if index < photos:
            photo = store.photos.add_photo(make_photo(index), format="JPEG", width=PHOTO_WIDTH, height=PHOTO_HEIGHT,
                                           caption=synthetic.caption, photographer=synthetic.photographer)
            shas, line = [photo.sha256], f"![{synthetic.caption}](photo:{photo.sha256})"
        article = store.create_article(**synthetic.values, body=synthetic.body(line))
        if shas:
            store.photos.set_article_photos(article.id, shas)
    SiteExporter(store, SiteSettings(), folder / "export", workers=1).run()
    store.db.dispose()
    mirror = folder / "mirror"
    host = Path(shutil.copytree(folder / "export", mirror / HOST))
    (host / ".dayuan-export.json").unlink()
    pages = sorted(page for page in host.rglob("*.html") if page.stem.isdigit())
    return mirror, pages


def run(db: Path, *args: str) -> tuple[float, str]:
    """One whole ``dayuan-desktop`` process: (seconds, its last stdout line)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dayuan_desktop", "--db", str(db), *args], cwd=REPOSITORY,
                          capture_output=True, text=True, env={**os.environ, "DAYUAN_DATA_DIR": str(db.parent / "data")})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {args[:2]}: {done.stderr[-2000:]}")
    return seconds, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    out = sys.stdout
    with tempfile.TemporaryDirectory(prefix="mirror-bench-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as t:
        folder = Path(t)
        mirror, pages = build_mirror(folder, options.articles, options.photos)
        html = sum(1 for _ in mirror.rglob("*.html"))
        p(out, f"mirror import bench, {code_version()}; {len(pages)} article pages of {html} HTML files, "
               f"{options.photos} photos; load {os.getloadavg()[0]:.2f}")
        times: dict[str, list[float]] = {"import DIR": [], "import FILE... (baseline)": [], "import DIR again": []}
        for round_ in range(options.rounds):
            db = folder / f"dir{round_}" / "db.sqlite3"
            db.parent.mkdir()
            seconds, line = run(db, "import", str(mirror))
            times["import DIR"].append(seconds)
            p(out, f"  round {round_ + 1} import DIR: {seconds:.2f} s ({line}); load {os.getloadavg()[0]:.2f}")
            files = folder / f"files{round_}" / "db.sqlite3"
            files.parent.mkdir()
            seconds, base = run(files, "import", "--create-channels", *map(str, pages))
            times["import FILE... (baseline)"].append(seconds)
            p(out, f"  round {round_ + 1} import FILE...: {seconds:.2f} s ({base}); load {os.getloadavg()[0]:.2f}")
            seconds, again = run(db, "import", str(mirror))
            times["import DIR again"].append(seconds)
            p(out, f"  round {round_ + 1} import DIR again: {seconds:.2f} s ({again})")
        for label, values in times.items():
            best, median = min(values), statistics.median(values)
            p(out, f"{label:28} best {best:.2f} s = {len(pages) / best:.0f} pages/s, median {median:.2f} s")
        ratio = min(times["import DIR"]) / min(times["import FILE... (baseline)"])
        p(out, f"import DIR / import FILE... (best over best): {ratio:.2f}x; load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
