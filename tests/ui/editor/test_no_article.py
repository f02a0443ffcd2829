"""With no article open the editor shows empty fields, not a greyed 2000-01-01 08:00:00."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dayuan_desktop.ui import i18n
from dayuan_desktop.ui.editor.article_editor import ArticleEditor

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def editor(qtbot, qapp):
    assert i18n.install_translator(qapp, "zh_CN") == "zh_CN"
    widget = ArticleEditor(ZONE)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    i18n.install_translator(qapp, "en")


def test_a_fresh_editor_shows_no_time(editor):
    form = editor.form
    assert form.published_at.text() == "未设定"
    assert "2000" not in form.published_at.text()
    assert form.values()["published_at"] is None


def test_closing_an_article_empties_the_form(editor, sample_store):
    article = sample_store.find_article("4709")
    editor.set_article(article)
    assert editor.form.published_at.text().startswith("2022-12-13")
    editor.clear()
    form = editor.form
    assert (form.title.text(), form.number.text(), form.published_at.text()) == ("", "", "未设定")
    assert not editor.isEnabled()


def test_an_article_without_time_says_not_set_and_ticking_starts_from_now(editor, ui_store):
    draft = ui_store.create_article(title="草稿", body="正文。\n")
    editor.set_article(ui_store.get_article(draft.id))
    form = editor.form
    assert form.published_at.text() == "未设定" and not form.published_at.isEnabled()
    form.has_time.setChecked(True)
    chosen = form.values()["published_at"]
    assert chosen is not None and chosen.astimezone(ZONE).date() >= datetime(2026, 1, 1).date()  # today, not 1970
    assert form.published_at.text().startswith(datetime.now(ZONE).strftime("%Y-%m-%d"))
