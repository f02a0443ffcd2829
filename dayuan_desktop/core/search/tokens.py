"""Index tokens: how a search text is written into SQLite's FTS5 table and how a query
term is looked up there (characters, pairs, hashed trigram buckets; see the package doc)."""

from __future__ import annotations

import hashlib
import operator
import zlib
from collections.abc import Iterable

_PLAIN_ASCII = frozenset("abcdefghijklmnopqrstuvwyz0123456789")  # 'x' is the escape letter

# Trigrams are hashed into this many buckets (a power of two). Fewer buckets: denser
# postings (smaller deltas, about a byte each) but more articles that share a bucket with a
# trigram they do not contain, i.e. more candidates to verify. Changing it needs a new
# SEARCH_FORMAT.
TRIGRAM_BUCKETS = 1 << 17
_BUCKET_MASK = TRIGRAM_BUCKETS - 1


class _TokenCode(dict[str, str]):
    """Character → index token; computed once per character, then a dict hit."""

    def __missing__(self, char: str) -> str:
        code = ord(char)
        plain = (
            char in _PLAIN_ASCII
            or 0x4E00 <= code <= 0x9FA5  # CJK unified ideographs known to SQLite's tables
            or 0x3400 <= code <= 0x4DB5  # extension A
        )
        token = char if plain else f"x{code:06x}"
        self[char] = token
        return token


_TOKEN = _TokenCode()


def _encode(joined: str, chars: Iterable[str]) -> str:
    """Write ``joined`` (made of ``chars`` and spaces) as index tokens.

    One ``str.replace`` per distinct character that needs a code (news text has a dozen or
    so); 'x' goes first, since the codes written for the others contain it.
    """
    needing = [c for c in chars if not _PLAIN_CHARS[c]]
    needing.sort(key=lambda c: c != "x")
    for char in needing:
        joined = joined.replace(char, _TOKEN[char])
    return joined


def _is_plain(char: str) -> bool:
    code = ord(char)
    return char in _PLAIN_ASCII or 0x4E00 <= code <= 0x9FA5 or 0x3400 <= code <= 0x4DB5


class _PlainChars(dict[str, bool]):
    """Character → is it its own token; a dict hit after the first time."""

    def __missing__(self, char: str) -> bool:
        self[char] = plain = _is_plain(char)
        return plain


_PLAIN_CHARS = _PlainChars()


def _trigram_bucket(trigram: str) -> int:
    # crc32 rather than hash(): str hashes differ between processes (PYTHONHASHSEED).
    return zlib.crc32(trigram.encode("utf-8")) & _BUCKET_MASK


def _bucket_token(bucket: int) -> str:
    return f"xz{bucket:x}"


_MASK = _BUCKET_MASK.__and__


# The token of articles with a character whose NFKC form holds a CJK ideograph (see
# IndexedText.compat). Neither a character code (x + six hex digits), nor a bucket (xz + hex
# digits), nor a pair of either can spell it.
COMPAT_TOKEN = "xzz"


def index_tokens(search_text: str, compat: bool = False) -> str:
    """An article's index entry: its distinct characters, pairs and trigram buckets as tokens.

    Pairs and trigrams never span white space (a query term never contains any). Written
    with C-level map/set operations: this runs for every saved article.
    """
    chars: set[str] = set()
    pairs: set[str] = set()
    trigrams: set[str] = set()
    for chunk in search_text.split():
        chars.update(chunk)
        if len(chunk) > 1:
            chunk_pairs = list(map(operator.add, chunk, chunk[1:]))
            pairs.update(chunk_pairs)
            trigrams.update(map(operator.add, chunk_pairs, chunk[2:]))
    buckets = set(map(_MASK, map(zlib.crc32, map(str.encode, trigrams))))
    grams = _encode(" ".join(chars) + " " + " ".join(pairs), chars)
    return grams + " " + " ".join(map("xz{:x}".format, buckets)) + (" " + COMPAT_TOKEN if compat else "")


def term_tokens(term: str) -> set[str]:
    """The index tokens every article containing ``term`` has (the term is normalised).

    One character: its token (exact). Two: the pair (exact). Three: both pairs and the
    trigram's bucket. Longer: the trigram buckets alone: two or more buckets already leave
    almost no article that lacks the term (the pairs, often common words with long postings,
    doubled the time of the lookup and removed next to nothing). Three characters and more
    give a superset, which callers verify against the text.
    """
    if len(term) == 1:
        return {_TOKEN[term]}
    buckets = {_bucket_token(_trigram_bucket(term[i : i + 3])) for i in range(len(term) - 2)}
    if len(buckets) >= 2:
        return buckets
    return buckets | {_TOKEN[a] + _TOKEN[b] for a, b in zip(term, term[1:], strict=False)}


def text_hash(search_text: str, compat: bool = False) -> int:
    """A signed 64-bit digest of what an index entry is built from (what ``search_docs`` keeps per article)."""
    data = search_text.encode("utf-8") + (b"\0compat" if compat else b"")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)
