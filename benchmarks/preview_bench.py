"""Preview benchmark: an article's preview page with camera photos whose renditions are cached.

Run from the repository root::

    .venv/bin/python benchmarks/preview_bench.py [--photos 2] [--width 6000 --height 4000] [--repeat 5]
        [--warm import|export]
    .venv/bin/python benchmarks/preview_bench.py --tiny

Builds a SQLite store with the sample article and ``--photos`` camera-like JPEGs attached, and
fills the rendition cache as importing them does (``prepare_renditions``) or, with ``--warm
export``, by a real site export into a scratch folder. Then, in turn,
``--repeat`` times each into a fresh preview folder:

* **cache** — what the preview does now: ``PreviewSite.render`` (look the renditions up in the
  cache, hard-link them into the preview folder, render the page);
* **own** — what it did before (issue 20 item 6, the baseline): render the page and make each
  rendition again from the original (decode, resize, encode) and write it.

Prints both medians and own/cache; figures are reported, never asserted (the script exits 0).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import code_version, p  # noqa: E402
from photo_bench import make_camera_jpeg  # noqa: E402

from dayuan_desktop.core.db import open_database  # noqa: E402
from dayuan_desktop.core.export import SiteExporter  # noqa: E402
from dayuan_desktop.core.export.output import OutputFolder  # noqa: E402
from dayuan_desktop.core.export.rendition_bytes import make_rendition, rendition_site_path  # noqa: E402
from dayuan_desktop.core.photos.incoming import add_photos_to_article  # noqa: E402
from dayuan_desktop.core.photos.ready_renditions import prepare_renditions  # noqa: E402
from dayuan_desktop.core.photos.renditions import RenditionText  # noqa: E402
from dayuan_desktop.core.preview_site import PreviewSite  # noqa: E402
from dayuan_desktop.core.render import PortalRenderer  # noqa: E402
from dayuan_desktop.core.sample import load_sample  # noqa: E402
from dayuan_desktop.core.site import SiteSettings  # noqa: E402
from dayuan_desktop.core.store import Store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; returns the exit status (always 0)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=2)
    parser.add_argument("--width", type=int, default=6000)
    parser.add_argument("--height", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warm", choices=("import", "export"), default="import",
                        help="what fills the rendition cache first: photo import, or a site export")
    parser.add_argument("--tiny", action="store_true", help="small photos, two rounds (smoke test)")
    args = parser.parse_args(argv)
    if args.tiny:
        args.photos, args.width, args.height, args.repeat = 1, 800, 600, 2
    out = sys.stdout
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        database = open_database(root / "n.sqlite3", backup_dir=root / "backups")
        store = Store(database)
        load_sample(store)
        originals = [make_camera_jpeg(args.width, args.height, seed) for seed in range(args.photos)]
        add_photos_to_article(store, "4709", originals)
        article = store.find_article("4709")
        site = SiteSettings()
        renderer = PortalRenderer(site)
        shas = [link.photo.sha256 for link in article.photos]
        if args.warm == "export":
            SiteExporter(store, site, root / "site", cache_dir=root / "cache", workers=1).run()
        else:
            prepare_renditions(store, root / "cache", shas, long_side=site.rendition_width)  # as importing does

        def cached(round_: int) -> None:
            page = PreviewSite(root / f"cache-{round_}", cache_dir=root / "cache").render(renderer, article)
            assert not page.missing

        def own(round_: int) -> None:
            output = OutputFolder(root / f"own-{round_}")
            renderer.article_page(article)
            for link in article.photos:
                photo = link.photo
                data = make_rendition(store.photos.photo_bytes(photo.sha256), site.rendition_width,
                                      RenditionText.of_photo(photo))
                output.write(rendition_site_path(photo, site.rendition_width, "JPEG"), data)

        renderer.article_page(article)  # templates compiled before the clock starts
        times: dict[str, list[float]] = {"cache": [], "own": []}
        for round_ in range(args.repeat):  # interleaved: load from other processes hits both alike
            for name, action in (("cache", cached), ("own", own)):
                start = time.perf_counter()
                action(round_)
                times[name].append(time.perf_counter() - start)
        database.dispose()
    photos = f"{len(shas)} photos ({args.photos} of {args.width}x{args.height} and the sample's own)"
    p(out, f"preview of article 4709 with {photos}, cache warmed by {args.warm}, {code_version()}")
    cache, baseline = statistics.median(times["cache"]), statistics.median(times["own"])
    p(out, f"  from the rendition cache (now):  median {cache * 1000:8.1f} ms  best {min(times['cache']) * 1000:8.1f} ms")
    p(out, f"  own renditions (before):         median {baseline * 1000:8.1f} ms  best {min(times['own']) * 1000:8.1f} ms")
    p(out, f"  own / cache: {baseline / cache:.1f}x (rounds: {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
