"""The paragraph three-way merge on its own: what merges, what conflicts."""

from __future__ import annotations

from dayuan_desktop.core.sync.merge import merge_body, merge_content

BASE = "第一段。\n\n第二段。\n\n第三段。\n"


def test_edits_to_different_paragraphs_merge():
    assert merge_body(BASE, "第一段改。\n\n第二段。\n\n第三段。\n", "第一段。\n\n第二段。\n\n第三段改。\n") == (
        "第一段改。\n\n第二段。\n\n第三段改。\n"
    )


def test_the_same_paragraph_changed_differently_conflicts():
    assert merge_body(BASE, "第一段甲。\n\n第二段。\n\n第三段。\n", "第一段乙。\n\n第二段。\n\n第三段。\n") is None


def test_the_same_change_on_both_sides_is_no_conflict():
    same = "第一段。\n\n第二段改。\n\n第三段。\n"
    assert merge_body(BASE, same, same) == same


def test_paragraphs_added_at_different_places_both_stay():
    merged = merge_body(BASE, "新开头。\n\n" + BASE, BASE + "\n新结尾。\n")
    assert merged == "新开头。\n\n第一段。\n\n第二段。\n\n第三段。\n\n新结尾。\n"


def test_deleted_paragraph_and_edit_elsewhere_merge():
    assert merge_body(BASE, "第一段。\n\n第三段。\n", "第一段。\n\n第二段。\n\n第三段改。\n") == "第一段。\n\n第三段改。\n"


def test_fields_merge_one_by_one_and_the_same_field_conflicts():
    base = {"title": "题", "summary": "摘", "body": BASE}
    merged = merge_content(base, {**base, "title": "新题"}, {**base, "summary": "新摘"})
    assert merged.content["title"] == "新题" and merged.content["summary"] == "新摘"
    clash = merge_content(base, {**base, "title": "甲"}, {**base, "title": "乙"})
    assert clash.content is None and clash.conflicting == ("title",)
