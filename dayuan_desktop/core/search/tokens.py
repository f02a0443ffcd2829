"""Index tokens: how a search text is written into SQLite's FTS5 table and how a query
term is looked up there (characters, and pairs marked with their follower's class; see the
package doc)."""

from __future__ import annotations

import hashlib
import operator

_PLAIN_ASCII = frozenset("abcdefghijklmnopqrstuvwyz0123456789")  # 'x' is the escape letter

# A pair's token ends with the class of the character after it (its code point modulo
# FOLLOW_CLASSES, written "xz" + one digit of _CLASS_DIGITS), or with END_MARK when the pair
# ends its chunk. More classes: fewer candidates to verify for longer terms, a few more
# tokens per article. Changing any of this needs a new SEARCH_FORMAT.
FOLLOW_CLASSES = 32
_CLASS_DIGITS = "0123456789abcdefghijklmnopqrstuv"
END_MARK = "xzw"

# The token of articles with a character whose NFKC form holds a CJK ideograph (see
# IndexedText.compat). An encoded character never starts with "xz" (z is no hex digit), so
# no character, nor a marked pair (two codes, then a mark), can spell it.
COMPAT_TOKEN = "xzz"


def _is_plain(char: str) -> bool:
    code = ord(char)
    return (
        char in _PLAIN_ASCII
        or 0x4E00 <= code <= 0x9FA5  # CJK unified ideographs known to SQLite's tables
        or 0x3400 <= code <= 0x4DB5  # extension A
    )


class _TokenCode(dict[str, str]):
    """Character → index token (itself, or "x" + six hex digits); a dict hit after the first time."""

    def __missing__(self, char: str) -> str:
        token = char if _is_plain(char) else f"x{ord(char):06x}"
        self[char] = token
        return token


class _FollowMark(dict[str, str]):
    """Character → the mark a pair followed by it carries; a dict hit after the first time."""

    def __missing__(self, char: str) -> str:
        mark = "xz" + _CLASS_DIGITS[ord(char) % FOLLOW_CLASSES]
        self[char] = mark
        return mark


_TOKEN = _TokenCode()
_FOLLOW = _FollowMark()
_ALL_MARKS = tuple("xz" + digit for digit in _CLASS_DIGITS[:FOLLOW_CLASSES]) + (END_MARK,)


def index_tokens(search_text: str, compat: bool = False) -> str:
    """An article's index entry: its distinct characters and its distinct marked pairs.

    Every adjacent pair of characters within a white-space separated chunk is written with
    the mark of the character after it (or END_MARK at the chunk's end): a two-character term
    is then any of its marked pairs (exact), and a longer term's pairs with the marks of the
    characters that follow them inside the term narrow its candidates down. Written with
    C-level map/set operations: this runs for every saved article.
    """
    chars: set[str] = set()
    marked: set[str] = set()
    for chunk in search_text.split():
        chars.update(chunk)
        if len(chunk) > 1:
            codes = list(map(_TOKEN.__getitem__, chunk))
            pairs = list(map(operator.add, codes, codes[1:]))
            marked.update(map(operator.add, pairs, map(_FOLLOW.__getitem__, chunk[2:])))
            marked.add(pairs[-1] + END_MARK)
    entry = " ".join(map(_TOKEN.__getitem__, chars)) + " " + " ".join(marked)
    return entry + (" " + COMPAT_TOKEN if compat else "")


def term_query(term: str) -> str:
    """The FTS5 query every article containing ``term`` (normalised, no white space) matches.

    One character: its token; two: its pair with any mark (exact). Longer: each pair but the
    last with the mark of the character after it in the term, and the last pair with any
    mark: a superset, which callers verify against the text.
    """
    codes = [_TOKEN[char] for char in term]
    if len(codes) == 1:
        return f'"{codes[0]}"'
    pairs = [a + b for a, b in zip(codes, codes[1:], strict=False)]
    inner = [f'"{pair}{_FOLLOW[follower]}"' for pair, follower in zip(pairs, term[2:], strict=False)]
    last = "(" + " OR ".join(f'"{pairs[-1]}{mark}"' for mark in _ALL_MARKS) + ")"
    return " AND ".join([*inner, last])


def text_hash(search_text: str, compat: bool = False) -> int:
    """A signed 64-bit digest of what an index entry is built from (what ``search_docs`` keeps per article)."""
    data = search_text.encode("utf-8") + (b"\0compat" if compat else b"")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)
