"""What a channel may be called and where it may sit: checks with one-line errors.

A channel has a Chinese name (shown in the window and on the site) and a URL path made of
segments (``gsyl/lzgs``). The segment follows the existing channel paths' charset
(``core.validation.CHANNEL_PATH``); the whole path must stay within the column's 200 characters.
"""

from __future__ import annotations

import re
import unicodedata

from dayuan_desktop.core.errors import ValidationError

MAX_NAME = 60  # a channel name is a short label in a tree and a page heading
MAX_SEGMENT = 60
MAX_PATH = 200  # the channels.path column
_SEGMENT = re.compile(r"^[a-z0-9-]+$")


def check_channel_name(name: object) -> str:
    """A channel's display name, stripped: not empty, at most 60 characters, no control characters."""
    if not isinstance(name, str):
        raise ValidationError("a channel name must be text")
    clean = name.strip()
    if not clean:
        raise ValidationError("a channel name cannot be empty")
    if len(clean) > MAX_NAME:
        raise ValidationError(f"a channel name has at most {MAX_NAME} characters (this one has {len(clean)})")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in clean):
        raise ValidationError("a channel name cannot contain line breaks or control characters")
    return clean


def check_segment(segment: object) -> str:
    """One URL path segment such as ``lzgs``: lowercase letters, digits and '-', at most 60 characters."""
    if not isinstance(segment, str) or not _SEGMENT.fullmatch(segment) or len(segment) > MAX_SEGMENT:
        raise ValidationError(
            f"channel path segment {segment!r:.80} is not valid: use 1–{MAX_SEGMENT} lowercase letters, "
            "digits and '-' (no '/'; e.g. lzgs)"
        )
    return segment


def joined(parent_path: str | None, segment: str) -> str:
    """The path of a channel named ``segment`` under ``parent_path`` (None: at the top)."""
    return f"{parent_path}/{segment}" if parent_path else segment


def rebased(path: str, old_prefix: str, new_prefix: str) -> str:
    """``path`` (the channel ``old_prefix`` or below it) moved to ``new_prefix`` (a/b → c/b)."""
    return new_prefix + path[len(old_prefix):]


def check_path_length(paths: list[str]) -> None:
    """Refuse when any resulting path is longer than the column allows."""
    longest = max(paths, key=len, default="")
    if len(longest) > MAX_PATH:
        raise ValidationError(f"channel path {longest[:60]}… would be {len(longest)} characters; at most {MAX_PATH}")
