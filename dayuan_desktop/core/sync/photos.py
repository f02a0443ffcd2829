"""Photos across: by sha256, only those the receiving side lacks, streamed in chunks.

The original bytes are read from the sender a chunk at a time (``substr``/``substring`` on the
stored blob) and appended on the receiver (SQLite: incremental blob I/O into a zeroblob of the
final size; PostgreSQL: ``data || chunk``), so a photo is never whole in memory, let alone
twice. Each photo is its own transaction: one killed half-way is rolled back and sent again.
The sha256 of the bytes written is checked before the commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from sqlalchemy import JSON, Connection, LargeBinary, bindparam, select, text

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.models import Photo, UTCDateTime
from dayuan_desktop.core.store import Store

CHUNK_BYTES = 1024 * 1024
# Copied as they are; ``data`` is streamed, ``id`` is the receiver's own.
_PHOTO_COLUMNS = (
    "sha256", "byte_size", "format", "width", "height", "taken_at", "caption", "photographer", "credit",
    "copyright", "keywords", "original_name", "web_name", "created_at",
)


def missing_photos(store: Store, shas: Sequence[str]) -> list[str]:
    """Those of ``shas`` that ``store`` does not hold, in order, once each."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return []
    with store.db.session() as session:
        held = set(session.scalars(select(Photo.sha256).where(Photo.sha256.in_(wanted))))
    return [sha for sha in wanted if sha not in held]


def _chunks(store: Store, photo_id: int, size: int) -> Iterator[bytes]:
    function = "substr" if store.db.dialect == "sqlite" else "substring"
    with store.db.session() as session:
        for start in range(0, size, CHUNK_BYTES):
            chunk = session.execute(
                text(f"SELECT {function}(data, :start, :length) FROM photos WHERE id = :id"),
                {"start": start + 1, "length": CHUNK_BYTES, "id": photo_id},
            ).scalar()
            yield bytes(chunk)


def copy_photo(
    source: Store, target: Store, sha256: str, server: Connection | None = None
) -> tuple[int, tuple[str, str] | None]:
    """Copy one photo (metadata and bytes) from ``source`` to ``target``.

    ``server``: an autocommit connection to ``target`` when it is PostgreSQL; a photo of one
    chunk or less then goes in one statement (see :func:`_insert_whole`).
    Returns the bytes sent and the photo's (caption, photographer) as written there, or
    (0, None) when it arrived there meanwhile (its credits there are not known here).
    """
    with source.db.session() as session:
        photo = session.scalar(select(Photo).where(Photo.sha256 == sha256))
        if photo is None:
            raise ValidationError(f"photo {sha256[:12]}… is shown by an article but missing from {source.db.describe()}")
        values = {name: getattr(photo, name) for name in _PHOTO_COLUMNS}
        photo_id = photo.id
    if server is not None and values["byte_size"] <= CHUNK_BYTES:
        return _insert_whole(source, server, photo_id, values)
    digest = hashlib.sha256()
    with target.db.session(write=True) as session:
        if session.scalar(select(Photo.id).where(Photo.sha256 == sha256)) is not None:
            return 0, None  # arrived meanwhile (another sync): nothing to send
        row = Photo(**values, data=b"")
        session.add(row)
        session.flush()
        conn = session.connection()
        sqlite = target.db.dialect == "sqlite"
        if sqlite:
            conn.execute(text("UPDATE photos SET data = zeroblob(:n) WHERE id = :id"), {"n": values["byte_size"], "id": row.id})
            raw = conn.connection.driver_connection
        offset = 0
        for chunk in _chunks(source, photo_id, values["byte_size"]):
            digest.update(chunk)
            if sqlite:
                with raw.blobopen("photos", "data", row.id) as blob:
                    blob.seek(offset)
                    blob.write(chunk)
            else:
                conn.execute(text("UPDATE photos SET data = data || :chunk WHERE id = :id"), {"chunk": chunk, "id": row.id})
            offset += len(chunk)
        if offset != values["byte_size"] or digest.hexdigest() != sha256:
            raise ValidationError(f"photo {sha256[:12]}… read from {source.db.describe()} does not match its sha256")
    return offset, (values["caption"], values["photographer"])


_INSERT_WHOLE = text(
    f"INSERT INTO photos ({', '.join(_PHOTO_COLUMNS)}, data) "
    f"VALUES ({', '.join(':' + name for name in _PHOTO_COLUMNS)}, :data) "
    "ON CONFLICT (sha256) DO NOTHING RETURNING id"
).bindparams(bindparam("taken_at", type_=UTCDateTime()), bindparam("created_at", type_=UTCDateTime()),
             bindparam("data", type_=LargeBinary()), bindparam("keywords", type_=JSON()))


def _insert_whole(source: Store, server: Connection, photo_id: int, values: dict) -> tuple[int, tuple[str, str] | None]:
    """A photo of one chunk: read it (one chunk, as streaming would), check its sha256, then one
    ``INSERT … ON CONFLICT DO NOTHING`` in autocommit: there whole, or not at all."""
    data = b"".join(_chunks(source, photo_id, values["byte_size"]))
    if len(data) != values["byte_size"] or hashlib.sha256(data).hexdigest() != values["sha256"]:
        raise ValidationError(f"photo {values['sha256'][:12]}… read from {source.db.describe()} does not match "
                              "its sha256")
    if server.execute(_INSERT_WHOLE, {**values, "data": data}).first() is None:
        return 0, None  # arrived meanwhile (another sync): nothing sent
    return len(data), (values["caption"], values["photographer"])
