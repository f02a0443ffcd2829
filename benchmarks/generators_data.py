"""The generators benchmark's articles (see generators_bench.py): one store for the largest size,
its photos as files, and Pelican's input for any first N of them."""

from __future__ import annotations

import os
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench_articles import CHANNELS, Synthetic, make_article, pelican_markdown
from bench_articles import make_photo as make_bench_photo
from bench_common import Progress, p

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.photos.ready_renditions import prepare_renditions
from dayuan_desktop.core.site import load_site_settings
from dayuan_desktop.core.store import Store

PHOTO_SIZE = (800, 533)  # see generators_bench.py's docstring: why not export_bench's 1600 px
FIRST_NUMBER = 10_000  # make_article numbers article i as 10,000 + i
BATCH = 500


@dataclass
class Corpus:
    """The articles (in order), their photos' file names under ``images``, and the store."""

    root: Path
    db_path: Path
    articles: list[Synthetic]
    image_names: list[str]

    @property
    def images(self) -> Path:
        return self.root / "images"

    def pelican_site(self, site: Path, n: int) -> Path:
        """Pelican's input for the first ``n`` articles: Markdown files, photos hard-linked."""
        content = site / "content"
        (content / "images").mkdir(parents=True)
        for article, image in zip(self.articles[:n], self.image_names[:n], strict=True):
            os.link(self.images / image, content / "images" / image)
            (content / f"{article.values['number']}.md").write_text(pelican_markdown(article, image), encoding="utf-8")
        return site


def make_photo(index: int) -> bytes:
    """A distinct JPEG for each index (bench_articles' photo, at :data:`PHOTO_SIZE`)."""
    return make_bench_photo(index, PHOTO_SIZE, quality=85, label="generators bench")


def build_corpus(root: Path, n: int, seed: int, out) -> Corpus:
    """``n`` articles with a photo each in a new store, the photos as files, renditions made
    into the cache our export's process will use (``root/user/cache``), as the app makes them
    when photos come in."""
    start = time.perf_counter()
    db_path = root / "store.sqlite3"
    store = Store(open_database(db_path), user_name="bench")
    store.ensure_search_index()
    for path, name, _used in CHANNELS:
        store.create_channel(path, name)
    corpus = Corpus(root, db_path, [], [])
    corpus.images.mkdir()
    progress = Progress(n, "stored")
    shas: list[str] = []
    with ProcessPoolExecutor() as pool:
        for first in range(0, n, BATCH):
            indices = range(first, min(n, first + BATCH))
            articles = [make_article(seed, i) for i in indices]
            photos = list(pool.map(make_photo, indices, chunksize=16))
            with store.db.session(write=True) as session:
                added = [store.photos.add_photo(photo, format="JPEG", width=PHOTO_SIZE[0], height=PHOTO_SIZE[1],
                                                caption=a.caption, photographer=a.photographer,
                                                original_name=f"bench-{i}.jpg", session=session).sha256
                         for i, a, photo in zip(indices, articles, photos, strict=True)]
                values = [{**a.values, "body": a.body(f"![{a.caption}](photo:{sha})")}
                          for a, sha in zip(articles, added, strict=True)]
                for record, sha in zip(store.create_articles(values, session=session), added, strict=True):
                    store.photos.set_article_photos(record.id, [sha], session=session)
            for photo, sha in zip(photos, added, strict=True):
                (corpus.images / f"{sha[:16]}.jpg").write_bytes(photo)
            corpus.articles += articles
            corpus.image_names += [f"{sha[:16]}.jpg" for sha in added]
            shas += added
            progress.update(indices.stop)
    stored = time.perf_counter() - start
    ready = prepare_renditions(store, root / "user" / "cache", shas,
                               long_side=load_site_settings(store.db).rendition_width, workers=None)
    with store.db.engine.connect() as conn:  # as an app's database would be: WAL folded in
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.dispose()
    p(out, f"built {n:,} articles with a {PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} JPEG each in {stored:,.0f} s; "
           f"{ready.made:,} renditions made as photos come in, in {time.perf_counter() - start - stored:,.0f} s")
    return corpus


def publish_first(db_path: Path, n: int) -> None:
    """Only the first ``n`` articles published (the rest drafts), so one store serves every size.

    Straight SQL between runs, with no process holding the database: an editor's unpublish
    would also record versions, which is not what is measured here.
    """
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE articles SET status = CASE WHEN number < ? THEN 'published' ELSE 'draft' END",
                     (FIRST_NUMBER + n,))
    conn.close()
