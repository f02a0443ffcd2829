"""A newsroom database for the soak and reliability runs: published articles, some with photos."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.store import Store

CHANNEL = "gsyl/lzgs"
FIRST_NUMBER = 5000
PHOTO_ARTICLE = 4709  # the article `photo add` runs go to
_BATCH = 500


def small_jpeg(seed: int, size: tuple[int, int] = (320, 200)) -> bytes:
    """A real, distinct JPEG (a colour and a noise patch from the seed)."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    patch = Image.frombytes("RGB", (32, 32), rng.randbytes(32 * 32 * 3))
    image.paste(patch, (rng.randrange(size[0] - 32), rng.randrange(size[1] - 32)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def build_site(path: Path | str, *, articles: int, photos: int = 0) -> Path | str:
    """A newsroom at ``path`` (a SQLite file, or an empty PostgreSQL database's URL): ``articles``
    published articles (numbers from 5000), the first ``photos`` of them with one photo each,
    and article 4709 (no photos) for `photo add`."""
    backups = path.parent / "backups" if isinstance(path, Path) else None
    store = Store(open_database(path, backup_dir=backups), user_name="soak")
    try:
        store.ensure_search_index()
        store.create_channel(CHANNEL, "大同")
        start = datetime(2022, 1, 1, tzinfo=UTC)
        store.create_article(title="照片测试稿", channel_path=CHANNEL, status="published", number=PHOTO_ARTICLE,
                             published_at=start, body="正文第一段。\n")
        photo_of: dict[int, str] = {}
        for index in range(photos):
            photo_of[index] = store.photos.add_photo(small_jpeg(index), format="JPEG", width=320, height=200,
                                              caption=f"图片说明{index}", photographer="摄影记者",
                                              original_name=f"p{index}.jpg").sha256
        for first in range(0, articles, _BATCH):
            batch = [dict(title=f"可靠性测试稿{n}号", channel_path=CHANNEL, status="published",
                          number=FIRST_NUMBER + n, published_at=start + timedelta(hours=n + 1), author="网络编辑",
                          body=(f"![图片说明{n}](photo:{photo_of[n]})\n\n" if n in photo_of else "")
                          + f"这是第{n}号测试稿的正文。\n\n## 小标题\n\n第二段。\n")
                     for n in range(first, min(first + _BATCH, articles))]
            for article in store.create_articles(batch):
                index = article.number - FIRST_NUMBER
                if index in photo_of:
                    store.photos.set_article_photos(article.id, [photo_of[index]])
        return path
    finally:
        store.db.dispose()


def add_bulk_copies(path: Path, count: int) -> None:
    """``count`` more published articles copied from article 5000 in one SQL statement (seconds,
    not minutes, for the 2,000+ pages that make the export start its page worker). They are
    not in the search index: fit for exports, not for `db check`."""
    import sqlite3

    columns = ("channel_id, subtitle, author, source, published_at, summary, status, comment_count, "
               "like_count, view_count, version, created_at, updated_at, updated_by, deleted_at, sort_key, body")
    with sqlite3.connect(path) as conn:
        conn.execute(
            f"""INSERT INTO articles (uuid, number, title, {columns})
            WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
            SELECT lower(hex(randomblob(16))), 100000 + seq.n, a.title || '副本' || seq.n, {columns.replace(', ', ', a.')
                .replace('channel_id', 'a.channel_id', 1)}
            FROM articles a, seq WHERE a.number = ?""",
            (count, FIRST_NUMBER),
        )
