"""The export benchmark's ``--profile``: cProfile hotspots, after the timed figures (see export_bench.py).

Run as a script it profiles one whole ``dayuan-desktop export`` process instead, imports
included (the page worker process, if one starts, is not profiled: its pages show as waits)::

    .venv/bin/python benchmarks/export_profile.py --db STORE.sqlite3 --out DIR [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_articles import change_one_title  # noqa: E402
from bench_common import p  # noqa: E402

from dayuan_desktop.core.export import SiteExporter  # noqa: E402
from dayuan_desktop.core.export.manifest import Manifest  # noqa: E402
from dayuan_desktop.core.export.output import OutputFolder  # noqa: E402
from dayuan_desktop.core.export.rendition_bytes import make_rendition  # noqa: E402
from dayuan_desktop.core.site import SiteSettings  # noqa: E402
from dayuan_desktop.core.store import Store  # noqa: E402


def profile_call(fn: Callable[[], object]) -> tuple[float, pstats.Stats]:
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(fn)
    seconds = time.perf_counter() - start
    return seconds, pstats.Stats(profiler)


def _where(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    if filename == "~":
        return name
    for marker in ("dayuan_desktop/", "site-packages/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            if marker == "dayuan_desktop/":
                filename = "dayuan_desktop/" + filename
            break
    else:
        filename = Path(filename).name
    return f"{filename}:{line}({name})"


def print_hotspots(out, stats: pstats.Stats, total_s: float, top: int = 15) -> None:
    """The functions with the most own time, then our functions with the most time inside them."""
    entries = stats.stats  # type: ignore[attr-defined]
    by_own = sorted(entries.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    p(out, f"  by own time (tottime), of {total_s:,.2f} s under the profiler:")
    for func, (_cc, ncalls, tottime, cumtime, _callers) in by_own:
        p(out, f"    {tottime:8.3f} s own {cumtime:8.3f} s cum {ncalls:>9,} calls  {_where(func)}")
    ours = [
        (func, row) for func, row in entries.items()
        if "dayuan_desktop/" in func[0] or "jinja2/environment" in func[0] or func[2] in ("convert", "clean")
    ]
    ours.sort(key=lambda kv: kv[1][3], reverse=True)
    p(out, "  by time inside (cumtime), dayuan_desktop and the render libraries:")
    for func, (_cc, ncalls, tottime, cumtime, _callers) in ours[:top]:
        p(out, f"    {cumtime:8.3f} s cum {tottime:8.3f} s own {ncalls:>9,} calls  {_where(func)}")


def profile_exports(store: Store, n: int, site: SiteSettings, timed_site: Path, root: Path, out) -> None:
    """cProfile hotspots of a full export (renditions copied in), an incremental one, and renditions."""
    p(out, "")
    p(out, f"== Profile, N={n:,} (cProfile; after the timed figures; times include the profiler's overhead) ==")
    profiled = root / "site-profile"
    shutil.rmtree(profiled, ignore_errors=True)
    # Renditions are made in worker processes, out of cProfile's sight: copy them (and their
    # manifest entries) from the timed export, so this profile is of everything else.
    shutil.copytree(timed_site / "uploads", profiled / "uploads")
    manifest = Manifest.load(OutputFolder(timed_site))
    seeded = Manifest({path: entry for path, entry in manifest.files.items() if path.startswith("uploads/")})
    seeded.save(OutputFolder(profiled))
    seconds, stats = profile_call(lambda: SiteExporter(store, site, profiled, cache_dir=root / "cache").run())
    p(out, f"full export without renditions (they were copied in with their manifest entries): {seconds:,.2f} s")
    print_hotspots(out, stats, seconds)

    number, _title = change_one_title(store)
    seconds, stats = profile_call(lambda: SiteExporter(store, site, timed_site, cache_dir=root / "cache").run())
    p(out, f"incremental export, title of article {number} changed: {seconds:,.2f} s")
    print_hotspots(out, stats, seconds)

    shas = [row.photos[0].sha256 for row in store.published_rows()[:20] if row.photos]
    originals = [store.photos.photo_bytes(sha) for sha in shas]
    seconds, stats = profile_call(lambda: [make_rendition(o, site.rendition_width) for o in originals])
    p(out, f"photo renditions, {len(originals)} photos in this process (make_rendition): {seconds:,.2f} s, "
           f"{seconds / max(1, len(originals)) * 1000:,.0f} ms each")
    print_hotspots(out, stats, seconds, top=8)


def profile_command(db: str, out_dir: Path, top: int, out) -> int:
    """cProfile of one whole export command in this (fresh) process: imports, planning, pages."""
    def command() -> int:
        from dayuan_desktop.cli import main as cli_main

        return cli_main(["--db", db, "export", "--out", str(out_dir), "--quiet"])

    shutil.rmtree(out_dir, ignore_errors=True)
    seconds, stats = profile_call(command)
    p(out, f"whole export command (imports included) into an empty folder: {seconds:,.2f} s under the profiler")
    print_hotspots(out, stats, seconds, top=top)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="cProfile of one whole export command")
    parser.add_argument("--db", required=True, help="the store (SQLite file or URL)")
    parser.add_argument("--out", type=Path, required=True, help="the site folder (emptied first)")
    parser.add_argument("--top", type=int, default=25)
    arguments = parser.parse_args()
    sys.exit(profile_command(arguments.db, arguments.out, arguments.top, sys.stdout))
