"""Sending an article a PostgreSQL side does not hold yet: one statement, one round trip.

The general write (``writing.write_content``) costs about seven round trips on a server
(begin, insert, sort key, search text, revision, base, commit); on a loaded newsroom server
each one is several milliseconds, and sending 1,000 field drafts waited on them for most of a
minute. Here the article, its tag and photo links, its search text, its first ``sync``
revision and this side's base are written by one ``INSERT … RETURNING`` with data-modifying
``WITH`` parts, sent on a connection in autocommit mode. One statement is one transaction in
PostgreSQL: the article arrives whole or not at all, on its own, as the issue asks ("each
article is exchanged in its own transaction"), and a kill at any moment leaves either nothing
or all of it.

Used only where the result is certain to equal the general write's: the article is new there
(``ON CONFLICT (uuid) DO NOTHING``: if it came meanwhile nothing is written and the caller
leaves it for the next sync), it has no number (numbers belong to the newsroom; a numbered
article takes the general path with its clash check), its channel and tags already exist there
(ids read once per sync or batch), and its photos are there (a photo gone meanwhile makes
the link's ``photo_id`` NULL, which the column refuses: the statement fails as a whole).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import JSON, Connection, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Boolean, String

from dayuan_desktop.core.models import UTCDateTime, utcnow
from dayuan_desktop.core.search.text import joined_text, make_sort_key
from dayuan_desktop.core.snapshots import jsonable
from dayuan_desktop.core.validation import check_article_values

_PLAIN_FIELDS = ("title", "subtitle", "author", "source", "summary", "status", "body", "tags", "published_at")
# The sort key's high bits: the time in seconds (see core.search.text.make_sort_key); the
# low bits, the id, are filled in by the statement once the id is drawn.
_LOW_MASK = make_sort_key(datetime.fromtimestamp(0, UTC), -1)

_STATEMENT = text("""
WITH n AS (SELECT nextval(pg_get_serial_sequence('articles', 'id')) AS id),
a AS (
  INSERT INTO articles (id, uuid, number, channel_id, title, subtitle, author, source, published_at, summary,
                        status, body, comment_count, like_count, view_count, version, created_at, updated_at,
                        updated_by, deleted_at, sort_key, conflict_of)
  SELECT n.id, CAST(:uuid AS text), NULL, CAST(:channel_id AS integer), CAST(:title AS text),
         CAST(:subtitle AS text), CAST(:author AS text), CAST(:source AS text), :published_at,
         CAST(:summary AS text), CAST(:status AS text), CAST(:body AS text), 0, 0, 0, 1, :now, :now,
         CAST(:user AS text), :deleted_at, CAST(:sort_high AS bigint) | (n.id & CAST(:low_mask AS bigint)),
         CAST(:conflict_of AS text)
  FROM n
  ON CONFLICT (uuid) DO NOTHING
  RETURNING id
),
t AS (
  INSERT INTO article_tags (article_id, tag_id, position)
  SELECT a.id, (SELECT tags.id FROM tags WHERE tags.name = v.name), v.position - 1
  FROM a, unnest(:tags) WITH ORDINALITY AS v(name, position)
),
p AS (
  INSERT INTO article_photos (article_id, photo_id, position, is_lead)
  SELECT a.id, (SELECT photos.id FROM photos WHERE photos.sha256 = v.sha), v.position - 1, v.lead
  FROM a, unnest(:shas, :leads) WITH ORDINALITY AS v(sha, lead, position)
),
s AS (INSERT INTO search_docs (article_id, content) SELECT a.id, CAST(:search AS text) FROM a),
r AS (
  INSERT INTO revisions (article_id, article_version, kind, created_at, created_by, snapshot)
  SELECT a.id, 1, 'sync', :now, CAST(:user AS text), :snapshot FROM a
),
b AS (
  INSERT INTO sync_bases (peer_id, article_uuid, local_version, peer_version, snapshot, exchanged_at)
  SELECT CAST(:peer AS text), CAST(:uuid AS text), 1, CAST(:peer_version AS integer), :base, :now FROM a
  ON CONFLICT (peer_id, article_uuid) DO UPDATE SET local_version = EXCLUDED.local_version,
    peer_version = EXCLUDED.peer_version, snapshot = EXCLUDED.snapshot, exchanged_at = EXCLUDED.exchanged_at
)
SELECT id FROM a
""").bindparams(
    bindparam("published_at", type_=UTCDateTime()), bindparam("deleted_at", type_=UTCDateTime()),
    bindparam("now", type_=UTCDateTime()), bindparam("snapshot", type_=JSON()), bindparam("base", type_=JSON()),
    bindparam("tags", type_=ARRAY(String())), bindparam("shas", type_=ARRAY(String())),
    bindparam("leads", type_=ARRAY(Boolean())),
)


@dataclass(frozen=True)
class ServerIds:
    """What a PostgreSQL side holds, as far as a one-statement send needs it."""

    channels: dict[str, int]  # path → id
    tags: set[str]  # tag names there
    credits: dict[str, tuple[str, str] | None]  # sha256 → (caption, photographer) there; None: unknown


def prepare(content: dict, ids: ServerIds) -> dict | None:
    """The statement's parameters for sending ``content``, or None when it does not fit this path
    (see the module's notes). Values are checked as the general write checks them."""
    shas = [sha for sha, _lead in content["photos"]]
    channel = content["channel_path"]
    if content["number"] is not None or (channel is not None and channel not in ids.channels):
        return None
    if len(set(shas)) != len(shas) or not all(ids.credits.get(sha) is not None for sha in shas):
        return None
    values = {name: content[name] for name in _PLAIN_FIELDS}
    if values["published_at"]:
        values["published_at"] = datetime.fromisoformat(values["published_at"])
    clean = check_article_values(values)
    if not all(tag in ids.tags for tag in clean["tags"]):
        return None
    now = utcnow()
    credits = [part for sha in shas for part in ids.credits[sha]]
    fields = [clean["title"], clean["subtitle"], clean["summary"], clean["body"], *clean["tags"], *credits]
    snapshot = {
        **jsonable({name: clean[name] for name in _PLAIN_FIELDS}), "number": None, "channel_path": channel,
        "comment_count": 0, "like_count": 0, "view_count": 0, "photos": shas,
    }
    return {
        **{name: clean[name] for name in _PLAIN_FIELDS if name != "tags"},
        "channel_id": ids.channels[channel] if channel is not None else None,
        "now": now, "conflict_of": content["conflict_of"],
        "deleted_at": datetime.fromisoformat(content["trashed"]) if content["trashed"] else None,
        "sort_high": make_sort_key(clean["published_at"] or now, 0), "low_mask": _LOW_MASK,
        "tags": list(clean["tags"]), "shas": shas, "leads": [bool(lead) for _sha, lead in content["photos"]],
        "search": joined_text(fields).text, "snapshot": snapshot, "base": content,
    }


def send_new(conn: Connection, params: dict, *, uuid: str, user: str, peer: str, peer_version: int) -> bool:
    """Create article ``uuid`` (version 1) from :func:`prepare`'s ``params``, with its base for
    ``peer`` (whose version is ``peer_version``), in one statement on an autocommit ``conn``.

    Returns False when the article exists there already (nothing written).
    """
    row = conn.execute(_STATEMENT, {**params, "uuid": uuid, "user": user, "peer": peer,
                                    "peer_version": peer_version}).first()
    return row is not None
