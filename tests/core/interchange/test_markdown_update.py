"""export-md, edit in another editor, import again: update, merge, or a conflict copy (nothing lost)."""

from __future__ import annotations

from pathlib import Path

import yaml

from dayuan_desktop.core.article_list import ArticleQuery
from dayuan_desktop.core.interchange.markdown_files import export_markdown, import_markdown_file
from tests.helpers import jpeg_bytes

BODY = "第一段：县城的早晨。\n\n第二段：集市开张。\n\n第三段：记者手记。\n"


def exported(store, article, folder: Path) -> Path:
    [path] = export_markdown(store, folder, articles=[store.get_article(article.id)])
    return path


def replace_in(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_export_writes_the_version(store, tmp_path):
    article = store.create_article(title="稿件", body=BODY)
    text = exported(store, article, tmp_path).read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["version"] == 1 and front["uuid"] == article.uuid


def test_unchanged_article_is_updated_as_a_new_revision(store, tmp_path):
    photo = store.photos.add_photo(jpeg_bytes(), format="JPEG", width=1200, height=800, caption="集市")
    article = store.create_article(title="稿件", body=BODY + f"\n![集市](photo:{photo.sha256})\n")
    store.photos.set_article_photos(article.id, [photo.sha256])
    path = exported(store, article, tmp_path)
    replace_in(path, "集市开张", "集市开张，人山人海")
    outcome = import_markdown_file(store, path)
    assert outcome.ok, outcome.error
    after = store.get_article(article.id)
    assert "人山人海" in after.body and after.version == 2 and store.count_articles() == 1
    assert [p.photo.sha256 for p in after.photos] == [photo.sha256]
    assert store.list_revisions(article.id)[0].kind == "import"
    # The same file again: its version is now behind, but nothing differs: nothing is written.
    again = import_markdown_file(store, path)
    assert again.ok and again.warnings == ("already up to date",)
    assert store.count_articles() == 1 and store.get_article(article.id).version == 2


def test_changed_meanwhile_in_other_paragraphs_merges(store, tmp_path):
    article = store.create_article(title="稿件", body=BODY)
    path = exported(store, article, tmp_path)
    store.update_article(article.id, {"body": BODY.replace("记者手记", "编辑按语")}, expected_version=1)
    replace_in(path, "县城的早晨", "县城的清晨")
    outcome = import_markdown_file(store, path)
    assert outcome.ok and any("merged" in w for w in outcome.warnings)
    body = store.get_article(article.id).body
    assert "县城的清晨" in body and "编辑按语" in body and store.count_articles() == 1


def test_same_paragraph_changed_meanwhile_becomes_a_conflict_copy(store, tmp_path):
    article = store.create_article(title="稿件", body=BODY, number=4709, status="published")
    path = exported(store, article, tmp_path)
    store.update_article(article.id, {"body": BODY.replace("集市开张", "编辑部的改法")}, expected_version=1)
    replace_in(path, "集市开张", "外部编辑器的改法")
    outcome = import_markdown_file(store, path)
    assert outcome.ok and "conflict copy" in outcome.warnings[-1]
    assert "编辑部的改法" in store.get_article(article.id).body  # the stored article stays
    copy = outcome.article
    assert copy.uuid != article.uuid and copy.number is None and copy.status == "draft"
    assert "外部编辑器的改法" in copy.body
    assert [a.uuid for a in store.list_articles(ArticleQuery(conflicts=True)).items] == [copy.uuid]
    assert {a.uuid for a in store.search("外部编辑器的改法")} == {copy.uuid}


def test_bad_version_is_a_one_line_error_and_changes_nothing(store, tmp_path):
    article = store.create_article(title="稿件", body=BODY)
    path = exported(store, article, tmp_path)
    replace_in(path, "version: 1", "version: -3")
    replace_in(path, "集市开张", "不该进库")
    outcome = import_markdown_file(store, path)
    assert not outcome.ok and "'version'" in outcome.error and "\n" not in outcome.error
    assert store.get_article(article.id).version == 1 and not store.search("不该进库")
