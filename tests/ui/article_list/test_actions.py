"""The list's actions on a real store: a duplicate is a new draft with the original's photos and lead."""

from __future__ import annotations

from dayuan_desktop.ui.article_list.actions import ArticleActions


def test_a_duplicate_is_a_draft_with_the_photos_and_the_lead_of_its_original(qtbot, ui_store):
    photos = [ui_store.photos.add_photo(bytes([n]) * 40, format="JPEG", width=1200, height=800) for n in range(1, 4)]
    original = ui_store.create_article(title="原稿", body="正文。", status="draft")
    ui_store.photos.set_article_photos(original.id, [p.sha256 for p in photos], lead=photos[1].sha256)
    actions = ArticleActions(ui_store)
    with qtbot.waitSignal(actions.changed, timeout=10_000) as blocker:
        actions.duplicate([original.id], "（副本）")
    copy = ui_store.get_article(blocker.args[0])
    assert copy.id != original.id and copy.title == "原稿（副本）" and copy.status == "draft"
    assert [link.photo.sha256 for link in copy.photos] == [p.sha256 for p in photos]
    assert copy.lead_photo.photo.sha256 == photos[1].sha256
