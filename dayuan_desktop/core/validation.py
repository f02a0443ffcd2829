"""Checks on values before they are stored; each failure names the field and what is wrong."""

from __future__ import annotations

import re
import uuid as uuid_module
from datetime import datetime

from dayuan_desktop.core.enums import ArticleStatus
from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.records import EDITABLE_FIELDS

MAX_BODY_CHARS = 1_000_000  # ~ 500 printed pages; a news article never comes near
MAX_TAGS = 50
CHANNEL_PATH = re.compile(r"^[a-z0-9-]+(/[a-z0-9-]+)*$")
WEB_NAME = re.compile(r"^[0-9]{4}/[0-9]{2}/[0-9a-f]{8,64}$")

_TEXT_LIMITS = {
    "title": 500,
    "subtitle": 500,
    "author": 200,
    "source": 200,
    "summary": 5_000,
    "body": MAX_BODY_CHARS,
}
_COUNTERS = ("comment_count", "like_count", "view_count")


def check_channel_path(path: object) -> str:
    """A channel path such as ``gsyl/lzgs``: lowercase letters, digits, '-', '/' between segments."""
    if not isinstance(path, str) or not CHANNEL_PATH.fullmatch(path) or len(path) > 200:
        raise ValidationError(
            f"channel path {path!r} is not valid: use lowercase letters, digits and '-', "
            "with '/' between segments (e.g. gsyl/lzgs)"
        )
    return path


def check_web_name(name: object) -> str:
    """A photo's web name such as ``2022/12/3f2a9c0d11e2b4a7`` (it becomes part of URLs and paths)."""
    if not isinstance(name, str) or not WEB_NAME.fullmatch(name):
        raise ValidationError(f"photo web name {name!r:.80} is not of the form YYYY/MM/hexdigits")
    return name


def check_article_values(values: dict) -> dict:
    """Validate and normalise the editable fields in ``values``; returns a cleaned copy."""
    unknown = set(values) - set(EDITABLE_FIELDS) - {"uuid"}
    if unknown:
        raise ValidationError(f"unknown article field(s): {', '.join(sorted(unknown))}")
    clean: dict = {}
    for name, value in values.items():
        if name in _TEXT_LIMITS:
            clean[name] = _text(name, value, _TEXT_LIMITS[name])
        elif name in _COUNTERS:
            clean[name] = _whole_number(name, value, allow_none=False)
        elif name == "number":
            clean[name] = _whole_number(name, value, allow_none=True, minimum=1)
        elif name == "status":
            clean[name] = _status(value)
        elif name == "published_at":
            clean[name] = _aware_datetime(name, value)
        elif name == "tags":
            clean[name] = _tags(value)
        elif name == "channel_path":
            clean[name] = None if value is None else check_channel_path(value)
        elif name == "uuid":
            clean[name] = _uuid(value)
    return clean


def _uuid(value: object) -> str | None:
    if value is None:
        return None
    try:
        return str(uuid_module.UUID(str(value)))
    except ValueError:
        raise ValidationError(f"uuid {value!r:.60} is not a valid UUID") from None


def _text(name: str, value: object, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be text, not {type(value).__name__} ({value!r:.60})")
    if "\x00" in value:
        raise ValidationError(f"{name} contains a NUL character")
    if len(value) > limit:
        raise ValidationError(f"{name} is {len(value):,} characters long; the limit is {limit:,}")
    return value if name == "body" else value.strip()


def _whole_number(name: str, value: object, *, allow_none: bool, minimum: int = 0) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be a whole number, not {type(value).__name__} ({value!r:.60})")
    if value < minimum or value > 2_000_000_000:
        raise ValidationError(f"{name} must be between {minimum} and 2000000000, not {value}")
    return value


def _status(value: object) -> str:
    allowed = [status.value for status in ArticleStatus]
    if value not in allowed:
        raise ValidationError(f"status must be one of {', '.join(allowed)}, not {value!r:.60}")
    return str(value)


def _aware_datetime(name: str, value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise ValidationError(f"{name} must be a date and time, not {type(value).__name__} ({value!r:.60})")
    if value.tzinfo is None:
        raise ValidationError(f"{name} has no time zone")
    return value


def _tags(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError(f"tags must be a list of words, not {type(value).__name__} ({value!r:.60})")
    tags: list[str] = []
    for tag in value:
        if not isinstance(tag, str):
            raise ValidationError(f"each tag must be text, not {type(tag).__name__} ({tag!r:.60})")
        tag = tag.strip()
        if not tag:
            continue
        if len(tag) > 100 or any(ch.isspace() for ch in tag):
            raise ValidationError(f"tag {tag!r:.60} must be one word of at most 100 characters")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(f"an article may have at most {MAX_TAGS} tags, not {len(tags)}")
    return tags
