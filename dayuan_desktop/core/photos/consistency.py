"""``db check``'s look at articles and their photos: what the body shows against what is attached.

A page shows a photo only through its body's image line (``![图为……。](photo:<sha256>)``,
see :mod:`dayuan_desktop.core.render`), and only when the photo is attached to the article.
What is legitimate and what is not:

- A body line whose photo is **not attached** is always wrong: the page prints the caption
  with no image (what a ``photo add`` that lost a race used to leave).
- An attached photo the body does not show is normal while an article is being written:
  the photo panel attaches dropped photos and the editor places them later, and the lead
  photo may serve only as the lists' and feeds' picture. On a **published** article, a photo
  that is neither shown by the body nor the lead is one readers never see (what a
  ``photo add`` killed between its two commits used to leave): reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from dayuan_desktop.core.db import Database
from dayuan_desktop.core.models import Article, ArticlePhoto, ArticleStatus, Photo

# Every reference to a photo in a body, whether or not it stands on a line of its own.
PHOTO_REFERENCE = re.compile(r"\]\(\s*photo:([0-9a-f]{64})\s*\)")
_BATCH = 500


def photo_inconsistencies(database: Database) -> list[str]:
    """One line per mismatch between an article's body and its attached photos (empty: consistent)."""
    problems: list[str] = []
    try:
        with database.engine.connect() as conn:
            library = set(conn.scalars(select(Photo.sha256)))
            for article, links in _articles_with_links(conn):
                problems += _article_problems(article, links, library)
    except DBAPIError as exc:  # a damaged file: the database's own check says more; this says it could not look
        reason = str(exc.orig).strip().splitlines()[0][:120] if str(exc.orig).strip() else type(exc.orig).__name__
        problems.append(f"bodies and photos not compared: the database could not be read ({reason})")
    return problems


def _articles_with_links(conn) -> Iterator[tuple[tuple, list[tuple]]]:
    """(article row, its (sha256, is_lead, caption) rows) of every article, trash included, by id."""
    articles = select(Article.id, Article.number, Article.uuid, Article.status, Article.deleted_at, Article.body)
    last_id = 0
    while True:
        rows = conn.execute(articles.where(Article.id > last_id).order_by(Article.id).limit(_BATCH)).all()
        if not rows:
            return
        last_id = rows[-1][0]
        links: dict[int, list[tuple]] = defaultdict(list)
        linked = (
            select(ArticlePhoto.article_id, Photo.sha256, ArticlePhoto.is_lead, Photo.caption)
            .join(Photo, Photo.id == ArticlePhoto.photo_id)
            .where(ArticlePhoto.article_id.in_([row[0] for row in rows]))
            .order_by(ArticlePhoto.article_id, ArticlePhoto.position)
        )
        for article_id, sha, is_lead, caption in conn.execute(linked):
            links[article_id].append((sha, is_lead, caption))
        for row in rows:
            yield row, links.get(row[0], [])


def _article_problems(article: tuple, links: list[tuple], library: set[str]) -> list[str]:
    _id, number, uuid, status, deleted_at, body = article
    name = f"#{number}" if number is not None else f"article {uuid}"
    if deleted_at is not None:
        name += " (in the trash)"
    attached = {sha for sha, _lead, _caption in links}
    problems = []
    for sha in dict.fromkeys(PHOTO_REFERENCE.findall(body or "")):
        if sha not in attached:
            where = "not attached" if sha in library else "not in the photo library"
            problems.append(f"{name}: the body shows photo {sha[:12]} that is {where} "
                            "(the page prints its caption without the image)")
    if status == ArticleStatus.PUBLISHED.value:
        shown = set(PHOTO_REFERENCE.findall(body or ""))
        for sha, is_lead, caption in links:
            if sha not in shown and not is_lead:
                label = f"{sha[:12]} ({caption[:30]})" if caption else sha[:12]
                problems.append(f"{name}: photo {label} is attached but the body does not show it "
                                "(readers never see it: place it in the body or remove it)")
    return problems
