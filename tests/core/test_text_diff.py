"""The body comparison: paragraphs aligned, Chinese edits marked by character, huge input bounded."""

from __future__ import annotations

import random

from dayuan_desktop.core.text_diff import Mark, RowKind, compare_strings, compare_texts


def _side(segments) -> str:
    return "".join(s.text for s in segments)


def _marked(segments, mark) -> list[str]:
    return [s.text for s in segments if s.mark == mark]


def test_chinese_insertion_inside_a_paragraph_marks_only_the_new_characters():
    diff = compare_texts("太原今天下雨。", "太原今天下大雨。")
    [row] = diff.rows
    assert row.kind == RowKind.CHANGED
    assert _marked(row.new, Mark.INSERTED) == ["大"]
    assert _side(row.old) == "太原今天下雨。" and _side(row.new) == "太原今天下大雨。"
    assert diff.inserted_chars == 1 and diff.deleted_chars == 0


def test_chinese_deletion_and_replacement_are_marked_by_character():
    diff = compare_texts("记者张三报道：晋祠游客很多。", "记者李四报道：晋祠游客多。")
    [row] = diff.rows
    assert _marked(row.old, Mark.CHANGED) == ["张三"] and _marked(row.new, Mark.CHANGED) == ["李四"]
    assert _marked(row.old, Mark.DELETED) == ["很"]
    assert _marked(row.new, Mark.INSERTED) == []


def test_added_removed_and_untouched_paragraphs_are_aligned():
    old = "第一段，不变。\n\n第二段将被删除，完全不同的内容。\n\n第三段，也不变。"
    new = "第一段，不变。\n\n第三段，也不变。\n\n新加的第四段。"
    kinds = [row.kind for row in compare_texts(old, new).rows]
    assert kinds == [RowKind.EQUAL, RowKind.DELETED, RowKind.EQUAL, RowKind.INSERTED]


def test_a_moved_paragraph_shows_as_removed_in_one_place_and_added_in_another():
    a, b, c = "甲段：太原的早晨。", "乙段：晋中的午后。", "丙段：大同的夜晚。"
    diff = compare_texts("\n".join([a, b, c]), "\n".join([c, a, b]))
    moved = [(row.kind, _side(row.old or row.new)) for row in diff.rows if row.kind != RowKind.EQUAL]
    assert sorted(moved) == sorted([(RowKind.INSERTED, c), (RowKind.DELETED, c)])


def test_an_inserted_paragraph_before_an_edited_one_is_not_taken_for_it():
    diff = compare_texts("开头。\n晋祠公园今天游客众多，秩序井然。", "开头。\n突发：新段落。\n晋祠公园今天游客很多，秩序井然。")
    assert [row.kind for row in diff.rows] == [RowKind.EQUAL, RowKind.INSERTED, RowKind.CHANGED]
    assert _marked(diff.rows[2].new, Mark.CHANGED) == ["很"]


def test_identical_texts_have_no_changes_and_blank_lines_do_not_count():
    diff = compare_texts("一段。\n\n二段。", "一段。\n\n\n\n二段。\n")
    assert not diff.changed and diff.inserted_chars == diff.deleted_chars == 0


def test_short_field_comparison():
    old, new, bounded = compare_strings("太原新闻", "晋中新闻")
    assert _marked(old, Mark.CHANGED) == ["太原"] and _marked(new, Mark.CHANGED) == ["晋中"] and not bounded


def test_hostile_text_is_compared_as_text():
    diff = compare_texts("<script>alert(1)</script>", "<script>alert(2)</script>")
    assert _marked(diff.rows[0].new, Mark.CHANGED) == ["2"]


def _article(rng: random.Random, chars: int) -> list[str]:
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    paras, total = [], 0
    while total < chars:
        para = "".join(rng.choice(alphabet) for _ in range(rng.randrange(80, 400)))
        paras.append(para)
        total += len(para)
    return paras


def test_a_200000_character_article_edited_everywhere_is_compared_whole():
    rng = random.Random(19)
    old = _article(rng, 200_000)
    new = [p[:10] + "改" + p[11:] for p in old]
    diff = compare_texts("\n".join(old), "\n".join(new))
    assert len(diff.rows) == len(old)
    assert all(row.kind == RowKind.CHANGED for row in diff.rows)
    assert ["\n".join(_side(r.new) for r in diff.rows)] == ["\n".join(new)]  # nothing lost or doubled


def test_one_huge_paragraph_rewritten_falls_back_to_a_whole_paragraph_mark():
    rng = random.Random(6)
    old, new = "".join(_article(rng, 200_000)), "".join(_article(rng, 200_000))
    old, new = "标题不变" + old + "结尾不变", "标题不变" + new + "结尾不变"
    diff = compare_texts(old, new)
    assert diff.bounded
    [row] = diff.rows
    assert _side(row.old) == old and _side(row.new) == new
    assert row.old[0].text.startswith("标题不变") and row.old[0].mark == Mark.EQUAL
    assert [s.mark for s in row.new] == [Mark.EQUAL, Mark.CHANGED, Mark.EQUAL]


def test_the_total_budget_marks_the_remaining_paragraphs_whole():
    old = ["甲乙丙丁" * 50 + "太原市中心广场" + str(i) for i in range(10)]
    new = ["甲乙丙丁" * 50 + "太谷县中心公园" + str(i) for i in range(10)]
    exact = compare_texts("\n".join(old), "\n".join(new))
    assert not exact.bounded and _marked(exact.rows[3].new, Mark.CHANGED) == ["谷县", "公园"]
    diff = compare_texts("\n".join(old), "\n".join(new), total_cells=1)
    assert diff.bounded and all(row.kind == RowKind.CHANGED for row in diff.rows)
    # Common starts and ends stay exact: only the changed middle is marked whole.
    assert _marked(diff.rows[3].new, Mark.CHANGED) == ["谷县中心公园"]


def test_a_lone_kept_character_between_two_replacements_joins_them():
    old, new, _ = compare_strings("甲乙丙丁戊", "甲子丙寅戊")
    assert _marked(old, Mark.CHANGED) == ["乙丙丁"] and _marked(new, Mark.CHANGED) == ["子丙寅"]
