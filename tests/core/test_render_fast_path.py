"""The plain-article fast path must give exactly python-markdown's HTML, or step aside."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dayuan_desktop.core import render

PHOTO = "![图为检查车辆。](photo:" + "ab" * 32 + ")"
ALPHABET = "平城区疫情防控党员干部，。、“”！？：；（）,.!?:;()\"' abcXYZ0123456789#*_[]<>&|-+=>\t"


def _figure(match):
    return render.photo_figure_html(None, match.group("alt"), None)


def _python_markdown(body: str) -> str:
    md = render._markdown()
    md.reset()
    return md.convert(render.PHOTO_LINE.sub(lambda m: "\n\n" + _figure(m) + "\n\n", body))


PLAIN = "平城区疫情防控党员干部，。、“”！？：；（）,.!?:;()\"' abcXYZ0123456789"
line = st.one_of(st.text(alphabet=PLAIN, min_size=1, max_size=30), st.text(alphabet=ALPHABET, min_size=1, max_size=30))
block = st.one_of(
    st.lists(line, min_size=1, max_size=3).map("\n".join),
    line.map(lambda text: "## " + text),
    st.sampled_from(["### 小标题", "# 一级", "###### 六级", PHOTO, "1. 列表", "- 列表", "> 引用", "    代码"]),
)
separator = st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n\t\n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(block, min_size=1, max_size=6), st.lists(separator, min_size=6, max_size=6),
       st.sampled_from(["", "\n", "\n\n"]))
def test_fast_path_equals_python_markdown_or_declines(blocks, separators, edge):
    body = edge + "".join(b + s for b, s in zip(blocks, separators, strict=False)).rstrip("\n") + edge
    fast = render.plain_markdown_html(body, _figure)
    if fast is not None:
        assert fast == _python_markdown(body)


def test_a_typical_news_article_takes_the_fast_path():
    body = f"{PHOTO}\n\n第一段，平城区。\n第二行。\n\n## 党员干部集结下沉防疫一线\n\n第三段(括号)!?"
    fast = render.plain_markdown_html(body, _figure)
    assert fast is not None and fast == _python_markdown(body)


def test_markdown_syntax_goes_to_python_markdown():
    for body in ("**粗体**", "- 列表", "[链接](http://x)", "a & b", "<b>x</b>", "行尾两个空格  \n下一行", "    代码"):
        assert render.plain_markdown_html(body, _figure) is None, body
