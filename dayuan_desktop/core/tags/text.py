"""The article text the suggestions read: Markdown's plumbing removed, bounded, and the stop list."""

from __future__ import annotations

import os
import re
from functools import lru_cache

from dayuan_desktop.core.resources import resources_dir

# An article longer than this is judged by its beginning: a news article's subject is stated
# early, and a 1 MB paste must not hold a pool thread for seconds.
MAX_BODY_CHARS = 20_000
MAX_FIELD_CHARS = 2_000  # title and summary
# jieba's HMM guesses words missing from its dictionary. Off: a third faster, and its guesses
# were mostly fragments (旗飘扬); tags the newsroom uses are added to the dictionary instead.
USE_HMM = os.environ.get("DAYUAN_TAGS_HMM") == "1"  # on only to compare (benchmarks/tag_precision.py)

# Markdown's plumbing, matched without backtracking (possessive quantifiers, short bounds): a
# hostile body ("<script>" or "![" a hundred thousand times) costs linear time, not seconds.
_PLUMBING = re.compile(
    r"\]\([^)\s]{0,160}+\)"  # a link's or photo's address (its text or caption stays)
    r"|https?://\S++"
    r"|<[A-Za-z/!][^<>\n]{0,160}+>"  # raw HTML tags
)
_MARKERS = re.compile(r"[#*_>`|\\~\[\]()!<]")  # Markdown markers: the words between them stay
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9.+-]+")


def plain_text(markdown: str, limit: int = MAX_BODY_CHARS) -> str:
    """The words of a Markdown body (captions and link texts kept; addresses, markers and code dropped), at most ``limit`` characters."""
    head = _drop_code(markdown[: limit + limit // 4])  # plumbing removed below is rarely more than that
    return _MARKERS.sub(" ", _PLUMBING.sub(" ", head))[:limit]


def _drop_code(text: str) -> str:
    """Leave out what <script> and <style> elements hold (code, not words); an unclosed one runs to the end."""
    lower = text.lower()
    if "<script" not in lower and "<style" not in lower:
        return text
    kept, position = [], 0
    while True:
        starts = [found for found in (lower.find("<script", position), lower.find("<style", position)) if found >= 0]
        if not starts:
            kept.append(text[position:])
            return " ".join(kept)
        start = min(starts)
        kept.append(text[position:start])
        closing = "</script" if lower.startswith("<script", start) else "</style"
        end = lower.find(closing, start)
        if end < 0:
            return " ".join(kept)
        position = end + len(closing)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Places and function words never suggested (``resources/tags/stopwords.txt``)."""
    words: set[str] = set()
    path = resources_dir() / "tags" / "stopwords.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("#"):
            words.update(line.split())
    return frozenset(words)


def is_term(token: str) -> bool:
    """True for a token that could be a tag: two or more characters, Chinese or a Latin word, not a stop word."""
    token = token.strip()
    if len(token) < 2 or len(token) > 20 or token in stop_words():
        return False
    if _HAN.search(token):
        return all(_HAN.match(ch) or ch.isalnum() for ch in token)
    return bool(_LATIN_WORD.fullmatch(token)) and not token.isdigit()
