"""``import DIR`` of a mirrored copy of the site: every article page in its channel with its photos,
list and home pages skipped, nothing imported twice, hostile files named while the rest imports."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dayuan_desktop.core.interchange.mirror_import import import_mirror
from dayuan_desktop.core.interchange.site_mirror import find_sites, scan_mirror
from dayuan_desktop.core.models import Article, Photo
from dayuan_desktop.core.store import Store
from tests.core.interchange.mirror_site import HOST, build_mirror, set_image
from tests.helpers import jpeg_bytes

ARTICLES = 12  # the sample, the two feature articles and nine generated ones
NAMES = {"gsyl": "公示要览", "gsyl/lzgs": "理政公示", "news": "新闻", "news/local": "本地新闻"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    """The mirror, made once from our export (read-only), and the generated articles' channels and captions."""
    return build_mirror(tmp_path_factory.mktemp("built"))


@pytest.fixture
def mirror(built, tmp_path: Path) -> Path:
    """A private copy of the mirror, for tests that damage it."""
    return Path(shutil.copytree(built[0], tmp_path / "mirror", symlinks=True))


def _counts(store: Store) -> tuple[int, int]:
    with store.db.session() as session:
        return session.scalar(select(func.count(Article.id))), session.scalar(select(func.count(Photo.id)))


def test_every_article_comes_in_its_channel_with_its_photos(store, mirror, built):
    report = import_mirror(store, mirror)
    assert [o.error for o in report.outcomes if not o.ok] == [] and report.scan.errors == []
    assert report.imported == ARTICLES and report.failed == 0
    assert dict(report.scan.skipped) == {"home": 1, "list": 10}  # index pages, index_N and a CMS-style list_2
    for outcome in report.outcomes:
        assert outcome.warnings == (), (outcome.path, outcome.warnings)
    by_number = {o.article.number: o.article for o in report.outcomes}
    for number, (channel, caption) in built[1].items():
        article = by_number[number]
        assert article.channel_path == channel
        assert [link.photo.caption for link in article.photos] == [caption]
        assert f"photo:{article.photos[0].photo.sha256}" in article.body
    # Root-absolute (/uploads/…) and full (http://host/uploads/…) image addresses found their files.
    assert len(by_number[4709].photos) == 1 and by_number[4709].channel_path == "gsyl/lzgs"
    assert len(by_number[5001].photos) == 3 and by_number[5001].channel_path == "news/local"
    assert {c.path: c.name for c in store.list_channels()} == NAMES  # named as the site's own lists name them


def test_a_second_run_imports_nothing_new(store, mirror):
    assert import_mirror(store, mirror).imported == ARTICLES
    counts = _counts(store)
    again = import_mirror(store, mirror)
    assert (again.imported, again.duplicates, again.failed) == (0, ARTICLES, 0)
    assert again.summary() == f"0 imported, 0 failed, {ARTICLES} already imported, 11 skipped (1 home, 10 list)"
    assert _counts(store) == counts


def test_the_same_article_under_another_name_is_a_duplicate(store, mirror):
    host = mirror / HOST
    shutil.copy(host / "gsyl" / "6000.html", host / "gsyl" / "article-6000-copy.html")
    report = import_mirror(store, mirror)
    assert report.imported == ARTICLES and report.duplicates == 1 and report.failed == 0
    [duplicate] = [o for o in report.outcomes if o.duplicate]
    assert duplicate.path.name == "article-6000-copy.html" and "already" in duplicate.error


def test_page_address_wins_over_its_folder_and_the_folder_serves_without_one(store, mirror):
    host = mirror / HOST
    (host / "gsyl" / "lzgs" / "6001.html").rename(host / "news" / "6001.html")  # moved, still says gsyl/lzgs
    page = host / "gsyl" / "6000.html"
    text = page.read_text(encoding="utf-8")
    text = re.sub(r'<link rel="canonical"[^>]*>', "", text)
    text = text.replace("http://www.shanxidayuan.com/gsyl/6000.html", "")
    page.write_text(text, encoding="utf-8")
    report = import_mirror(store, mirror)
    assert report.imported == ARTICLES, [o.error for o in report.outcomes]
    assert store.find_article("6001").channel_path == "gsyl/lzgs"
    assert store.find_article("6000").channel_path == "gsyl"


@pytest.mark.parametrize("src", [
    "../../../../../../etc/passwd", "/../../../outside.jpg", "http://other.example.com/uploads/a.jpg",
    "symlink-out", "/uploads/2024/01/missing-480.jpg",
])
def test_an_image_out_of_reach_is_left_out_and_the_article_imports(store, mirror, tmp_path, src):
    (tmp_path / "outside.jpg").write_bytes(jpeg_bytes(100, 100))
    host = mirror / HOST
    if src == "symlink-out":
        (host / "uploads" / "link.jpg").symlink_to(tmp_path / "outside.jpg")
        src = "/uploads/link.jpg"
    set_image(host / "gsyl" / "6003.html", 0, src)
    report = import_mirror(store, mirror)
    assert report.imported == ARTICLES and report.failed == 0
    [outcome] = [o for o in report.outcomes if o.path.name == "6003.html"]
    assert len(outcome.article.photos) == 0  # its one photo left out
    assert any(src[:40] in warning for warning in outcome.warnings), outcome.warnings
    with store.db.session() as session:  # nothing from outside the mirror reached the library
        assert session.scalar(select(func.count(Photo.id)).where(Photo.original_name == "outside.jpg")) == 0


def _damage(host: Path, tmp_path: Path) -> dict[str, str]:
    """Hostile and broken files beside the good pages; returns file name → what its error says."""
    (host / "gsyl" / "9001.html").write_bytes(bytes(range(256)) * 40)  # binary junk
    with open(host / "gsyl" / "9002.html", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # a 50 MB page (sparse)
    good = (host / "gsyl" / "6000.html").read_text(encoding="utf-8")
    deep = good.replace("6000", "9003").replace('<div class="article-content">',
                                                '<div class="article-content">' + "<div>" * 100_000)
    (host / "gsyl" / "9003.html").write_text(deep, encoding="utf-8")
    (host / "gsyl" / "9004.html").write_text(good.replace("6000", "9004")[: len(good) // 2], encoding="utf-8")
    os.mkfifo(host / "gsyl" / "9005.html")  # cannot be read as a file
    (host / "news" / "loop-a.html").symlink_to(host / "news" / "loop-b.html")
    (host / "news" / "loop-b.html").symlink_to(host / "news" / "loop-a.html")
    (tmp_path / "secret.html").write_text("<html><body>secret</body></html>", encoding="utf-8")
    (host / "news" / "out.html").symlink_to(tmp_path / "secret.html")
    (host / "gsyl" / "lzgs" / "again").symlink_to(host)  # a folder loop: never followed
    return {"9001.html": "not an HTML page", "9002.html": "20 MB", "9003.html": "nests", "9004.html": "truncated",
            "9005.html": "not a regular file", "loop-a.html": "symbolic link", "loop-b.html": "symbolic link",
            "out.html": "out of the folder"}


def test_damaged_and_hostile_files_are_named_and_the_rest_imports(store, mirror, tmp_path):
    expected = _damage(mirror / HOST, tmp_path)
    report = import_mirror(store, mirror)
    assert report.imported == ARTICLES
    errors = [o.error for o in report.outcomes if not o.ok] + report.scan.errors
    assert report.failed == len(expected) == len(errors)
    for name, says in expected.items():
        [line] = [e for e in errors if re.match(rf"\S*/{re.escape(name)}[: ]", e)]  # each names its file
        assert says in line, line
    assert _counts(store)[0] == ARTICLES


def test_httrack_layout_its_own_index_is_skipped(built, tmp_path):
    mirror = Path(shutil.copytree(built[0], tmp_path / "httrack"))
    (mirror / "index.html").write_text("<html><body><a href='www.shanxidayuan.com/index.html'>x</a></body></html>")
    (mirror / "hts-cache").mkdir()
    (mirror / "hts-cache" / "1.html").write_text("<html></html>")
    [site] = find_sites(mirror)
    assert site.host == HOST and site.root == (mirror / HOST).resolve()
    scan = scan_mirror(mirror)
    assert len(scan.pages) == ARTICLES and scan.skipped["other"] == 1 and scan.errors == []


def test_a_folder_without_a_host_folder_is_the_site(built, tmp_path):
    site = Path(shutil.copytree(built[0] / HOST, tmp_path / "plain"))
    [found] = find_sites(site)
    assert found.host is None and found.root == site.resolve()
    scan = scan_mirror(site)
    assert len(scan.pages) == ARTICLES and scan.channel_names == NAMES


def test_a_hostile_page_of_endless_tags_is_skipped_in_its_turn(built, tmp_path):
    site = Path(shutil.copytree(built[0] / HOST, tmp_path / "plain"))
    (site / "gsyl" / "links.html").write_bytes(b"<html><body>" + b"<a href='/x/'>" * 400_000 + b"<a " * 2_000_000)
    (site / "gsyl" / "classes.html").write_bytes(b"<html>" + b'<p class="a article-list ' * 300_000)
    scan = scan_mirror(site)
    assert len(scan.pages) == ARTICLES and scan.errors == []
    assert dict(scan.skipped) == {"home": 1, "list": 10 + 1, "other": 1}
    assert scan.channel_names == NAMES


LIVE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>{title} - 大院网</title></head>
<body><div class="nav"><a href="http://{host}/">首页</a> <a href="http://{host}/gsyl/">公示要览</a>
<a href="/gsyl/lzgs/">理政公示</a></div>
<div class="position">当前位置：<a href="../../index.html">首页</a> &gt; <a href="../index.html">公示要览</a></div>
<h1 class="article-title">{title}</h1>
<div class="article-meta"><span class="author">网络编辑</span> <time>2022-12-13 14:46:28</time></div>
<div class="article-content">
<p style="text-align:center"><img src="{src}" alt="{caption}"></p><p style="text-align:center">{caption}</p>
<p>　　正文。</p></div>
<div class="article-copyright"><p>本文地址:<a href="http://{host}/gsyl/lzgs/{number}.html">链接</a></p></div>
</body></html>
"""


def test_a_live_portal_mirror_in_gb18030_with_full_image_addresses(store, tmp_path):
    host = "www.dayuan-portal.cn"  # not the site settings' host: the mirror's folder name says it
    root = tmp_path / "wget" / host
    (root / "gsyl" / "lzgs").mkdir(parents=True)
    (root / "uploads" / "allimg" / "221213").mkdir(parents=True)
    sources = {4709: f"http://{host}/uploads/allimg/221213/a.jpg", 4710: "/uploads/allimg/221213/b.jpg",
               4711: "../../uploads/allimg/221213/c.jpg"}
    for number, src in sources.items():
        image = root / "uploads" / "allimg" / "221213" / src.rsplit("/", 1)[1]
        image.write_bytes(jpeg_bytes(600, 400, (number % 256, 80, 80)))
        page = LIVE.format(host=host, title=f"第{number}篇", src=src, caption="图为查验车辆。马向英摄", number=number)
        (root / "gsyl" / "lzgs" / f"{number}.html").write_bytes(page.encode("gb18030"))
    (root / "index.html").write_bytes("<html><body>首页</body></html>".encode("gb18030"))
    report = import_mirror(store, tmp_path / "wget")
    assert (report.imported, report.failed, dict(report.scan.skipped)) == (3, 0, {"home": 1})
    for number in sources:
        article = store.find_article(str(number))
        [link] = article.photos
        assert article.channel_path == "gsyl/lzgs" and (link.photo.caption, link.photo.photographer) == ("查验车辆",
                                                                                                          "马向英")
    assert {c.path: c.name for c in store.list_channels()} == {"gsyl": "公示要览", "gsyl/lzgs": "理政公示"}
