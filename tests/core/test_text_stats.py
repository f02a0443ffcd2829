"""字数: CJK characters one each, other-script words and numbers one each, nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dayuan_desktop.core.text_stats import character_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("党旗飘扬", 4),
        ("党旗飘扬，筑起“钢铁长城”。", 10),  # punctuation does not count
        ("截至4月19日", 6),  # 截 至 月 日 + the numbers 4 and 19
        ("COVID-19 防控", 3),
        ("Hello world", 2),
        ("don't stop", 2),
        ("增长3.5%", 3),
        ("ＡＢＣ　１２３", 2),  # full-width letters and digits are words too
        ("日本語のかな", 6),
        ("한국어", 3),
        ("𠀀𠀁", 2),  # ideographs outside the basic plane
        ("a\u2028b\ufffc c", 3),  # line separators and image placeholders count nothing
        ("   \n\t", 0),
    ],
)
def test_counts_like_a_newsroom(text, expected):
    assert character_count(text) == expected


def test_the_sample_paragraph():
    text = "平城区是我市疫情防控的“桥头堡”。截至4月19日,平城区18个街道共对接接收下沉一线人员6247人。"
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    assert character_count(text) == cjk + 4  # 4, 19, 18, 6247


@given(st.lists(st.sampled_from(["中", "文", "abc", "42", " ", "，", "。", "-", "\n"]), max_size=40))
def test_joining_never_counts_more_than_the_parts(parts):
    assert character_count("".join(parts)) <= sum(character_count(p) for p in parts)
    assert character_count(" ".join(parts)) == sum(character_count(p) for p in parts)
