"""The YAML front matter of a Markdown article: split off, parsed within bounds, checked key by key.

Front matter comes from outside, so YAML's power is bounded BEFORE any Python object is
built: a size limit, a nesting limit and no aliases. Without them a few hundred bytes of
anchors and aliases ("billion laughs") expand into billions of list items (about a minute
of CPU, then MemoryError), and brackets nested 20,000 deep overflow the recursive composer
(RecursionError). The event stream PyYAML's parser yields is produced without recursion,
so counting depth and aliases on it is safe at any nesting.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.validation import check_article_values

FRONT_MATTER_KEYS = ("title", "subtitle", "author", "source", "date", "tags", "channel", "number", "status", "summary")
EXTRA_KEYS = ("uuid",)
MAX_FRONT_MATTER_CHARS = 64 * 1024  # the longest fields (summary 5,000, 50 tags) fit many times over
MAX_DEPTH = 8  # the article's keys are scalars or one list (tags): depth 2
_FIELD_FOR_KEY = {"date": "published_at", "channel": "channel_path"}
# libyaml's parser when PyYAML was built with it (~5x faster: it is a bulk import's biggest cost
# after the search index); the same events and values. Its composer recurses in C, so the
# event check below (iterative) must refuse deep nesting before it runs, as it does.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COLLECTION_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def split_front_matter(path: Path, source: str) -> tuple[dict, str]:
    """The front matter (as a dict) and the body; ValidationError naming the file otherwise."""
    text = source.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise ValidationError(f"{path}: no front matter (the file must start with a '---' line)")
    end = re.search(r"^(---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if end is None:
        raise ValidationError(f"{path}: the front matter has no closing '---' line")
    meta = load_front_matter(path, text[4 : 4 + end.start()])
    body = text[4 + end.end() :].lstrip("\n")
    return meta, body


def load_front_matter(path: Path, yaml_text: str) -> dict:
    """Parse the YAML between the ``---`` lines, refusing what could exhaust time, memory or stack."""
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        raise ValidationError(
            f"{path}: the front matter is {len(yaml_text):,} characters long; the limit is {MAX_FRONT_MATTER_CHARS:,}"
        )
    try:
        try:
            _check_events(path, yaml_text, _LOADER)
        except yaml.YAMLError:
            # libyaml stops deep nesting with its own words; the Python parser's events say it in ours.
            _check_events(path, yaml_text, yaml.SafeLoader)
            raise
        meta = yaml.load(yaml_text, Loader=_LOADER) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ValidationError(f"{path}: the front matter is not valid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:  # a backstop: the event check refuses such nesting first
        raise ValidationError(f"{path}: the front matter nests too deeply to read") from None
    if not isinstance(meta, dict):
        raise ValidationError(f"{path}: the front matter must be 'key: value' lines, not a {type(meta).__name__}")
    return meta


def _check_events(path: Path, yaml_text: str, loader) -> None:
    depth = 0
    for event in yaml.parse(yaml_text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 2 if event.start_mark else "?"  # +1 for the '---' line
            raise ValidationError(
                f"{path}: the front matter uses a YAML alias (*{event.anchor}, line {line}); "
                "aliases are not accepted, write the value out"
            )
        if isinstance(event, _COLLECTION_START):
            depth += 1
            if depth > MAX_DEPTH:
                raise ValidationError(f"{path}: the front matter nests lists or keys more than {MAX_DEPTH} deep")
        elif isinstance(event, _COLLECTION_END):
            depth -= 1


def values_from_front_matter(path: Path, meta: dict, zone: ZoneInfo) -> tuple[dict, list[str]]:
    """The article fields the front matter gives (checked one by one), and warnings for unused keys."""
    warnings = []
    values: dict = {}
    for key, value in meta.items():
        if key not in FRONT_MATTER_KEYS and key not in EXTRA_KEYS:
            warnings.append(f"front matter key {str(key)[:60]!r} is not used")
            continue
        name = _FIELD_FOR_KEY.get(str(key), str(key))
        try:
            values[name] = check_article_values({name: _coerce(name, value, zone)})[name]
        except ValidationError as exc:
            raise ValidationError(f"{path}: front matter '{key}': {exc}") from None
    if not values.get("title"):
        raise ValidationError(f"{path}: front matter needs a 'title'")
    return values, warnings


def _coerce(name: str, value, zone: ZoneInfo):
    if name == "published_at":
        return _datetime(value, zone)
    if name == "tags" and isinstance(value, str):
        return [t for t in re.split(r"[,，、\s]+", value) if t]
    if name == "number" and isinstance(value, str):
        digits = value.strip()
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 10:  # '²' and '٣' are digits to Python
            raise ValidationError(f"{value!r:.40} is not a whole number such as 4709")
        return int(digits)
    return value


def _datetime(value, zone: ZoneInfo) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(f"{value!r:.60} is not a date such as 2022-12-13 14:46:28") from None
    else:
        raise ValidationError(f"must be a date such as 2022-12-13 14:46:28, not {type(value).__name__}")
    moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
    try:
        moment.astimezone(dt.UTC)  # stored in UTC: year 1 in Asia/Shanghai falls before year 1
    except OverflowError:
        raise ValidationError(f"{value!s:.40} is out of range (years 1–9999 in UTC)") from None
    return moment
