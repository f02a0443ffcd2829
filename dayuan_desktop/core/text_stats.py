"""Counting the length of an article the way Chinese newsrooms do (字数).

Each CJK character counts one; each run of letters or digits from other scripts (an
English word, a number such as ``2022`` or ``3.5``, ``COVID-19``) counts one as a
whole. Punctuation, spaces, symbols and embedded objects (images) count nothing.
Full-width letters and digits are counted like their ASCII forms.
"""

from __future__ import annotations

import re
import unicodedata

# Han ideographs (with extensions and compatibility forms), the iteration/zero marks 々〇,
# kana and Hangul syllables: each is one "character" in a newsroom's count.
_CJK_CLASS = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303a\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
_CJK = re.compile(f"[{_CJK_CLASS}]")
# A word: letters/digits (CJK characters are taken out first), which may be joined by an
# apostrophe, a hyphen or a point between two of them ("don't", "COVID-19", "3.5": one word each).
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


def character_count(text: str) -> int:
    """The 字数 of a text: CJK characters one each, plus other-script words and numbers one each."""
    text = unicodedata.normalize("NFKC", text)
    rest, cjk = _CJK.subn(" ", text)
    return cjk + sum(1 for _ in _WORD.finditer(rest))
