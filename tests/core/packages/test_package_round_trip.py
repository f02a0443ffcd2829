"""A package made on one machine is read back and materialized as the same articles, photos,
captions and bodies (SQLite and PostgreSQL as the source), and every ninjs document in it is
valid against the tests' own ninjs 3.3 schema."""

from __future__ import annotations

import json
import threading

import jsonschema
import pytest

from dayuan_desktop.core.packages.materialize import materialize
from dayuan_desktop.core.packages.ninjs import article_to_ninjs
from dayuan_desktop.core.packages.reading import read_package
from dayuan_desktop.core.packages.writing import PackageCancelled, articles_to_package, write_package
from tests.core.packages.packagekit import SCHEMA_PATH, entries, fill_newsroom, make_package


def _comparable(article) -> tuple:
    photos = tuple((link.photo.sha256, link.photo.caption, link.photo.photographer, link.photo.credit,
                    link.photo.copyright, link.is_lead, link.position) for link in article.photos)
    return (article.uuid, article.version, article.editable_values(), article.created_at, article.updated_at,
            article.updated_by, article.deleted_at, photos)


def test_round_trip_keeps_articles_photos_captions_and_bodies(store, tmp_path):
    fill_newsroom(store)
    before = sorted(map(_comparable, store.all_articles(include_trashed=True)))
    package = read_package(make_package(store, tmp_path / "out.zip"), tmp_path)
    copy = materialize(package, tmp_path / "copy.sqlite3")
    after = sorted(map(_comparable, copy.all_articles(include_trashed=True)))
    assert after == before
    draft = next(a for a in copy.all_articles() if a.title == "县城来稿")
    assert draft.number is None and draft.version == 2 and draft.lead_photo.photo.caption.startswith("图为")
    # The photo bytes are the originals, and the copy's search finds the text and the captions.
    assert copy.photos.photo_bytes(draft.lead_photo.photo.sha256) == store.photos.photo_bytes(draft.lead_photo.photo.sha256)
    assert {r.title for r in copy.search("卡口查验")} == {"党旗飘扬筑起疫情防控“钢铁长城”", "县城来稿"}
    copy.db.dispose()


def test_each_photo_is_in_the_package_once_and_every_file_is_in_the_manifest(store, tmp_path):
    ids = fill_newsroom(store)
    files = entries(make_package(store, tmp_path / "out.zip"))
    photos = sorted(name for name in files if name.startswith("photos/"))
    assert photos == sorted([f"photos/{ids['shared']}.jpg", f"photos/{ids['graphic']}.png"])
    manifest = json.loads(files["manifest.json"])
    assert manifest["formatVersion"] == 1 and manifest["created"].endswith("Z")
    assert {item["path"] for item in manifest["files"]} == set(files) - {"manifest.json"}
    assert {a["uuid"] for a in manifest["articles"]} == {ids["published"], ids["draft"], ids["trashed"]}
    markdown = files[f"articles/{ids['published']}.md"].decode()
    assert "title: 党旗飘扬筑起疫情防控“钢铁长城”" in markdown and f"../photos/{ids['shared']}.jpg" in markdown


def test_every_ninjs_document_validates_against_the_tests_schema(store, tmp_path):
    ids = fill_newsroom(store)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    files = entries(make_package(store, tmp_path / "out.zip"))
    documents = {name: json.loads(data) for name, data in files.items() if name.startswith("articles/")
                 and name.endswith(".json")}
    assert len(documents) == 3
    for name, document in documents.items():
        problems = [error.message for error in validator.iter_errors(document)]
        assert problems == [], name
    published = documents[f"articles/{ids['published']}.json"]
    assert published["uri"] == f"urn:uuid:{ids['published']}" and published["version"] == "1"
    assert published["headlines"] == [{"role": "main", "value": "党旗飘扬筑起疫情防控“钢铁长城”"},
                                      {"role": "subtitle", "value": "平城区在行动"}]
    html, markdown = published["bodies"]
    assert html["contentType"] == "text/html" and '<p class="caption">' in html["value"]
    assert f'src="photos/{ids["shared"]}.jpg"' in html["value"] and html["charCount"] == markdown["charCount"] > 10
    assert published["by"] == "网络编辑" and published["located"] == "大同" and published["pubStatus"] == "usable"
    assert {"name": "防控", "rel": "tag"} in published["subjects"]
    [photo] = published["associations"]
    assert photo["type"] == "picture" and photo["by"] == "马向英" and photo["rel"] == "lead"
    assert photo["descriptions"] == [{"role": "caption", "value": "图为防控人员在卡口查验车辆。"}]
    assert photo["renditions"][0]["contentType"] == "image/jpeg" and photo["renditions"][0]["width"] == 1200


def test_the_tests_schema_refuses_what_ninjs_33_refuses(store):
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"headlines": [{"value": "no uri"}]})
    assert not validator.is_valid({"uri": "urn:x", "guid": "ninjs 1.x had this"})
    assert not validator.is_valid({"uri": "urn:x", "bodies": [{"value": "x", "charCount": "12"}]})
    assert not validator.is_valid({"uri": "urn:x", "associations": [{"uri": "urn:y"}]})  # an association needs a name
    assert validator.is_valid({"uri": "urn:x"})


def test_since_and_chosen_articles_narrow_the_package(store, tmp_path):
    ids = fill_newsroom(store)
    draft = store.get_article(ids["draft"])
    # The draft was saved after the published article; the trashed one was moved to the trash after both.
    assert [a.uuid for a in articles_to_package(store, since=draft.updated_at)] == [ids["draft"], ids["trashed"]]
    chosen = articles_to_package(store, articles=[store.find_article("4709")])
    write_package(store, tmp_path / "one.zip", chosen)
    names = entries(tmp_path / "one.zip")
    assert f"articles/{ids['published']}.json" in names and f"articles/{ids['draft']}.json" not in names
    assert f"photos/{ids['graphic']}.png" not in names


def test_a_cancelled_package_leaves_the_old_file_and_no_partial_one(store, tmp_path):
    fill_newsroom(store)
    target = tmp_path / "out.zip"
    target.write_bytes(b"the previous package")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(PackageCancelled):
        write_package(store, target, articles_to_package(store), cancel=cancel)
    assert target.read_bytes() == b"the previous package"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".zip") or ".partial" in p.name) == ["out.zip"]


def test_ninjs_of_an_article_without_photos_or_channel_is_minimal_but_complete(store):
    article = store.create_article(title="短讯", body="一句话。")
    document = article_to_ninjs(article, "<p>一句话。</p>", {})
    assert "associations" not in document and "subjects" not in document
    assert {"role": "dayuan:status", "value": "draft"} in document["altIds"]
