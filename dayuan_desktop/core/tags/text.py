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

_PLUMBING = re.compile(
    r"!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)"  # a photo line: its caption is read below, not the address
    r"|\]\([^)\n]{0,2000}\)"  # a link's address (its text stays)
    r"|https?://\S+"
    r"|<[^>\n]{0,2000}>"  # raw HTML tags
    r"|[#*_>`|\\~\[\]]"  # Markdown markers
)
_SCRIPTS = re.compile(r"<(script|style)\b[^>]{0,2000}>.{0,20000}?</\1\s*>", re.IGNORECASE | re.DOTALL)  # code, not words
_CAPTION = re.compile(r"!\[([^\]\n]{0,500})\]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9.+-]+")


def plain_text(markdown: str, limit: int = MAX_BODY_CHARS) -> str:
    """The words of a Markdown body (photo captions kept, addresses and markers dropped), at most ``limit`` characters."""
    head = markdown[: limit * 2]  # plumbing removed below is rarely more than half of a text
    captions = " ".join(_CAPTION.findall(head))
    return (_PLUMBING.sub(" ", _SCRIPTS.sub(" ", head)) + " " + captions)[:limit]


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
