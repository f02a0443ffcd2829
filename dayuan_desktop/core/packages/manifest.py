"""The package's layout and its manifest: format version, creation time, sha256 and size of every file.

Layout::

    manifest.json
    articles/<uuid>.json     ninjs 3.3 document of the article
    articles/<uuid>.md       the article as Markdown with front matter (as export-md writes it)
    photos/<sha256>.<ext>    each photo once, named by the sha256 of its bytes
"""

from __future__ import annotations

import json
import re
import uuid as uuid_module
from dataclasses import dataclass
from datetime import UTC, datetime

from dayuan_desktop.core.packages.limits import FORMAT_NAME, FORMAT_VERSION, PackageError

MANIFEST_NAME = "manifest.json"
# Every other name a package may hold; anything else is refused before it is read.
FILE_NAME = re.compile(r"articles/[0-9a-f-]{36}\.(?:json|md)|photos/[0-9a-f]{64}\.(?:jpg|png|webp|tif|gif)")
PHOTO_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "TIFF": ".tif", "GIF": ".gif"}

_SHA = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
MANIFEST_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "formatVersion", "created", "articles", "files"],
    "properties": {
        "format": {"const": FORMAT_NAME},
        "formatVersion": {"type": "integer", "minimum": 1},
        "created": {"type": "string"},
        "generator": {"type": "string"},
        # The sending database's identity (Store.database_id): the bases of an import are kept per sender.
        "sender": {"type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},
        "articles": {"type": "array", "items": {
            "type": "object", "required": ["uuid", "ninjs", "markdown"], "additionalProperties": False,
            "properties": {"uuid": {"type": "string"}, "ninjs": {"type": "string"}, "markdown": {"type": "string"}},
        }},
        "files": {"type": "array", "items": {
            "type": "object", "required": ["path", "sha256", "size"], "additionalProperties": False,
            "properties": {"path": {"type": "string"}, "sha256": _SHA, "size": {"type": "integer", "minimum": 0}},
        }},
    },
}


@dataclass(frozen=True)
class ManifestFile:
    """One file the manifest vouches for."""

    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """A package's manifest, checked."""

    format_version: int
    created: datetime
    generator: str
    articles: tuple[tuple[str, str, str], ...]  # (uuid, ninjs path, Markdown path)
    files: dict[str, ManifestFile]
    sender: str  # the sending database's identity


def article_paths(uuid: str) -> tuple[str, str]:
    """The ninjs and Markdown file names of an article in a package."""
    return f"articles/{uuid}.json", f"articles/{uuid}.md"


def photo_path(sha256: str, image_format: str) -> str:
    """A photo's file name in a package."""
    return f"photos/{sha256}{PHOTO_EXTENSIONS.get(image_format, '.jpg')}"


def manifest_json(files: list[ManifestFile], articles: list[tuple[str, str, str]], generator: str,
                  sender: str) -> bytes:
    """The manifest of a package holding these files and articles, written by the database ``sender``."""
    document = {
        "format": FORMAT_NAME, "formatVersion": FORMAT_VERSION,
        "created": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "generator": generator, "sender": sender,
        "articles": [{"uuid": uuid, "ninjs": ninjs, "markdown": markdown} for uuid, ninjs, markdown in articles],
        "files": [{"path": f.path, "sha256": f.sha256, "size": f.size} for f in files],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def parse_manifest(document: object) -> Manifest:
    """The checked manifest of a decoded ``manifest.json``; PackageError for anything off."""
    import jsonschema

    if isinstance(document, dict) and isinstance(document.get("formatVersion"), int) \
            and document.get("format") == FORMAT_NAME and document["formatVersion"] > FORMAT_VERSION:
        raise PackageError(
            f"the package was made by a newer Dayuan Desktop (package format {document['formatVersion']}; "
            f"this one reads format {FORMAT_VERSION} and older): update Dayuan Desktop to read it"
        )
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(MANIFEST_SCHEMA).iter_errors(document))
    if error is not None:
        raise PackageError(f"manifest.json is not a Dayuan package manifest: {error.message[:160]}")
    files: dict[str, ManifestFile] = {}
    for item in document["files"]:
        path = item["path"]
        if not FILE_NAME.fullmatch(path) or path in files:
            raise PackageError(f"manifest.json lists {path[:80]!r}, which is not a package file name (or twice)")
        files[path] = ManifestFile(path, item["sha256"], item["size"])
    articles = tuple((a["uuid"], a["ninjs"], a["markdown"]) for a in document["articles"])
    for uuid, ninjs, markdown in articles:
        if (ninjs, markdown) != article_paths(uuid) or ninjs not in files or markdown not in files:
            raise PackageError(f"manifest.json: article {uuid[:40]!r} does not point at its listed files")
    try:
        created = datetime.fromisoformat(document["created"].replace("Z", "+00:00"))
    except ValueError:
        raise PackageError(f"manifest.json: created {document['created'][:40]!r} is not a date") from None
    # A package written before the sender was recorded: an identity fixed by its contents, so
    # importing the same file twice still finds the bases of the first import.
    sender = document.get("sender") or str(uuid_module.uuid5(uuid_module.NAMESPACE_URL, "dayuan-package:" + "".join(
        sorted(f.sha256 for f in files.values()))))
    return Manifest(document["formatVersion"], created, document.get("generator", ""), articles, files, sender)
