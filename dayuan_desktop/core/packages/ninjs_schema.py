"""The ninjs 3.3 schema the package reader validates against, written from IPTC's specification.

It holds the properties a Dayuan package uses, with ninjs 3.3's names and types (JSON Schema
2020-12, camelCase, ``uri`` the one required property). The tests keep their own, independent
schema file to check what we write; this copy checks what we read.
"""

from __future__ import annotations

import json
from functools import cache

from dayuan_desktop.core.packages.limits import PackageError

NINJS_VERSION = "3.3"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.3.json#"

_TEXT = {"type": "string"}
_INT = {"type": "integer"}
_WHEN = {"type": "string", "format": "date-time"}
_URI = {"type": "string", "format": "uri"}


def _objects(properties: dict, required: tuple[str, ...] = ()) -> dict:
    """An array of closed objects with these properties."""
    item = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        item["required"] = list(required)
    return {"type": "array", "items": item}


_VALUE = {"role": _TEXT, "contentType": _TEXT, "value": _TEXT}
_CONCEPT = {"name": _TEXT, "rel": _TEXT, "uri": _URI, "literal": _TEXT}
_RENDITION = {
    "type": "object", "additionalProperties": False, "required": ["name"],
    "properties": {
        "name": _TEXT, "href": _URI, "contentType": _TEXT, "title": _TEXT, "width": _INT, "height": _INT,
        "sizeInBytes": _INT, "format": _TEXT,
    },
}

NINJS_PROPERTIES: dict = {
    "uri": _URI,
    "type": {"enum": ["text", "audio", "video", "picture", "graphic", "composite", "component", "event", "planning"]},
    "representationType": {"enum": ["full", "partial"]},
    "profile": _TEXT,
    "version": _TEXT,
    "firstCreated": _WHEN,
    "versionCreated": _WHEN,
    "contentCreated": _WHEN,
    "pubStatus": {"enum": ["usable", "withheld", "canceled"]},
    "copyrightHolder": _TEXT,
    "copyrightNotice": _TEXT,
    "language": _TEXT,
    "title": _TEXT,
    "by": _TEXT,
    "located": _TEXT,
    "headlines": _objects(_VALUE, ("value",)),
    "descriptions": _objects(_VALUE, ("value",)),
    "bodies": _objects({**_VALUE, "charCount": _INT, "wordCount": _INT}, ("value",)),
    "subjects": _objects({**_CONCEPT, "creator": _TEXT}),
    "infoSources": _objects({"name": _TEXT, "role": _TEXT, "uri": _URI, "literal": _TEXT}),
    "altIds": _objects({"role": _TEXT, "value": _TEXT}),
    "renditions": {"type": "array", "items": {"$ref": "#/$defs/rendition"}},
    "associations": {"type": "array", "items": {"$ref": "#/$defs/association"}},
    "standard": {
        "type": "object", "additionalProperties": False,
        "properties": {"name": _TEXT, "version": _TEXT, "schema": _URI},
    },
}

NINJS_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["uri"],
    "properties": NINJS_PROPERTIES,
    "additionalProperties": False,
    "$defs": {
        "rendition": _RENDITION,
        # An associated object is itself a ninjs object, named within this one.
        "association": {
            "type": "object", "required": ["uri", "name"], "additionalProperties": False,
            "properties": {**NINJS_PROPERTIES, "name": _TEXT, "rel": _TEXT},
        },
    },
}


@cache
def _validator():
    import jsonschema  # loaded only when a package is read: the CLI starts without it

    jsonschema.Draft202012Validator.check_schema(NINJS_SCHEMA)
    return jsonschema.Draft202012Validator(NINJS_SCHEMA)


def check_ninjs(document: object, name: str) -> dict:
    """``document`` if it is a ninjs 3.3 object as a package holds it, else PackageError naming the first fault."""
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the top level"
        message = error.message if len(error.message) <= 160 else error.message[:157] + "…"
        raise PackageError(f"{name} is not a valid ninjs {NINJS_VERSION} document: {message} (at {where})")
    return document


def ninjs_json(document: dict) -> bytes:
    """A ninjs document as the package stores it: UTF-8 JSON, Chinese left readable."""
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8")
