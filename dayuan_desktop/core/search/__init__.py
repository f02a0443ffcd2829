"""Full-text search over the archive with exact substring semantics, for any query length.

What a query means (the contract the tests check against a plain scan):
the query and each article's *search text* (title, subtitle, summary, body, tags, photo
captions and photographers, joined by newlines) are normalised with NFKC and case
folding; the query is split on white space into terms; an article matches when every
term is a substring of its search text. Results come newest first by ``Article.sort_key``.

SQLite design (why not FTS5 ``trigram``: on SQLite 3.40 it finds nothing for one- and
two-character queries, and its index is ~4.5x the text):

* ``search_grams``: one FTS5 table, contentless, ``detail=none``, whose rowid is the
  article id. Per article it holds two *sets* of tokens: its distinct characters, and its
  distinct adjacent character pairs (never across white space), each *marked* with the class
  of the character that follows it (code point modulo ``FOLLOW_CLASSES``) or with
  ``END_MARK`` at a chunk's end. A one-character term is one exact lookup; a two-character
  term its pair under any mark (exact); a longer term its pairs, each but the last with the
  mark of the next character in the term: a small superset that is verified against the
  article row itself (no second copy of the text is kept). Articles holding a character that
  NFKC turns into a CJK ideograph (豈, ⼀, ㍻) also carry ``COMPAT_TOKEN``: every other
  candidate is verified against its raw text with a plain substring test, which is what makes
  verification cheap. (Format 5 held hashed trigram buckets as a third set: ~1,900 more
  tokens per article, which made the index cost more to write than everything else an
  import does; the marks give rare words with common pairs, 推进行, the same narrowing.)
* Dense rowids (article ids) make a posting about one byte; the old sort-key rowids cost ~6.
  Newest first therefore comes from ``articles.sort_key``: a query that matches few articles
  is collected and sorted; one that matches many walks ``ix_articles_sort_key`` newest first
  and asks the index about each article until the page is full.
* ``search_docs``: per article a 64-bit hash of the text its entry was built from.
  Contentless FTS5 on SQLite 3.40 can only forget a row given its old tokens, so the store
  reads an article's current text before changing it (``SearchIndex.texts``), and the hash
  proves that this is the text the entry was built from (otherwise the index is rebuilt).

Characters other than common CJK ideographs and ASCII letters/digits are written as ``x``
plus six hex digits, a prefix-free code, so the tokenizer never splits or folds a token.
A mark is one character of U+0100…U+0180, which no code holds; ``COMPAT_TOKEN`` starts with
``xz``, which no code sequence can spell. The table's tokenizer is FTS5's ``ascii`` (format
7; formats up to 6 used ``unicode61``, which would fold these marks), so a full rebuild makes
the table again.

PostgreSQL: ``search_docs.content`` holds the normalised text with a ``pg_trgm`` GIN index;
``LIKE '%term%'`` uses it for terms of three or more characters and stays correct (by
scan) for shorter ones.

The package: ``text`` (normalising, terms, sort keys, the substring test), ``tokens`` (FTS5
index tokens), ``filters`` (channel/status/trash clauses), ``sqlite_plans`` (SQLite's query
plans), ``postgres`` (PostgreSQL's column and query) and ``index`` (:class:`SearchIndex`,
which keeps the index in step and dispatches queries). Everything public is importable from
here.
"""

from dayuan_desktop.core.search.filters import SearchFilter
from dayuan_desktop.core.search.index import IndexOutOfStepError, SearchIndex
from dayuan_desktop.core.search.sqlite_plans import COLLECT_LIMIT, SAMPLE_IDS, SCAN_SHARE, VERIFY_BATCH
from dayuan_desktop.core.search.text import (
    SEARCH_FORMAT,
    IndexedText,
    build_search_text,
    make_sort_key,
    normalize,
    query_terms,
    text_matches,
)
from dayuan_desktop.core.search.tokens import (
    COMPAT_TOKEN,
    END_MARK,
    FOLLOW_CLASSES,
    index_tokens,
    term_query,
    text_hash,
)

__all__ = [
    "COLLECT_LIMIT",
    "COMPAT_TOKEN",
    "END_MARK",
    "FOLLOW_CLASSES",
    "SAMPLE_IDS",
    "SCAN_SHARE",
    "SEARCH_FORMAT",
    "VERIFY_BATCH",
    "IndexOutOfStepError",
    "IndexedText",
    "SearchFilter",
    "SearchIndex",
    "build_search_text",
    "index_tokens",
    "make_sort_key",
    "normalize",
    "query_terms",
    "term_query",
    "text_hash",
    "text_matches",
]
