"""An article as a ninjs 3.3 document, and back.

Mapping (ninjs 3.3 names): ``uri`` ``urn:uuid:<uuid>`` (a draft has no portal address, and a
number can change; the uuid never does); ``version``; ``firstCreated``/``versionCreated``;
``headlines`` (roles ``main``, ``subtitle``); ``descriptions`` (role ``summary``); ``bodies``
(the render pipeline's HTML and the Markdown, each with ``charCount``); ``by`` (author);
``located`` (the place, our ``source`` field); ``subjects`` (tags with rel ``tag``, the channel
with rel ``channel``); ``pubStatus``; ``associations`` (one ``picture`` per photo with its
caption, photographer, rights and ``renditions``). What ninjs has no property for (workflow
status, public number, publish time, who saved, trash time, the portal's photo address) travels
as ``altIds`` with ``dayuan:`` roles, which other ninjs readers ignore.
"""

from __future__ import annotations

import base64
import binascii
import uuid as uuid_module
from dataclasses import dataclass
from datetime import UTC, datetime

from dayuan_desktop.core.enums import ArticleStatus
from dayuan_desktop.core.packages.limits import PackageError
from dayuan_desktop.core.packages.ninjs_schema import NINJS_SCHEMA_URI, NINJS_VERSION
from dayuan_desktop.core.records import ArticleRecord, PhotoRecord
from dayuan_desktop.core.text_stats import character_count

_PUB_STATUS = {ArticleStatus.PUBLISHED.value: "usable", ArticleStatus.WITHDRAWN.value: "canceled"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "TIFF": "image/tiff", "GIF": "image/gif"}


@dataclass(frozen=True)
class PackagedPhoto:
    """A photo as an article in a package uses it."""

    sha256: str
    caption: str
    photographer: str
    credit: str
    copyright: str
    original_name: str
    web_name: str
    taken_at: datetime | None
    is_lead: bool


@dataclass(frozen=True)
class PackagedArticle:
    """An article read back from its ninjs document."""

    uuid: str
    version: int
    values: dict  # editable fields (core.records.EDITABLE_FIELDS), ready for Store.create_articles
    created_at: datetime
    updated_at: datetime
    updated_by: str
    deleted_at: datetime | None
    photos: tuple[PackagedPhoto, ...]
    channel_name: str | None = None  # the channel's display name, to create it where it is missing


def _when(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def photo_uri(sha256: str) -> str:
    """A photo's identity as a URI: RFC 6920 named information (``ni:///sha-256;…``) of its bytes."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256)).decode("ascii").rstrip("=")
    return f"ni:///sha-256;{digest}"


def sha256_of_uri(uri: str, where: str) -> str:
    """The hex sha256 named by :func:`photo_uri`'s URI, or PackageError."""
    prefix = "ni:///sha-256;"
    try:
        if not uri.startswith(prefix):
            raise ValueError
        raw = base64.urlsafe_b64decode(uri[len(prefix):] + "=" * (-len(uri) % 4))
        if len(raw) != 32:
            raise ValueError
    except (ValueError, binascii.Error):
        raise PackageError(f"{where}: photo uri {uri[:80]!r} does not name a sha-256") from None
    return raw.hex()


def _alt_ids(article: ArticleRecord) -> list[dict]:
    ids = [("dayuan:status", article.status), ("dayuan:updatedBy", article.updated_by)]
    if article.number is not None:
        ids.append(("dayuan:number", str(article.number)))
    if article.published_at is not None:
        ids.append(("dayuan:publishedAt", _when(article.published_at)))
    if article.deleted_at is not None:
        ids.append(("dayuan:trashedAt", _when(article.deleted_at)))
    return [{"role": role, "value": value} for role, value in ids]


def _association(link_index: int, photo: PhotoRecord, is_lead: bool, href: str) -> dict:
    item: dict = {
        "name": f"photo-{link_index + 1}", "rel": "lead" if is_lead else "photo", "uri": photo_uri(photo.sha256),
        "type": "picture",
        "renditions": [{
            "name": "original", "href": href, "contentType": CONTENT_TYPES.get(photo.format, "application/octet-stream"),
            "width": photo.width, "height": photo.height, "sizeInBytes": photo.byte_size,
        }],
    }
    if photo.caption:
        item["descriptions"] = [{"role": "caption", "value": photo.caption}]
    if photo.photographer:
        item["by"] = photo.photographer
    if photo.copyright:
        item["copyrightNotice"] = photo.copyright
    if photo.credit:
        item["copyrightHolder"] = photo.credit
    if photo.taken_at is not None:
        item["contentCreated"] = _when(photo.taken_at)
    if photo.original_name:
        item["title"] = photo.original_name
    if photo.web_name:
        item["altIds"] = [{"role": "dayuan:webName", "value": photo.web_name}]
    return item


def article_to_ninjs(article: ArticleRecord, body_html: str, photo_hrefs: dict[str, str],
                     channel_name: str | None = None) -> dict:
    """The ninjs 3.3 document of one article; ``photo_hrefs`` maps each photo's sha256 to its file in the package."""
    document: dict = {
        "uri": f"urn:uuid:{article.uuid}", "type": "text", "representationType": "full", "language": "zh-CN",
        "version": str(article.version), "firstCreated": _when(article.created_at),
        "versionCreated": _when(article.updated_at), "pubStatus": _PUB_STATUS.get(article.status, "withheld"),
        "headlines": [{"role": "main", "value": article.title}],
        "bodies": [
            {"role": "main", "contentType": "text/html", "value": body_html,
             "charCount": character_count(article.body)},
            {"role": "source", "contentType": "text/markdown", "value": article.body,
             "charCount": character_count(article.body)},
        ],
    }
    if article.subtitle:
        document["headlines"].append({"role": "subtitle", "value": article.subtitle})
    if article.summary:
        document["descriptions"] = [{"role": "summary", "value": article.summary}]
    if article.author:
        document["by"] = article.author
    if article.source:
        document["located"] = article.source
    subjects = [{"name": tag, "rel": "tag"} for tag in article.tags]
    if article.channel_path:
        subjects.append({"name": channel_name or article.channel_path, "rel": "channel", "literal": article.channel_path})
    if subjects:
        document["subjects"] = subjects
    document["altIds"] = _alt_ids(article)
    if article.photos:
        document["associations"] = [
            _association(i, link.photo, link.is_lead, photo_hrefs[link.photo.sha256])
            for i, link in enumerate(article.photos)
        ]
    document["standard"] = {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI}
    return document


# -- back: a ninjs document (already checked against the schema) to an article ---------------


def _parse_when(text: str | None, what: str, where: str) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise PackageError(f"{where}: {what} {text[:40]!r} is not a date and time") from None
    if moment.tzinfo is None:
        raise PackageError(f"{where}: {what} {text[:40]!r} has no time zone")
    return moment.astimezone(UTC)


def _by_role(items: list[dict], role: str) -> str | None:
    return next((item["value"] for item in items if item.get("role") == role), None)


def _whole(text: str | None, what: str, where: str) -> int | None:
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        raise PackageError(f"{where}: {what} {text[:20]!r} is not a whole number")
    return int(text)


def _photo_back(item: dict, where: str) -> PackagedPhoto:
    return PackagedPhoto(
        sha256=sha256_of_uri(item["uri"], where), caption=_by_role(item.get("descriptions", []), "caption") or "",
        photographer=item.get("by", ""), credit=item.get("copyrightHolder", ""),
        copyright=item.get("copyrightNotice", ""), original_name=item.get("title", ""),
        web_name=_by_role(item.get("altIds", []), "dayuan:webName") or "",
        taken_at=_parse_when(item.get("contentCreated"), "contentCreated", where), is_lead=item.get("rel") == "lead",
    )


def _article_uuid(uri: str, where: str) -> str:
    try:
        if not uri.startswith("urn:uuid:"):
            raise ValueError
        return str(uuid_module.UUID(uri[len("urn:uuid:"):]))
    except ValueError:
        raise PackageError(f"{where}: uri {uri[:80]!r} is not an article's urn:uuid") from None


def ninjs_to_article(document: dict, where: str) -> PackagedArticle:
    """The article a package's ninjs document describes; PackageError when it lacks what an article needs."""
    ids = document.get("altIds", [])
    subjects = document.get("subjects", [])
    headlines = document.get("headlines", [])
    body = next((b for b in document.get("bodies", []) if b.get("contentType") == "text/markdown"), None)
    if body is None:
        raise PackageError(f"{where}: no text/markdown body")
    version = _whole(document.get("version"), "version", where)
    created = _parse_when(document.get("firstCreated"), "firstCreated", where)
    updated = _parse_when(document.get("versionCreated"), "versionCreated", where)
    if version is None or version < 1 or created is None or updated is None:
        raise PackageError(f"{where}: version, firstCreated and versionCreated are needed")
    channel = next((s for s in subjects if s.get("rel") == "channel"), None)
    values = {
        "uuid": _article_uuid(document["uri"], where),
        "title": _by_role(headlines, "main") or "", "subtitle": _by_role(headlines, "subtitle") or "",
        "author": document.get("by", ""), "source": document.get("located", ""),
        "summary": _by_role(document.get("descriptions", []), "summary") or "",
        "body": body["value"], "status": _by_role(ids, "dayuan:status") or ArticleStatus.DRAFT.value,
        "number": _whole(_by_role(ids, "dayuan:number"), "number", where),
        "published_at": _parse_when(_by_role(ids, "dayuan:publishedAt"), "publishedAt", where),
        "tags": [s["name"] for s in subjects if s.get("rel") == "tag" and "name" in s],
        "channel_path": channel.get("literal") if channel else None,
    }
    return PackagedArticle(
        uuid=values["uuid"], version=version, values=values, created_at=created, updated_at=updated,
        updated_by=_by_role(ids, "dayuan:updatedBy") or "",
        deleted_at=_parse_when(_by_role(ids, "dayuan:trashedAt"), "trashedAt", where),
        photos=tuple(_photo_back(item, where) for item in document.get("associations", [])),
        channel_name=channel.get("name") if channel else None,
    )

