"""``import DIR`` of a mirrored copy of the site (issue 20 item 1): whole-process rate.

Each mirror is our export of ``--articles`` generated articles (~2,000 characters; of them
``--photos`` with a 1600×1067 JPEG, one mirror per number given) laid out as ``wget --mirror``
leaves the live site (a host folder, no export manifest), list and home pages included. Timed
as whole processes on a fresh SQLite database and data folder each round (so each run makes
the photos' web renditions): this checkout's ``import DIR`` (the batch import: workers read
pages and photos, one writer) against the baseline in the same run doing the same work, the
``import DIR`` of another checkout (``--baseline``, e.g. main before this change: page by page);
then ``import DIR`` again on the filled database (every page a duplicate). Rounds interleaved
(the order alternates); best and median printed with CPU (the process and its workers) and load.

    python benchmarks/mirror_import_bench.py [--articles 1000] [--photos 0 1000] [--rounds 3] [--baseline /work/main]
"""

from __future__ import annotations

import argparse
import os
import resource
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


def run(code: Path, db: Path, *args: str) -> tuple[float, float, str]:
    """One whole ``dayuan-desktop`` process of the checkout ``code``: (seconds, CPU seconds of it and
    its workers, its last stdout line). A fresh data folder beside the database: its renditions are
    made by the run being timed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dayuan_desktop", "--db", str(db), *args], cwd=code,
                          capture_output=True, text=True, env={**os.environ, "DAYUAN_DATA_DIR": str(db.parent / "data"),
                                                               "PYTHONPATH": str(code)})
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"failed: {args[:2]}: {done.stderr[-2000:]}")
    return seconds, cpu, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--photos", type=int, nargs="+", default=[0, 1000],
                        help="mirrors to time: how many of the articles have a photo, one mirror per figure")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, default=Path("/work/main"),
                        help="checkout whose import DIR is the baseline (the page-by-page import: main before "
                             "the batch import)")
    options = parser.parse_args()
    out = sys.stdout
    with tempfile.TemporaryDirectory(prefix="mirror-bench-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as t:
        for photos in options.photos:
            folder = Path(t) / f"photos{photos}"
            folder.mkdir()
            _time_mirror(out, folder, options, photos)


def _time_mirror(out, folder: Path, options, photos: int) -> None:
    mirror, pages = build_mirror(folder, options.articles, photos)
    html = sum(1 for _ in mirror.rglob("*.html"))
    p(out, f"mirror import bench, {code_version()}; baseline {options.baseline}; {len(pages)} article pages of "
           f"{html} HTML files, {photos} with a {PHOTO_WIDTH}x{PHOTO_HEIGHT} JPEG; load {_load()}")
    kinds = {"import DIR (batch)": REPOSITORY, "import DIR (baseline, page by page)": options.baseline}
    times: dict[str, list[tuple[float, float]]] = {kind: [] for kind in kinds}
    again: list[float] = []
    for round_ in range(options.rounds):
        order = list(kinds.items()) if round_ % 2 == 0 else list(reversed(kinds.items()))
        for kind, code in order:
            db = folder / f"{'batch' if code == REPOSITORY else 'base'}{round_}" / "db.sqlite3"
            db.parent.mkdir()
            seconds, cpu, line = run(code, db, "import", str(mirror))
            times[kind].append((seconds, cpu))
            p(out, f"  round {round_ + 1} {kind}: {seconds:.2f} s, CPU {cpu:.2f} s ({line}); load {_load()}")
        seconds, _cpu, line = run(REPOSITORY, folder / f"batch{round_}" / "db.sqlite3", "import", str(mirror))
        again.append(seconds)
        p(out, f"  round {round_ + 1} import DIR again (batch): {seconds:.2f} s ({line})")
    for kind, values in times.items():
        best = min(seconds for seconds, _ in values)
        median = statistics.median(seconds for seconds, _ in values)
        cpu = statistics.median(cpu for _, cpu in values)
        p(out, f"{kind:38} best {best:.2f} s = {len(pages) / best:.0f} pages/s, median {median:.2f} s "
               f"= {len(pages) / median:.0f} pages/s, CPU median {cpu:.2f} s")
    p(out, f"{'import DIR again (batch)':38} best {min(again):.2f} s, median {statistics.median(again):.2f} s")
    batch, base = (min(seconds for seconds, _ in times[kind]) for kind in kinds)
    p(out, f"batch / baseline speed-up (best over best): {base / batch:.2f}x; load {_load()}")


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
