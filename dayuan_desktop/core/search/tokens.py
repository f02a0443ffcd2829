"""Index tokens: how a search text is written into SQLite's FTS5 table and how a query
term is looked up there (characters, and pairs marked with their follower's class; see the
package doc)."""

from __future__ import annotations

import hashlib
import operator

_PLAIN_ASCII = frozenset("abcdefghijklmnopqrstuvwyz0123456789")  # 'x' is the escape letter

# A pair's token ends with a *mark*: one character naming the class of the character after
# it (its code point modulo FOLLOW_CLASSES), or END_MARK when the pair ends its chunk. More
# classes: fewer candidates to verify for a rare word whose pairs are common (推进行: 32
# classes left 94 candidates per true match at 20,000 articles, 128 left 2.9), but a
# two-character term's lookup merges more tokens. Marks are characters no code can hold
# (codes are ASCII letters and digits and CJK ideographs): U+0100 + class, two bytes in UTF-8,
# where format 6 wrote "xz" and two digits (10 % less FTS5 work per article with the shorter
# tokens). The index's tokenizer is FTS5's 'ascii' (building._GRAMS_DDL), which takes every
# non-ASCII character as part of a token and folds nothing but ASCII: unicode61 would fold
# Ā (U+0100) into ā (U+0101). Changing any of this needs a new SEARCH_FORMAT.
FOLLOW_CLASSES = 128
_MARK_BASE = 0x100
END_MARK = chr(_MARK_BASE + FOLLOW_CLASSES)  # the mark of a pair that ends its chunk

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
        mark = chr(_MARK_BASE + ord(char) % FOLLOW_CLASSES)
        self[char] = mark
        return mark


_TOKEN = _TokenCode()
_FOLLOW = _FollowMark()


def index_tokens(search_text: str, compat: bool = False) -> str:
    """An article's index entry: its distinct characters and its distinct marked pairs.

    Every adjacent pair of characters within a white-space separated chunk is written with
    the mark of the character after it (or END_MARK at the chunk's end): a two-character term
    is then its pair under any mark (exact), and a longer term's pairs with the marks of the
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

    One character: its token. Two: its pair under any mark, a prefix query (exact). Longer:
    each pair but the last with the mark of the character after it in the term (together
    they name every character of the term): a superset, which callers verify against the
    text. The last pair's any-mark lookup would narrow little and cost a whole prefix merge.
    """
    codes = [_TOKEN[char] for char in term]
    if len(codes) == 1:
        return f'"{codes[0]}"'
    if len(codes) == 2:
        return f'"{codes[0]}{codes[1]}" *'
    marked = (f'"{a}{b}{_FOLLOW[follower]}"' for a, b, follower in zip(codes, codes[1:], term[2:], strict=False))
    return " AND ".join(marked)


def text_hash(search_text: str, compat: bool = False) -> int:
    """A signed 64-bit digest of what an index entry is built from (what ``search_docs`` keeps per article)."""
    data = search_text.encode("utf-8") + (b"\0compat" if compat else b"")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)
