"""Index tokens: how a search text is written into SQLite's FTS5 table and how a query
term is looked up there (characters and positioned pairs; see the package doc)."""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Iterable

_PLAIN_ASCII = frozenset("abcdefghijklmnopqrstuvwyz0123456789")  # 'x' is the escape letter

# Written between the pair runs of two white-space separated chunks, so that no phrase of
# pairs can run from one chunk into the next ("ab" ending one chunk, "bc" starting the next
# must not match "abc"). An encoded character never starts with "xz" (z is no hex digit), so
# neither a character's token, nor a pair, nor COMPAT_TOKEN can spell it.
CHUNK_BREAK = "xzy"

# The token of articles with a character whose NFKC form holds a CJK ideograph (see
# IndexedText.compat). Like CHUNK_BREAK, no character code or pair of codes can spell it.
COMPAT_TOKEN = "xzz"
_BREAK = f" {CHUNK_BREAK} "


class _TokenCode(dict[str, str]):
    """Character → index token; computed once per character, then a dict hit."""

    def __missing__(self, char: str) -> str:
        token = char if _PLAIN_CHARS[char] else f"x{ord(char):06x}"
        self[char] = token
        return token


def _is_plain(char: str) -> bool:
    code = ord(char)
    return (
        char in _PLAIN_ASCII
        or 0x4E00 <= code <= 0x9FA5  # CJK unified ideographs known to SQLite's tables
        or 0x3400 <= code <= 0x4DB5  # extension A
    )


class _PlainChars(dict[str, bool]):
    """Character → is it its own token; a dict hit after the first time."""

    def __missing__(self, char: str) -> bool:
        self[char] = plain = _is_plain(char)
        return plain


_PLAIN_CHARS = _PlainChars()
_TOKEN = _TokenCode()


def _encode(joined: str, chars: Iterable[str]) -> str:
    """Write ``joined`` (made of ``chars`` and white space) as index tokens.

    One ``str.replace`` per distinct character that needs a code (news text has a dozen or
    so); 'x' goes first, since the codes written for the others contain it.
    """
    needing = [c for c in chars if not _PLAIN_CHARS[c]]
    needing.sort(key=lambda c: c != "x")
    for char in needing:
        joined = joined.replace(char, _TOKEN[char])
    return joined


def index_tokens(search_text: str, compat: bool = False) -> str:
    """An article's index entry: the pairs of each chunk in order, then its distinct characters.

    Each white-space separated chunk gives its adjacent character pairs in text order, chunks
    divided by CHUNK_BREAK, so that FTS5's positions make a term of three or more characters
    an exact phrase of its pairs; then the article's distinct characters, sorted so that an
    entry is the same in every process (set order follows the string hash seed). Written
    with C-level map/join operations: this runs for every saved article.
    """
    chars: set[str] = set()
    runs = []
    for chunk in search_text.split():
        chars.update(chunk)
        if len(chunk) > 1:
            runs.append(" ".join(map(operator.add, chunk, chunk[1:])))
    # Runs are joined with a newline (never inside a chunk, so never encoded), which then
    # becomes CHUNK_BREAK: written directly, its 'x' would be encoded with the text's.
    entry = "\n".join(runs) + "\n" + " ".join(sorted(chars))
    return _encode(entry, chars).replace("\n", _BREAK) + (" " + COMPAT_TOKEN if compat else "")


def term_query(term: str) -> str:
    """The FTS5 query every article containing ``term`` (normalised, no white space) matches, exactly.

    One character: its token. Two: the pair. Three or more: the phrase of its pairs (FTS5
    phrases are consecutive positions, and pairs sit at consecutive positions within a chunk).
    """
    if len(term) == 1:
        return f'"{_TOKEN[term]}"'
    return '"' + " ".join(_TOKEN[a] + _TOKEN[b] for a, b in zip(term, term[1:], strict=False)) + '"'


def text_hash(search_text: str, compat: bool = False) -> int:
    """A signed 64-bit digest of what an index entry is built from (what ``search_docs`` keeps per article)."""
    data = search_text.encode("utf-8") + (b"\0compat" if compat else b"")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)
