"""Choosing 已发布 in the editor runs the pre-publish checks: blocking problems keep the article
unpublished, warnings can be accepted (仍然发布) or not, a clean article is published at once."""

from __future__ import annotations

import pytest

from tests.ui.conftest import type_text

CHANNEL = "gsyl/lzgs"  # the sample's channel


@pytest.fixture
def new_draft(qtbot, open_window):
    """The window with a new, empty draft open."""
    window = open_window
    first = window.editor.article_id
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.editor.article_id not in (None, first), timeout=10_000)
    return window


def choose_status(window, status: str) -> None:
    form = window.editor.form
    form.status.setCurrentIndex(form.status.findData(status))


def fill(window, *, title: str = "新稿件标题", body: str = "新稿件的正文。", summary: str = "") -> None:
    form = window.editor.form
    type_text(form.title, title)
    form.channel.setCurrentIndex(form.channel.findData(CHANNEL))
    type_text(window.editor.body.text_edit(), body)
    if summary:
        type_text(form.summary, summary)


def stored(window):
    assert window.session.flush()
    return window.store.get_article(window.editor.article_id)


def findings_shown(dialog) -> list[str]:
    return [dialog.list.item(row).text() for row in range(dialog.list.count())]


def test_blocking_problems_keep_the_article_unpublished_and_say_which(qtbot, new_draft):
    window = new_draft
    choose_status(window, "published")
    dialog = window.publish_guard.dialog
    assert dialog is not None and dialog.isVisible() and dialog.blocked
    shown = findings_shown(dialog)
    assert [line for line in shown if line.startswith("⛔")] == ["⛔ 没有标题", "⛔ 没有选择栏目：文章没有可发布的位置",
                                                              "⛔ 正文为空"]
    assert dialog.publish_button is None  # nothing to accept past
    assert window.editor.form.status.currentData() == "draft"  # the form never said published meanwhile
    with qtbot.waitSignal(window.publish_guard.refused):
        dialog.back_button.click()
    assert window.editor.form.status.currentData() == "draft"
    record = stored(window)
    assert record.status == "draft" and record.number is None


def test_warnings_can_be_accepted_and_the_article_is_published(qtbot, new_draft):
    window = new_draft
    fill(window)
    choose_status(window, "published")
    dialog = window.publish_guard.dialog
    assert dialog is not None and not dialog.blocked
    assert findings_shown(dialog) == ["⚠ 没有摘要：列表页和搜索结果将不显示内容提要"]
    assert dialog.back_button.isDefault()  # Enter does not publish by accident
    with qtbot.waitSignal(window.publish_guard.published):
        dialog.publish_button.click()
    assert window.editor.form.status.currentData() == "published"
    record = stored(window)
    assert record.status == "published" and record.number is not None and record.title == "新稿件标题"


def test_cancelling_at_the_warnings_leaves_the_status_as_it_was(qtbot, new_draft):
    window = new_draft
    fill(window)
    choose_status(window, "review")
    choose_status(window, "published")
    dialog = window.publish_guard.dialog
    assert dialog is not None
    dialog.back_button.click()
    assert window.editor.form.status.currentData() == "review"  # what the form showed before
    assert stored(window).status == "review"


def test_a_clean_article_is_published_without_a_question(qtbot, new_draft):
    window = new_draft
    fill(window, summary="一句话提要。")
    with qtbot.waitSignal(window.publish_guard.published):
        choose_status(window, "published")
    assert window.publish_guard.dialog is None
    assert stored(window).status == "published"


def test_opening_a_published_article_runs_no_checks(qtbot, open_window):
    window = open_window  # the sample, published
    assert window.editor.form.status.currentData() == "published"
    assert window.publish_guard.dialog is None


def test_photo_warnings_include_gps_in_the_original(qtbot, new_draft, tmp_path):
    from tests.ui.photos.photofiles import captioned_jpeg
    from tests.ui.photos.test_panel import wait_import

    window = new_draft
    fill(window, summary="一句话提要。")
    panel = window.photo_area
    panel.import_files([captioned_jpeg(tmp_path / "gps.jpg", "晋祠圣母殿", "王芳", width=1000, height=700, gps=True)])
    wait_import(qtbot, panel)
    qtbot.waitUntil(lambda: panel.gps_photos() == set(panel.model.shas()), timeout=10_000)
    choose_status(window, "published")
    dialog = window.publish_guard.dialog
    assert dialog is not None and not dialog.blocked
    assert findings_shown(dialog) == [
        "⚠ 第 1 张图片（晋祠圣母殿）宽 1000 像素，页面需要 1200 像素，显示时会被放大而发虚",
        "⚠ 第 1 张图片（晋祠圣母殿）的原图含 GPS 位置（发布的图片中会去掉，原图仍保留在图片库中）",
    ]
    dialog.back_button.click()
    assert stored(window).status == "draft"
