"""The photo library: each photo's original bytes stored once, its texts, and which articles show it.

Reached as ``store.photos``; it shares the store's database and, where a photo change alters an
article's search text, the store's bookkeeping for that (its session-level methods
``article_row``, ``before_text_change`` and ``reindex``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dayuan_desktop.core.article_list import MAX_PAGE
from dayuan_desktop.core.errors import NotFoundError, ValidationError
from dayuan_desktop.core.models import Article, ArticlePhoto, Photo, utcnow
from dayuan_desktop.core.records import Page, PhotoRecord
from dayuan_desktop.core.validation import check_web_name

if TYPE_CHECKING:
    from dayuan_desktop.core.store import Store


class PhotoLibrary:
    """The newsroom's photos, on the store's database."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add_photo(
        self,
        data: bytes,
        *,
        format: str,
        width: int,
        height: int,
        caption: str = "",
        photographer: str = "",
        original_name: str = "",
        web_name: str | None = None,
        credit: str = "",
        copyright: str = "",
        keywords: Sequence[str] = (),
        taken_at: datetime | None = None,
        session: Session | None = None,
    ) -> PhotoRecord:
        """Store a photo's original bytes once (by sha256); an existing photo is returned as is."""
        digest = hashlib.sha256(data).hexdigest()
        if session is None:
            with self._store.db.session(write=True) as own:
                return self.add_photo(
                    data, format=format, width=width, height=height, caption=caption,
                    photographer=photographer, original_name=original_name, web_name=web_name, credit=credit,
                    copyright=copyright, keywords=keywords, taken_at=taken_at, session=own,
                )
        photo = session.scalar(select(Photo).where(Photo.sha256 == digest))
        if photo is None:
            now = utcnow()
            photo = Photo(
                sha256=digest, data=data, byte_size=len(data), format=format, width=width, height=height,
                caption=caption, photographer=photographer, credit=credit, copyright=copyright,
                keywords=list(keywords), taken_at=taken_at, original_name=original_name, created_at=now,
                web_name=web_name or check_web_name(f"{now:%Y/%m}/{digest[:16]}"),
            )
            session.add(photo)
            session.flush()
        return PhotoRecord.of(photo)

    def web_name_used_by_other(self, web_name: str, sha256: str, *, session: Session) -> bool:
        """Does a photo other than ``sha256`` have this address name (``2024/05/xyz``)?"""
        other = select(Photo.sha256).where(Photo.web_name == web_name, Photo.sha256 != sha256)
        return session.scalar(other.limit(1)) is not None

    def set_photo_text(
        self, sha256: str, *, caption: str | None = None, photographer: str | None = None,
        session: Session | None = None,
    ) -> PhotoRecord:
        """Change a photo's caption and/or photographer (None leaves a value as it is)."""
        if session is None:
            with self._store.db.session(write=True) as own:
                return self.set_photo_text(sha256, caption=caption, photographer=photographer, session=own)
        photo = session.scalar(select(Photo).where(Photo.sha256 == sha256))
        if photo is None:
            raise NotFoundError(f"no photo {sha256[:12]}…")
        using = select(ArticlePhoto.article_id).where(ArticlePhoto.photo_id == photo.id)
        users = session.scalars(using).all()
        self._store.before_text_change(session, users)
        if caption is not None:
            photo.caption = caption
        if photographer is not None:
            photo.photographer = photographer
        session.flush()
        # Captions are part of the search text of every article showing the photo.
        for article in session.scalars(select(Article).where(Article.id.in_(users))):
            self._store.reindex(session, article)
        return PhotoRecord.of(photo)

    def photo_bytes(self, sha256: str) -> bytes:
        """The original bytes of a photo."""
        with self._store.db.session() as session:
            data = session.scalar(select(Photo.data).where(Photo.sha256 == sha256))
            if data is None:
                raise NotFoundError(f"no photo {sha256[:12]}…")
            return bytes(data)

    def set_article_photos(
        self, article_id: int, sha256s: Sequence[str], *, lead: str | None = None, session: Session | None = None
    ) -> None:
        """Set which photos an article uses, in order (the lead is the first unless named)."""
        if session is None:
            with self._store.db.session(write=True) as own:
                return self.set_article_photos(article_id, sha256s, lead=lead, session=own)
        article = self._store.article_row(session, article_id)
        photos = {p.sha256: p for p in session.scalars(select(Photo).where(Photo.sha256.in_(list(sha256s))))}
        missing = [s for s in sha256s if s not in photos]
        if missing:
            raise NotFoundError(f"no photo {missing[0][:12]}… in the library")
        self._store.before_text_change(session, [article.id])
        article.photo_links.clear()
        session.flush()
        lead = lead or (sha256s[0] if sha256s else None)
        for position, sha in enumerate(dict.fromkeys(sha256s)):
            article.photo_links.append(ArticlePhoto(photo=photos[sha], position=position, is_lead=sha == lead))
        session.flush()
        session.refresh(article, ["photo_links"])
        self._store.reindex(session, article)
        return None

    def set_photo_rights(
        self, sha256: str, *, credit: str | None = None, copyright: str | None = None,  # noqa: A002
    ) -> PhotoRecord:
        """Change a photo's credit and/or copyright line (None leaves a value as it is)."""
        with self._store.db.session(write=True) as session:
            photo = session.scalar(select(Photo).where(Photo.sha256 == sha256))
            if photo is None:
                raise NotFoundError(f"no photo {sha256[:12]}…")
            if credit is not None:
                photo.credit = credit[:200]
            if copyright is not None:
                photo.copyright = copyright[:500]
            session.flush()
            return PhotoRecord.of(photo)

    def get_photo(self, sha256: str) -> PhotoRecord:
        """A photo's metadata by its sha256 (raises :class:`NotFoundError` when not in the library)."""
        with self._store.db.session() as session:
            photo = session.scalar(select(Photo).where(Photo.sha256 == sha256))
            if photo is None:
                raise NotFoundError(f"no photo {sha256[:12]}…")
            return PhotoRecord.of(photo)

    def list_photos(self, query: str = "", *, offset: int = 0, limit: int = 50) -> Page:
        """One page of the photo library, newest first, with the total count.

        ``query`` is split on white space; every word must occur (case-insensitively) in the
        caption, the photographer or the original file name.
        """
        if not 0 <= limit <= MAX_PAGE or offset < 0:
            raise ValidationError(f"page limit must be 0–{MAX_PAGE} and offset not negative")
        conditions = [
            func.lower(Photo.caption).contains(term, autoescape=True)
            | func.lower(Photo.photographer).contains(term, autoescape=True)
            | func.lower(Photo.original_name).contains(term, autoescape=True)
            for term in query.lower().split()
        ]
        with self._store.db.session() as session:
            total = session.scalar(select(func.count(Photo.id)).where(*conditions)) or 0
            rows = session.scalars(
                select(Photo).where(*conditions).order_by(Photo.created_at.desc(), Photo.id.desc())
                .offset(offset).limit(limit)
            ).all()
            items = tuple(PhotoRecord.of(photo) for photo in rows)
        return Page(items=items, total=total, offset=offset, limit=limit)
