"""Markdown with YAML front matter: import (with photos), export-md, round trip, bad input."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.interchange.markdown_files import (
    export_markdown,
    import_markdown_file,
    import_markdown_files,
)
from dayuan_desktop.core.models import Article, Photo, Revision
from dayuan_desktop.core.store import Store
from tests.helpers import jpeg_bytes, png_bytes, write_markdown

PHOTO_BODY = (
    "亮身份、扬旗帜、树形象,连日来,市区机关广大党员干部奋战在一线。\n\n"
    '![图为防控人员在道路卡口逐一查验过往车辆。](photos/checkpoint.jpg "马向英")\n\n'
    "## 党员干部集结下沉防疫一线\n\n平城区是我市疫情防控的“桥头堡”。\n"
)


def _counts(store: Store) -> tuple[int, int, int]:
    with store.db.session() as session:
        return (
            session.scalar(select(func.count(Article.id))),
            session.scalar(select(func.count(Photo.id))),
            session.scalar(select(func.count(Revision.id))),
        )


@pytest.fixture
def article_with_photo(tmp_path):
    folder = tmp_path / "in"
    (folder / "photos").mkdir(parents=True)
    image = jpeg_bytes()
    (folder / "photos" / "checkpoint.jpg").write_bytes(image)
    return write_markdown(folder, body=PHOTO_BODY), image


def test_import_stores_article_photo_and_photo_reference(store, article_with_photo):
    path, image = article_with_photo
    outcome = import_markdown_file(store, path, create_channels=True)
    assert outcome.ok, outcome.error
    article = outcome.article
    sha = hashlib.sha256(image).hexdigest()
    assert article.number == 4709
    assert article.channel_path == "gsyl/lzgs"
    assert article.tags == ("防控", "疫情", "党员干部")
    assert article.author == "网络编辑" and article.source == "大同"
    assert article.status == "published"
    # 14:46:28 in Beijing is 06:46:28 UTC
    assert article.published_at == datetime(2022, 12, 13, 6, 46, 28, tzinfo=UTC)
    assert f"![图为防控人员在道路卡口逐一查验过往车辆。](photo:{sha})" in article.body
    assert "photos/checkpoint.jpg" not in article.body
    [link] = article.photos
    assert link.photo.sha256 == sha
    assert link.photo.caption == "图为防控人员在道路卡口逐一查验过往车辆。"
    assert link.photo.photographer == "马向英"
    assert (link.photo.width, link.photo.height, link.photo.format) == (1200, 800, "JPEG")
    assert store.photos.photo_bytes(sha) == image  # the original bytes, unchanged
    # found by a two-character word of the body and by the photographer's name
    assert [a.id for a in store.search("扬旗")] == [article.id]
    assert [a.id for a in store.search("马向英")] == [article.id]


def test_same_photo_in_two_articles_is_stored_once(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(jpeg_bytes())
    (folder / "b.png").write_bytes(png_bytes())
    body = "![甲](a.jpg)\n\n![乙](b.png \"某某\")\n"
    one = write_markdown(folder, "one.md", front="title: 一\nnumber: 1\n", body=body)
    two = write_markdown(folder, "two.md", front="title: 二\nnumber: 2\n", body="![甲](a.jpg)\n")
    outcomes = import_markdown_files(store, [one, two])
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    assert _counts(store)[1] == 2
    assert [p.photo.format for p in outcomes[0].article.photos] == ["JPEG", "PNG"]
    assert outcomes[0].article.photos[0].is_lead


def test_export_md_then_import_gives_an_equal_article(store, article_with_photo, tmp_path):
    path, _image = article_with_photo
    original = import_markdown_file(store, path, create_channels=True).article
    out = tmp_path / "out"
    [written] = export_markdown(store, out)
    assert written.name == "4709.md"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 党旗飘扬筑起疫情防控“钢铁长城”\n")
    assert "photo:" not in text  # photos point at files beside the Markdown again
    assert len(list((out / "photos").iterdir())) == 1

    fresh_db = open_database(tmp_path / "other.sqlite3")
    try:
        fresh = Store(fresh_db, "someone-else")
        fresh.ensure_search_index()
        again = import_markdown_file(fresh, written, create_channels=True)
        assert again.ok, again.error
        copy = again.article
        assert copy.editable_values() == original.editable_values()
        assert copy.uuid == original.uuid  # identity travels with the file
        assert [(p.photo.sha256, p.photo.caption, p.photo.photographer) for p in copy.photos] == [
            (p.photo.sha256, p.photo.caption, p.photo.photographer) for p in original.photos
        ]
        # exporting the copy writes the same bytes
        [rewritten] = export_markdown(fresh, tmp_path / "out2")
        assert rewritten.read_bytes() == written.read_bytes()
    finally:
        fresh_db.dispose()


def test_front_matter_accepts_hugo_style_values(store, tmp_path):
    path = write_markdown(
        tmp_path,
        front=(
            "title: 标题\ndate: 2022-12-13T14:46:28+08:00\ntags: 防控, 疫情\nnumber: '12'\n"
            "draft: false\nslug: biaoti\n"
        ),
    )
    outcome = import_markdown_file(store, path)
    assert outcome.ok, outcome.error
    assert outcome.article.published_at == datetime(2022, 12, 13, 6, 46, 28, tzinfo=UTC)
    assert outcome.article.tags == ("防控", "疫情")
    assert outcome.article.number == 12
    assert any("draft" in w for w in outcome.warnings)


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: 标题\nnumber: abc\n", "number"),
        ("title: 标题\ntags: 5\n", "tags"),
        ("title: [1, 2]\n", "title"),
        ("title: 标题\nstatus: maybe\n", "status"),
        ("title: 标题\ndate: yesterday\n", "date"),
        ("title: 标题\ndate: [2022]\n", "date"),
        ("title: 标题\nchannel: ../../etc\n", "channel"),
        ("title: 标题\nsummary: {a: 1}\n", "summary"),
        ("- just\n- a list\n", "key: value"),
        ("title: [unclosed\n", "not valid YAML"),
        ("author: 没有标题\n", "title"),
    ],
)
def test_wrong_front_matter_is_refused_and_changes_nothing(store, tmp_path, front, expected):
    before = _counts(store)
    outcome = import_markdown_file(store, write_markdown(tmp_path, front=front))
    assert not outcome.ok
    assert expected in outcome.error
    assert str(tmp_path) in outcome.error  # the message names the file
    assert _counts(store) == before


def test_unknown_channel_lists_existing_and_create_channels_creates_it(store, tmp_path):
    store.create_channel("xwzx", "新闻中心")
    path = write_markdown(tmp_path, front="title: 标题\nchannel: gsyl/lzgs\n")
    refused = import_markdown_file(store, path)
    assert not refused.ok
    assert "gsyl/lzgs" in refused.error and "xwzx" in refused.error and "--create-channels" in refused.error
    assert _counts(store)[0] == 0
    created = import_markdown_file(store, path, create_channels=True)
    assert created.ok, created.error
    assert {c.path for c in store.list_channels()} == {"xwzx", "gsyl", "gsyl/lzgs"}


def test_duplicate_number_names_the_holder_and_keeps_the_first(store, tmp_path):
    first = import_markdown_file(store, write_markdown(tmp_path, "a.md", front="title: 第一篇\nnumber: 7\n"))
    assert first.ok
    second = import_markdown_file(store, write_markdown(tmp_path, "b.md", front="title: 第二篇\nnumber: 7\n"))
    assert not second.ok
    assert "number 7" in second.error and "第一篇" in second.error
    assert store.find_article("7").title == "第一篇"
    assert _counts(store)[0] == 1


def test_missing_image_fails_without_storing_anything(store, tmp_path):
    (tmp_path / "ok.jpg").write_bytes(jpeg_bytes())
    body = "![有](ok.jpg)\n\n![没有](gone.jpg \"某某\")\n"
    outcome = import_markdown_file(store, write_markdown(tmp_path, front="title: 标题\n", body=body))
    assert not outcome.ok
    assert "gone.jpg" in outcome.error and "line 3" in outcome.error
    assert _counts(store) == (0, 0, 0)  # not even the photo that was found


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is text, not a photo", "not an image"),
        (b"", "empty"),
    ],
)
def test_broken_image_is_refused(store, tmp_path, content, expected):
    (tmp_path / "bad.jpg").write_bytes(content)
    outcome = import_markdown_file(store, write_markdown(tmp_path, front="title: 标题\n", body="![坏](bad.jpg)\n"))
    assert not outcome.ok and expected in outcome.error
    assert _counts(store) == (0, 0, 0)


def test_truncated_jpeg_is_refused(store, tmp_path):
    (tmp_path / "cut.jpg").write_bytes(jpeg_bytes(2000, 1500, (10, 200, 30))[:5000])
    outcome = import_markdown_file(store, write_markdown(tmp_path, front="title: 标题\n", body="![断](cut.jpg)\n"))
    assert not outcome.ok and "damaged" in outcome.error
    assert _counts(store) == (0, 0, 0)


def test_non_utf8_file_is_refused_with_a_hint(store, tmp_path):
    path = tmp_path / "gbk.md"
    path.write_bytes("---\ntitle: 党旗飘扬\n---\n\n正文\n".encode("gbk"))
    outcome = import_markdown_file(store, path)
    assert not outcome.ok
    assert "not UTF-8" in outcome.error and "GB18030" in outcome.error
    assert _counts(store)[0] == 0


def test_empty_file_and_missing_front_matter_are_refused(store, tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    plain = tmp_path / "plain.md"
    plain.write_text("# 只有正文\n", encoding="utf-8")
    outcomes = import_markdown_files(store, [empty, plain, tmp_path / "nowhere.md"])
    assert [o.ok for o in outcomes] == [False, False, False]
    assert "empty" in outcomes[0].error
    assert "front matter" in outcomes[1].error
    assert "not found" in outcomes[2].error
    assert _counts(store)[0] == 0


def test_ten_megabyte_body_is_refused(store, tmp_path):
    body = ("疫情防控" * 900_000)[: 3_500_000]  # ~10 MB of UTF-8
    path = write_markdown(tmp_path, front="title: 太长\n", body=body)
    assert path.stat().st_size > 10_000_000
    outcome = import_markdown_file(store, path)
    assert not outcome.ok
    assert "body" in outcome.error and "limit" in outcome.error
    assert _counts(store)[0] == 0


def test_batch_import_keeps_going_and_a_failing_file_changes_nothing(store, tmp_path):
    (tmp_path / "p.jpg").write_bytes(jpeg_bytes())
    good_one = write_markdown(tmp_path, "1.md", front="title: 好的一\nnumber: 1\n", body="![图](p.jpg)\n")
    bad = write_markdown(tmp_path, "2.md", front="title: 坏的\nnumber: 2\ntags: 3\n")
    good_two = write_markdown(tmp_path, "3.md", front="title: 好的二\nnumber: 3\n")
    outcomes = import_markdown_files(store, [good_one, bad, good_two])
    assert [o.ok for o in outcomes] == [True, False, True]
    assert outcomes[1].path == bad and "tags" in outcomes[1].error
    titles = {a.title for a in store.list_articles().items}
    assert titles == {"好的一", "好的二"}
