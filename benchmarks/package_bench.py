"""Packages for no connection (issue 17 items 3-4): write, check and materialize a package.

A laptop's 1,000 changed articles (~2,000 characters each) with 200 distinct photos (1600×1067
JPEGs), on SQLite. Figures: ``package --out`` (zip), ``package --check`` (every safety check,
unpacking into a temporary folder) and ``materialize`` (a fresh SQLite database of the package);
the baseline is ``export-md`` of the same articles (the same text and photos written as files).

    python benchmarks/package_bench.py [--articles 1000] [--photos 200]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_articles import ARTICLE_CHANNELS, PHOTO_HEIGHT, PHOTO_WIDTH, make_article, make_photo  # noqa: E402
from bench_common import code_version, p  # noqa: E402

from dayuan_desktop.core.db import open_database  # noqa: E402
from dayuan_desktop.core.interchange.markdown_files import export_markdown  # noqa: E402
from dayuan_desktop.core.packages.materialize import materialize  # noqa: E402
from dayuan_desktop.core.packages.reading import read_package  # noqa: E402
from dayuan_desktop.core.packages.writing import articles_to_package, write_package  # noqa: E402
from dayuan_desktop.core.store import Store  # noqa: E402


def build(store: Store, articles: int, photos: int) -> None:
    """``articles`` articles; article i shows photo i mod ``photos`` (so photos are shared)."""
    for path, name in ARTICLE_CHANNELS:
        store.create_channel(path, name)
    shas = []
    for index in range(photos):
        synthetic = make_article(7, index)
        shas.append(store.photos.add_photo(make_photo(index), format="JPEG", width=PHOTO_WIDTH,
                                           height=PHOTO_HEIGHT, caption=synthetic.caption,
                                           photographer=synthetic.photographer).sha256)
    batch = []
    for index in range(articles):
        synthetic = make_article(7, index)
        sha = shas[index % photos]
        batch.append({**synthetic.values, "body": synthetic.body(f"![{synthetic.caption}](photo:{sha})")})
    created = store.create_articles(batch)
    with store.db.session(write=True) as session:
        for index, article in enumerate(created):
            store.photos.set_article_photos(article.id, [shas[index % photos]], session=session)


def timed(work):
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--photos", type=int, default=200)
    args = parser.parse_args(argv)
    out = sys.stdout
    with tempfile.TemporaryDirectory(prefix="package-bench-") as folder:
        root = Path(folder)
        store = Store(open_database(root / "laptop.sqlite3"), user_name="bench")
        seconds, _ = timed(lambda: build(store, args.articles, args.photos))
        p(out, f"package bench, {code_version()}: {args.articles} articles, {args.photos} photos "
               f"(built in {seconds:.1f} s)")
        articles = articles_to_package(store)
        baseline, _ = timed(lambda: export_markdown(store, root / "md", articles=articles))
        write, summary = timed(lambda: write_package(store, root / "field.zip", articles))
        (root / "work").mkdir()
        check, package = timed(lambda: read_package(root / "field.zip", root / "work"))
        build_db, copy = timed(lambda: materialize(package, root / "copy.sqlite3"))
        copy.db.dispose()
        p(out, f"  export-md (baseline)   {baseline:7.2f} s")
        p(out, f"  package --out          {write:7.2f} s  ({write / baseline:.2f}× export-md), "
               f"{summary.size / 2**20:.1f} MiB, {summary.photos} photos")
        p(out, f"  package --check        {check:7.2f} s  (every check, unpacked)")
        p(out, f"  materialize            {build_db:7.2f} s  (fresh SQLite database of the package)")
        store.db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
