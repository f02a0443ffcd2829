"""The export benchmark's ``--profile``: cProfile hotspots, after the timed figures (see export_bench.py)."""

from __future__ import annotations

import cProfile
import pstats
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from bench_articles import change_one_title
from bench_common import p

from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.export.manifest import Manifest
from dayuan_desktop.core.export.output import OutputFolder
from dayuan_desktop.core.export.rendition_bytes import make_rendition
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store


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
