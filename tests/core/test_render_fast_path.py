"""The plain-article fast path must give exactly python-markdown's HTML, or step aside."""

from __future__ import annotations

import re

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


PLAIN = "平城区疫情防控党员干部，。、“”！？：；（）,.!?:;()\"' abcXYZ0123456789\u3000\u00a0\u2028\x85\f"
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


# Issue 15, item 11: a random differential test over Chinese, Latin, digits, punctuation and Unicode
# spaces found 2,028 of 10,348 fast-path bodies rendered differently (a paragraph's leading U+3000,
# NBSP, U+1680, form feed, U+2028/2029, U+0085 kept by the fast path, dropped by python-markdown).
UNICODE_SPACES = (
    "\u3000\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u0085\f\v\t \u202f\u205f\x1c\x1d\x1e\x1f"
)
WORDS = "平城区疫情防控党员干部abcXYZ0123456789"
PUNCTUATION = ",.!?:;()\"'，。、“”！？：；（）《》—…"
MARKERS = "#*_[]<>&|-+=>`\\~!\r"
# Weighted so that about four bodies in ten are plain enough for the fast path (~1,200 of 3,000);
# one st.text keeps 3,000 examples at a few seconds (nested list strategies took ~20 s).
BODY_CHARACTERS = list(WORDS * 3 + PUNCTUATION + UNICODE_SPACES * 3 + MARKERS + "\n" * 12 + " " * 4)


@settings(max_examples=3000, deadline=None)
@given(st.text(st.sampled_from(BODY_CHARACTERS), max_size=80))
def test_fast_path_equals_python_markdown_over_unicode_spaces_and_punctuation(body):
    fast = render.plain_markdown_html(body, _figure)
    if fast is not None:
        assert fast == _python_markdown(body)


def test_leading_indentation_is_one_rule_on_both_paths():
    # Word and WPS indent paragraphs with two ideographic spaces; the portal's CSS indents instead.
    plain = "\u3000\u3000第一段。\n\n\u00a0第二段。\n\n\u2028\f第三段。"
    with_bold = plain + "\n\n**粗体**一词。"
    assert render.plain_markdown_html(plain, _figure) is not None  # the fast path takes it
    page_plain = render.render_body(plain, {}, lambda photo: "")
    page_bold = render.render_body(with_bold, {}, lambda photo: "")
    assert page_plain == "<p>第一段。</p>\n<p>第二段。</p>\n<p>第三段。</p>"
    assert page_bold.startswith(page_plain + "\n")


def test_a_typical_news_article_takes_the_fast_path():
    body = f"{PHOTO}\n\n第一段，平城区。\n第二行。\n\n## 党员干部集结下沉防疫一线\n\n第三段(括号)!?"
    fast = render.plain_markdown_html(body, _figure)
    assert fast is not None and fast == _python_markdown(body)


def test_markdown_syntax_goes_to_python_markdown():
    for body in ("**粗体**", "- 列表", "[链接](http://x)", "a & b", "<b>x</b>", "行尾两个空格  \n下一行", "    代码"):
        assert render.plain_markdown_html(body, _figure) is None, body


# Issue 20: a body the fast path takes skips nh3 when nh3 would return its HTML unchanged. The
# photo captions and web names vary too: escaped captions (entities) must go through nh3.
CAPTION = st.text(st.sampled_from(list(WORDS + PUNCTUATION + "<>&'\"\u00a0 \t" + MARKERS)), max_size=12)


def _photo(caption: str, web_name: str):
    from dayuan_desktop.core.records import PhotoRecord

    return PhotoRecord(1, "ab" * 32, "JPEG", 800, 533, 40_000, caption, "马向英", "", "", "a.jpg", None, web_name)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(BODY_CHARACTERS + ["\n\n" + PHOTO + "\n\n"] * 6 + ["\n\n# 标题\n\n", "\n\n###### 小\n\n"]), max_size=80).map("".join),
       CAPTION, st.sampled_from(["photo", "a-b_c.1", "x"]))
def test_a_fast_path_body_is_sanitised_exactly_as_nh3_would(body, caption, web_name):
    photo = _photo(caption, web_name)
    photos = {photo.sha256: photo}

    def src(p):
        return f"../../uploads/{p.web_name}-1200.jpg"

    def figure(match):
        return render.photo_figure_html(photo, match.group("alt"), src(photo))

    fast = render.plain_markdown_html(body, figure)
    page = render.render_body(body, photos, src)
    if fast is not None:
        unbounded = render._CJK_SOFT_BREAK.sub("", fast)
        assert page == (render.sanitize_html(unbounded) if "<" in body else render._allowlisted(unbounded))


def test_a_caption_with_quotes_and_entities_reads_as_nh3_writes_it():
    photo = _photo("游客'打卡'<小心>&“点赞”", "photo")
    page = render.render_body(f"第一段。\n\n{PHOTO}\n\n第二段。", {photo.sha256: photo}, lambda p: "../../a.jpg")
    assert "游客'打卡'&lt;小心&gt;&amp;“点赞”。马向英摄</p>" in page


# Issue 20: two regexes rewritten for speed must match exactly where the plain forms did.
_CJK_OLD = re.compile(rf"(?<=[{render._CJK}])\n(?=[{render._CJK}])")
_RISKY_OLD = re.compile(r"^(?:[ \t>+=-]|\d+[.)])|[ \t]$", re.MULTILINE)


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from(list("\n中a。 \t\u3000>+=-1.)9#")), max_size=12))
def test_the_faster_soft_break_and_risky_line_checks_agree_with_the_plain_regexes(text):
    assert render._CJK_SOFT_BREAK.sub("", text) == _CJK_OLD.sub("", text)
    assert render._risky_lines(text) == bool(_RISKY_OLD.search(text))
