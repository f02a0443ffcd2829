"""Pre-publish checks: every blocking problem and every warning, on articles as the store keeps them."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.photos import read_photo
from dayuan_desktop.core.publish_checks import (
    Severity,
    article_label,
    blocking,
    check_article,
    finding_lines,
    photos_with_gps,
)
from dayuan_desktop.core.store import Store
from tests.core.photos.photokit import exif_bytes, jpeg

WIDTH = 1200  # the site's rendition width (SiteSettings' default)


def add_photo(store: Store, data: bytes, caption: str = "防控人员查验车辆", photographer: str = "马向英"):
    photo = read_photo(data)
    return store.photos.add_photo(data, format=photo.format, width=photo.width, height=photo.height,
                           caption=caption, photographer=photographer, original_name="dsc_0001.jpg")


@pytest.fixture
def good(store: Store):
    """A published-ready article with one good photo placed in its body."""
    store.create_channel("gsyl", "故事原乡")
    photo = add_photo(store, jpeg(1600, 1000))
    article = store.create_article(
        title="党旗飘扬筑起疫情防控“钢铁长城”", channel_path="gsyl", summary="防控一线的党员干部。",
        body=f"第一段。\n\n![图为防控人员查验车辆。](photo:{photo.sha256})\n\n第二段。\n",
    )
    store.photos.set_article_photos(article.id, [photo.sha256])
    return store.get_article(article.id)


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


def test_a_complete_article_has_no_findings(good):
    assert check_article(good, rendition_width=WIDTH) == []


@pytest.mark.parametrize(
    ("values", "code", "words"),
    [
        ({"title": "  "}, "no_title", "没有标题"),
        ({"channel_path": None}, "no_channel", "没有选择栏目"),
        ({"body": " \n\n "}, "empty_body", "正文为空"),
    ],
)
def test_blocking_problems(store: Store, good, values, code, words):
    stored = store.update_article(good.id, values, expected_version=good.version)
    findings = check_article(stored, rendition_width=WIDTH)
    assert codes(findings) == [code]
    [found] = [f for f in findings if f.code == code]
    assert found.severity is Severity.BLOCKING and found.blocking
    assert words in found.message


def test_a_photo_line_whose_photo_is_not_attached_blocks(store: Store, good):
    """The case of undo after removing a photo: the caption would print without its picture."""
    store.photos.set_article_photos(good.id, [])
    findings = check_article(store.get_article(good.id), rendition_width=WIDTH)
    assert codes(findings) == ["photo_not_attached"]
    assert findings[0].blocking and findings[0].photo_sha256 == good.photos[0].photo.sha256
    assert "防控人员查验车辆" in findings[0].message and "重新添加" in findings[0].message


def test_the_same_missing_photo_twice_is_one_finding(store: Store, good):
    sha = good.photos[0].photo.sha256
    body = f"![图为一。](photo:{sha})\n\n文字\n\n![图为二。](photo:{sha})\n"
    stored = store.update_article(good.id, dict(body=body), expected_version=good.version)
    store.photos.set_article_photos(good.id, [])
    assert codes(check_article(store.get_article(stored.id), rendition_width=WIDTH)) == ["photo_not_attached"]


def test_no_summary_is_a_warning(store: Store, good):
    stored = store.update_article(good.id, dict(summary=""), expected_version=good.version)
    [finding] = check_article(stored, rendition_width=WIDTH)
    assert (finding.code, finding.severity) == ("no_summary", Severity.WARNING)
    assert not finding.blocking and "没有摘要" in finding.message


def test_photo_warnings_name_the_photo(store: Store, good):
    bare = add_photo(store, jpeg(640, 480, color=(1, 2, 3)), caption="", photographer="")
    store.photos.set_article_photos(good.id, [good.photos[0].photo.sha256, bare.sha256])
    findings = check_article(store.get_article(good.id), rendition_width=WIDTH)
    assert codes(findings) == ["photo_no_caption", "photo_no_photographer", "photo_too_narrow"]
    assert all(f.photo_sha256 == bare.sha256 and not f.blocking for f in findings)
    assert all("第 2 张图片（dsc_0001.jpg）" in f.message for f in findings)
    assert "640 像素" in findings[2].message and "1200 像素" in findings[2].message


def test_the_needed_width_is_the_sites_rendition_width(good):
    assert codes(check_article(good, rendition_width=1600)) == []
    assert codes(check_article(good, rendition_width=1601)) == ["photo_too_narrow"]


def test_gps_in_an_original_is_found_and_warned(store: Store, good):
    located = add_photo(store, jpeg(1600, 1000, color=(9, 9, 9), exif=exif_bytes(gps=True)))
    store.photos.set_article_photos(good.id, [good.photos[0].photo.sha256, located.sha256])
    article = store.get_article(good.id)
    gps = photos_with_gps(store.photos.photo_bytes, [link.photo.sha256 for link in article.photos])
    assert gps == {located.sha256}
    [finding] = check_article(article, rendition_width=WIDTH, gps_photos=gps)
    assert finding.code == "photo_gps" and "GPS" in finding.message and not finding.blocking


def test_an_unreadable_original_counts_as_without_gps(store: Store):
    assert photos_with_gps(store.photos.photo_bytes, ["0" * 64]) == set()


def test_blocking_comes_first_and_lines_name_the_article_by_number(store: Store, good):
    stored = store.update_article(good.id, dict(summary="", title="",
                                  status="published"), expected_version=good.version)
    findings = check_article(stored, rendition_width=WIDTH)
    assert codes(findings) == ["no_title", "no_summary"]
    assert codes(blocking(findings)) == ["no_title"]
    lines = finding_lines(stored, findings)
    assert lines == [f"#{stored.number}: 不能发布：没有标题", f"#{stored.number}: 提醒：没有摘要：列表页和搜索结果将不显示内容提要"]


def test_article_label_without_a_number_uses_the_title():
    assert article_label(4709, "标题") == "#4709"
    assert article_label(None, "党旗飘扬筑起疫情防控“钢铁长城”") == "《党旗飘扬筑起疫情防控“钢铁长城”》"
    assert article_label(None, "很" * 40).endswith("…》")
    assert article_label(None, " ") == "（无标题文章）"
