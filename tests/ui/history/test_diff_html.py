"""The comparison's HTML: text escaped, long unchanged runs folded, marks coloured per side."""

from __future__ import annotations

from dayuan_desktop.core.revision_compare import compare_versions
from dayuan_desktop.ui.history.diff_html import MARK_COLOURS, Labels, comparison_html

LABELS = Labels({"title": "标题"}, "正文", "%1 段未改动", "两个版本相同。", "整段标出。", "另有 %1 段未显示")


def test_unchanged_paragraphs_far_from_a_change_fold_into_one_row():
    paras = [f"第{i}段，没有改动。" for i in range(20)]
    changed = paras[:10] + ["第10段，改动了。"] + paras[11:]
    html = comparison_html(compare_versions({"body": "\n".join(paras)}, {"body": "\n".join(changed)}), LABELS)
    assert html.count("8 段未改动") == 1 and html.count("7 段未改动") == 1  # 2 paragraphs of context each side
    assert "第9段" in html and "第7段" not in html
    inserted, deleted = MARK_COLOURS[("new", "inserted")], MARK_COLOURS[("old", "deleted")]
    assert f'<span style="background: {inserted};">了</span>' in html
    assert f'<span style="background: {deleted};">没有</span>' in html


def test_markup_in_an_article_is_shown_escaped_never_as_html():
    html = comparison_html(compare_versions({"title": "<img src=x onerror=alert(1)>", "body": ""},
                                            {"title": "<b>新</b>", "body": ""}), LABELS)
    assert "<img" not in html and "<b>" not in html and "&lt;" in html and "onerror" in html


def test_identical_versions_say_so():
    assert "两个版本相同。" in comparison_html(compare_versions({"body": "一"}, {"body": "一"}), LABELS)


def test_a_comparison_too_long_to_draw_is_cut_and_says_how_much_is_left():
    paras = [f"第{i}段：" + "太原晋中大同" * 30 for i in range(400)]
    edited = [p + "改" for p in paras]
    html = comparison_html(compare_versions({"body": "\n".join(paras)}, {"body": "\n".join(edited)}), LABELS)
    assert "第0段" in html and "第399段" not in html
    [left] = [int(part.split(" 段")[0]) for part in html.split("另有 ")[1:]]
    assert 300 < left < 400 and len(html) < 200_000
