"""The static site export, with real files on disk: layout, what is published, incremental
re-export (exactly which files are rewritten), removal, user changes to the folder, cancel.

Most tests run on SQLite only; the one that walks the whole cycle runs on both backends,
because what the export sees (order, times, photo bytes) comes out of the database.
"""

from __future__ import annotations

import io
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from dayuan_desktop.core.export import ExportCancelled
from dayuan_desktop.core.records import PhotoRecord
from dayuan_desktop.core.resources import portal_template_dir
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.visible_text import visible_lines
from tests.core.export.sitekit import (
    BASE_TIME,
    MANIFEST_NAME,
    SMALL_SITE,
    TEMP_MARK,
    add_photo,
    backdate,
    edit,
    export,
    linked_numbers,
    open_sqlite_store,
    publish,
    raw_sql,
    set_photo_caption,
    site_files,
    snapshot,
    title_of,
    touched,
)

CHANNELS = {"gsyl": "公示要览", "gsyl/lzgs": "理政公示", "news": "新闻"}
# number → channel; article N is published N-100 hours after BASE_TIME, so 108 is the newest.
LAYOUT = {
    101: "gsyl/lzgs", 102: "news", 103: "gsyl/lzgs", 104: "gsyl",
    105: "gsyl/lzgs", 106: "news", 107: "gsyl/lzgs", 108: "gsyl/lzgs",
}
# With three items a page: every list page and the articles it shows, newest first.
LISTS = {
    "gsyl/lzgs/index.html": [108, 107, 105],
    "gsyl/lzgs/index_2.html": [103, 101],
    "gsyl/index.html": [108, 107, 105],  # the parent channel lists its subchannel's articles too
    "gsyl/index_2.html": [104, 103, 101],
    "news/index.html": [106, 102],
}
BIG_CAPTION = "防控人员在道路卡口逐一查验过往车辆"
SMALL_CAPTION = "社区志愿者为居民测温"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def page(number: int) -> str:
    return f"{LAYOUT[number]}/{number}.html"


@dataclass
class Site:
    """A store with the eight articles above and the folder they are exported to."""

    store: Store
    out: Path
    big: PhotoRecord  # 2000x1500, used by 101
    small: PhotoRecord  # 800x600, used by 104 and 106

    @property
    def big_rendition(self) -> str:
        return f"uploads/{self.big.web_name}-1200.jpg"

    @property
    def small_rendition(self) -> str:
        return f"uploads/{self.small.web_name}-800.jpg"

    def read(self, relative: str) -> str:
        return (self.out / relative).read_text(encoding="utf-8")


def static_files() -> set[str]:
    folder = portal_template_dir() / "static"
    return {"static/" + f.relative_to(folder).as_posix() for f in folder.rglob("*") if f.is_file()}


def build_site(store: Store, out: Path) -> Site:
    for path, name in CHANNELS.items():
        store.create_channel(path, name)
    big = add_photo(store, 2000, 1500, caption=BIG_CAPTION, photographer="马向英")
    small = add_photo(store, 800, 600, color=(30, 120, 60), caption=SMALL_CAPTION, photographer="李明")
    photos = {101: (big,), 104: (small,), 106: (small,)}
    for number, channel in LAYOUT.items():
        publish(store, number, channel, hour=number - 100, photos=photos.get(number, ()), summary=f"摘要{number}")
    backdate(store)  # last saved long ago: an edit today changes the sitemap's lastmod
    return Site(store, out, big, small)


def expected_files(site: Site) -> set[str]:
    return (
        {page(n) for n in LAYOUT} | set(LISTS) | static_files()
        | {"index.html", "rss.xml", "sitemap.xml", site.big_rendition, site.small_rendition}
    )


@pytest.fixture
def fresh(tmp_path) -> Site:
    """The eight articles, not exported yet."""
    store = open_sqlite_store(tmp_path / "db" / "newsroom.sqlite3")
    try:
        yield build_site(store, tmp_path / "site")
    finally:
        store.db.dispose()


@pytest.fixture
def exported(fresh: Site) -> Site:
    """The eight articles, exported once."""
    report = export(fresh.store, fresh.out)
    assert report.warnings == []
    return fresh


def broken_links(out: Path) -> list[str]:
    """Every relative href/src in every page that does not lead to a file of the site."""
    problems = []
    for html_file in out.rglob("*.html"):
        for target in re.findall(r'(?:href|src)="([^"]+)"', html_file.read_text(encoding="utf-8")):
            if re.match(r"^(?:[a-z]+:|#)", target):
                continue
            resolved = (html_file.parent / target.split("#")[0]).resolve()
            if not resolved.is_file() or not resolved.is_relative_to(out.resolve()):
                problems.append(f"{html_file.relative_to(out)} → {target}")
    return problems


# -- layout ----------------------------------------------------------------------------------------
def test_layout_pages_lists_home_renditions_static_and_feeds(exported: Site):
    site, out = exported, exported.out
    files = site_files(out)
    assert set(files) == expected_files(site)
    assert (out / MANIFEST_NAME).is_file()

    for number in LAYOUT:
        html = site.read(page(number))
        assert html.endswith("</html>\n")
        lines = visible_lines(html)
        assert title_of(number) in lines
        assert f"本文地址:http://www.shanxidayuan.com/{page(number)}" in lines

    for list_page, numbers in LISTS.items():
        html = site.read(list_page)
        assert linked_numbers(html) == numbers, list_page
        shown = [line.split()[0] for line in visible_lines(html) if line.startswith("测试文章")]
        assert shown == [title_of(n) for n in numbers], list_page
    assert not (out / "gsyl/lzgs/index_3.html").exists() and not (out / "news/index_2.html").exists()
    assert 'href="../../gsyl/lzgs/index_2.html"' in site.read("gsyl/lzgs/index.html")
    assert "理政公示" in visible_lines(site.read("gsyl/lzgs/index.html"))

    # Home: the newest (here two) articles of each top-level channel, subchannels included.
    home = site.read("index.html")
    assert linked_numbers(home) == [108, 107, 106, 102]
    assert 'href="gsyl/index.html"' in home and 'href="news/index.html"' in home
    assert {"公示要览", "新闻"} <= set(visible_lines(home))

    assert files["static/portal.css"] == (portal_template_dir() / "static" / "portal.css").read_bytes()
    assert broken_links(out) == []


def test_renditions_are_jpegs_at_most_1200_wide_and_never_upscaled(exported: Site):
    site, out = exported, exported.out
    assert re.fullmatch(rf"uploads/\d{{4}}/\d{{2}}/{site.big.sha256[:16]}-1200\.jpg", site.big_rendition)
    with Image.open(out / site.big_rendition) as image:
        assert image.format == "JPEG" and image.size == (1200, 900)
    with Image.open(out / site.small_rendition) as image:
        assert image.format == "JPEG" and image.size == (800, 600)  # smaller photos are not upscaled
    assert sorted(p.relative_to(out).as_posix() for p in (out / "uploads").rglob("*.jpg")) == sorted(
        [site.big_rendition, site.small_rendition]
    )
    html = site.read(page(101))
    assert f'<img src="../../{site.big_rendition}" alt="图为{BIG_CAPTION}。马向英摄">' in html
    assert visible_lines(html).count(f"图为{BIG_CAPTION}。马向英摄") == 2  # alt, then the caption line
    assert f'src="../{site.small_rendition}"' in site.read(page(104))
    assert f'src="../{site.small_rendition}"' in site.read(page(106))


def test_renditions_are_upright_and_carry_no_gps_or_camera_metadata(tmp_path):
    store = open_sqlite_store(tmp_path / "x.sqlite3")
    image = Image.new("RGB", (2000, 1500), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the camera turned: shown 1500 wide, 2000 high
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (113.0, 18.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    photo = store.photos.add_photo(buffer.getvalue(), format="JPEG", width=2000, height=1500, caption="城墙")
    store.create_channel("news")
    publish(store, 1, "news", hour=1, photos=(photo,))
    export(store, tmp_path / "site")
    (path,) = (tmp_path / "site" / "uploads").rglob(f"{photo.sha256[:16]}-*.jpg")
    with Image.open(path) as rendition:
        width, height = rendition.size
        assert rendition.format == "JPEG" and width <= 1200 and height > width  # turned upright
        assert abs(width / height - 3 / 4) < 0.01
        exif_out = rendition.getexif()
        assert ExifTags.IFD.GPSInfo not in exif_out and not exif_out.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Make not in exif_out
    store.db.dispose()


def test_sitemap_lists_every_article_with_absolute_urls_and_parses_as_xml(fresh: Site):
    site = replace(SMALL_SITE, base_url="https://example.test/portal/")
    export(fresh.store, fresh.out, site)
    root = ET.fromstring((fresh.out / "sitemap.xml").read_bytes())
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    urls = {u.findtext("sm:loc", namespaces=NS): u.findtext("sm:lastmod", namespaces=NS)
            for u in root.findall("sm:url", NS)}
    assert len(urls) == len(root.findall("sm:url", NS))  # no URL twice
    assert all(url.startswith("https://example.test/portal/") for url in urls)
    for number in LAYOUT:
        assert urls[f"https://example.test/portal/{page(number)}"] == "2022-12-13"
    assert "https://example.test/portal/" in urls and "https://example.test/portal/gsyl/lzgs/index.html" in urls
    canonical = '<link rel="canonical" href="https://example.test/portal/gsyl/lzgs/108.html">'
    assert canonical in (fresh.out / page(108)).read_text(encoding="utf-8")


def test_rss_is_rss_2_with_the_newest_50_articles_newest_first(tmp_path):
    store = open_sqlite_store(tmp_path / "x.sqlite3")
    store.create_channel("news", "新闻")
    store.create_articles([
        dict(title=title_of(n), channel_path="news", status="published", number=n,
             published_at=BASE_TIME + timedelta(hours=n), body="正文。", summary=f"摘要{n}")
        for n in range(1, 56)
    ])
    export(store, tmp_path / "site", SiteSettings())
    root = ET.fromstring((tmp_path / "site" / "rss.xml").read_bytes())
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == SiteSettings().site_name
    assert channel.findtext("link") == "http://www.shanxidayuan.com/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [title_of(n) for n in range(55, 5, -1)]
    for item, number in zip(items, range(55, 5, -1), strict=True):
        assert item.findtext("link") == f"http://www.shanxidayuan.com/news/{number}.html"
        assert item.findtext("guid") == item.findtext("link")
        assert parsedate_to_datetime(item.findtext("pubDate")) == BASE_TIME + timedelta(hours=number)
        assert item.findtext("description") == f"摘要{number}"
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == BASE_TIME + timedelta(hours=55)
    store.db.dispose()


# -- what is published ------------------------------------------------------------------------------
def test_only_live_published_articles_are_exported_and_publishing_assigns_the_next_number(tmp_path):
    store = open_sqlite_store(tmp_path / "x.sqlite3")
    store.create_channel("news", "新闻")
    publish(store, 301, "news", hour=1)
    for number, status in [(302, "draft"), (303, "review"), (304, "ready"), (305, "withdrawn")]:
        publish(store, number, "news", hour=number - 300, status=status)
    trashed = publish(store, 306, "news", hour=6)
    store.trash_article(trashed.id)
    unnumbered = store.create_article(title="待发稿件", channel_path="news", status="draft", body="草稿。")
    assert unnumbered.number is None
    published = store.update_article(unnumbered.id, {"status": "published"}, expected_version=unnumbered.version)
    assert published.number == 307  # the next number after the highest in use (trashed included)

    report = export(store, tmp_path / "site")
    files = site_files(tmp_path / "site")
    assert {path for path in files if path.startswith("news/")} == {"news/301.html", "news/307.html", "news/index.html"}
    assert "待发稿件" in visible_lines(files["news/307.html"].decode())
    everything = b"".join(files.values()).decode("utf-8", errors="replace")
    for hidden in (302, 303, 304, 305, 306):
        assert title_of(hidden) not in everything and f"{hidden}.html" not in everything
    assert report.warnings == []
    store.db.dispose()


# -- incremental ------------------------------------------------------------------------------------
def test_second_export_with_nothing_changed_writes_nothing(exported: Site):
    before = snapshot(exported.out)
    report = export(exported.store, exported.out)
    assert report.written == [] and report.removed == []
    assert report.unchanged == len(expected_files(exported))
    assert report.summary() == f"0 written, {report.unchanged} unchanged, 0 removed"
    assert touched(before, snapshot(exported.out)) == set()  # not even the manifest is rewritten


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        # the newest article: on page 1 of its channel and of the parent, and on the home page
        (107, {"gsyl/lzgs/index.html", "gsyl/index.html", "index.html"}),
        # an older one: on page 2 of both lists, not among the home page's two newest
        (103, {"gsyl/lzgs/index_2.html", "gsyl/index_2.html"}),
        # a top-level channel's article
        (102, {"news/index.html", "index.html"}),
    ],
)
def test_changing_a_title_rewrites_exactly_its_page_its_lists_home_and_feeds(exported: Site, number, expected):
    before = snapshot(exported.out)
    edit(exported.store, number, title="改过的标题")
    report = export(exported.store, exported.out)
    expected = expected | {page(number), "rss.xml", "sitemap.xml"}
    assert sorted(report.written) == sorted(expected)
    assert report.removed == [] and report.unchanged == len(expected_files(exported)) - len(expected)
    assert touched(before, snapshot(exported.out)) == expected | {MANIFEST_NAME}
    for path in expected - {"sitemap.xml"}:
        assert "改过的标题" in exported.read(path)
        assert title_of(number) not in exported.read(path)


def test_changing_the_body_rewrites_its_page_and_the_sitemap_lastmod(exported: Site):
    before = snapshot(exported.out)
    saved = edit(exported.store, 105, body="全新的正文内容。")
    report = export(exported.store, exported.out)
    assert sorted(report.written) == sorted([page(105), "sitemap.xml"])
    assert touched(before, snapshot(exported.out)) == {page(105), "sitemap.xml", MANIFEST_NAME}
    assert "全新的正文内容。" in visible_lines(exported.read(page(105)))
    sitemap = exported.read("sitemap.xml")
    assert f"{page(105)}</loc><lastmod>{saved.updated_at:%Y-%m-%d}</lastmod>" in sitemap

    # Saved again the same day: the lastmod date stays, so only the page is rewritten.
    before = snapshot(exported.out)
    again = edit(exported.store, 105, body="第三版正文。")
    report = export(exported.store, exported.out)
    same_day = f"{again.updated_at:%Y-%m-%d}" == f"{saved.updated_at:%Y-%m-%d}"
    expected = {page(105)} if same_day else {page(105), "sitemap.xml"}
    assert set(report.written) == expected and len(report.written) == len(expected)
    assert touched(before, snapshot(exported.out)) == expected | {MANIFEST_NAME}


def test_changing_a_photo_caption_rewrites_only_the_pages_showing_it_and_its_rendition(exported: Site):
    before = snapshot(exported.out)
    set_photo_caption(exported.store, exported.small.sha256, "新的图片说明")
    report = export(exported.store, exported.out)
    # Both pages use the photo, and its rendition carries the caption (XMP); lists and feeds do not show it.
    expected = {page(104), page(106), exported.small_rendition}
    assert sorted(report.written) == sorted(expected)
    assert touched(before, snapshot(exported.out)) == expected | {MANIFEST_NAME}
    for path in (page(104), page(106)):
        assert visible_lines(exported.read(path)).count("图为新的图片说明。李明摄") == 2

    before = snapshot(exported.out)
    set_photo_caption(exported.store, exported.big.sha256, "换了说明")
    report = export(exported.store, exported.out)
    assert sorted(report.written) == sorted([page(101), exported.big_rendition])
    assert touched(before, snapshot(exported.out)) == {page(101), exported.big_rendition, MANIFEST_NAME}


@pytest.mark.parametrize("how", ["withdraw", "trash"])
def test_withdrawn_or_trashed_article_disappears_from_the_site(exported: Site, how):
    store, out = exported.store, exported.out
    before = snapshot(out)
    if how == "withdraw":
        edit(store, 107, status="withdrawn")
    else:
        store.trash_article(store.find_article("107").id)
    report = export(store, out)
    assert report.removed == [page(107)]
    assert not (out / page(107)).exists()
    # 107 was on page 1 of both lists: everything after it moves up a place.
    changed_lists = {"gsyl/lzgs/index.html", "gsyl/lzgs/index_2.html", "gsyl/index.html", "gsyl/index_2.html"}
    expected = changed_lists | {"index.html", "rss.xml", "sitemap.xml"}
    assert sorted(report.written) == sorted(expected)
    assert touched(before, snapshot(out)) == expected | {page(107), MANIFEST_NAME}
    assert linked_numbers(exported.read("gsyl/lzgs/index.html")) == [108, 105, 103]
    assert linked_numbers(exported.read("gsyl/index_2.html")) == [103, 101]
    for path, data in site_files(out).items():
        text = data.decode("utf-8", errors="replace")
        assert title_of(107) not in text and "107.html" not in text, path

    # Back again: its page returns, the lists are as before.
    if how == "withdraw":
        edit(store, 107, status="published")
    else:
        store.restore_article(store.find_article("107").id)
    report = export(store, out)
    assert page(107) in report.written and report.removed == []
    assert linked_numbers(exported.read("gsyl/lzgs/index.html")) == [108, 107, 105]


def test_moving_an_article_to_another_channel_moves_its_page(exported: Site):
    before = snapshot(exported.out)
    edit(exported.store, 105, channel_path="news")
    report = export(exported.store, exported.out)
    # The old address now holds a redirect page to the new one (links to it keep working).
    assert report.removed == [] and (exported.out / "news/105.html").is_file()
    assert report.redirects == [("gsyl/lzgs/105.html", "news/105.html")]
    assert 'url=../../news/105.html"' in exported.read("gsyl/lzgs/105.html")
    lists = {"gsyl/lzgs/index.html", "gsyl/lzgs/index_2.html", "gsyl/index.html", "gsyl/index_2.html",
             "news/index.html"}
    expected = lists | {"news/105.html", "gsyl/lzgs/105.html", "index.html", "rss.xml", "sitemap.xml"}
    assert sorted(report.written) == sorted(expected)
    assert touched(before, snapshot(exported.out)) == expected | {"gsyl/lzgs/105.html", MANIFEST_NAME}
    assert linked_numbers(exported.read("news/index.html")) == [106, 105, 102]


def test_renaming_a_channel_rewrites_only_its_list_pages(exported: Site):
    before = snapshot(exported.out)
    raw_sql(exported.store, "UPDATE channels SET name = '理政公开' WHERE path = 'gsyl/lzgs'")
    report = export(exported.store, exported.out)
    assert sorted(report.written) == ["gsyl/lzgs/index.html", "gsyl/lzgs/index_2.html"]
    assert touched(before, snapshot(exported.out)) == set(report.written) | {MANIFEST_NAME}
    assert "理政公开" in visible_lines(exported.read("gsyl/lzgs/index_2.html"))

    raw_sql(exported.store, "UPDATE channels SET name = '公示' WHERE path = 'gsyl'")
    report = export(exported.store, exported.out)
    assert sorted(report.written) == ["gsyl/index.html", "gsyl/index_2.html", "index.html"]  # home names it


def test_changing_a_site_setting_rewrites_every_page_but_not_photos_or_static_files(exported: Site):
    before = snapshot(exported.out)
    renamed = replace(SMALL_SITE, site_name="大院网测试站")
    report = export(exported.store, exported.out, renamed)
    pages = {path for path in expected_files(exported) if path.endswith(".html")}
    assert sorted(report.written) == sorted(pages | {"rss.xml"})  # the sitemap does not name the site
    assert touched(before, snapshot(exported.out)) == pages | {"rss.xml", MANIFEST_NAME}
    assert all("大院网测试站" in exported.read(path) for path in pages)
    assert export(exported.store, exported.out, renamed).written == []


def test_emptied_channel_and_unused_rendition_are_removed(exported: Site):
    store, out = exported.store, exported.out
    edit(store, 102, status="withdrawn")
    edit(store, 106, status="withdrawn")
    report = export(store, out)
    assert sorted(report.removed) == ["news/102.html", "news/106.html", "news/index.html"]
    assert not (out / "news").exists()  # the export tidies the folders it emptied
    assert (out / exported.small_rendition).is_file()  # 104 still shows the small photo
    assert linked_numbers(exported.read("index.html")) == [108, 107]

    edit(store, 104, status="withdrawn")
    report = export(store, out)
    assert sorted(report.removed) == sorted([page(104), exported.small_rendition])
    assert not (out / exported.small_rendition).exists()


def test_a_file_the_user_deleted_is_written_again(exported: Site):
    out = exported.out
    deleted = {page(105), "static/portal.css", "rss.xml", exported.big_rendition}
    kept = site_files(out)
    for path in deleted:
        (out / path).unlink()
    before = snapshot(out)
    report = export(exported.store, out)
    assert sorted(report.written) == sorted(deleted)
    assert touched(before, snapshot(out)) == deleted  # same inputs, same bytes: the manifest stays
    assert site_files(out) == kept  # byte for byte what was there


def test_temporaries_left_by_a_killed_export_are_removed_by_the_next(exported: Site):
    out = exported.out
    leftovers = [out / "gsyl/lzgs" / f"{TEMP_MARK}4242-108.html", out / f"{TEMP_MARK}4242-{MANIFEST_NAME}",
                 out / "uploads" / f"{TEMP_MARK}4242-x.jpg"]
    for leftover in leftovers:
        leftover.write_bytes(b"<!DOCTYPE html><html><body>half a pa")
    before = snapshot(out)
    report = export(exported.store, out)
    assert report.written == [] and report.removed == []
    assert not any(leftover.exists() for leftover in leftovers)
    assert touched(before, snapshot(out)) == {leftover.relative_to(out).as_posix() for leftover in leftovers}


def test_files_the_export_does_not_own_are_never_deleted(exported: Site):
    store, out = exported.store, exported.out
    foreign = {
        "robots.txt": b"User-agent: *\n",
        "gsyl/lzgs/notes.txt": "编辑备注".encode(),
        "news/999.html": b"<html>hand made</html>\n",
        "extra/deep/file.bin": bytes(range(256)),
        ".well-known/security.txt": b"Contact: x\n",
        "uploads/2020/01/logo.png": b"\x89PNG not really",
    }
    for path, data in foreign.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    edit(store, 108, title="新标题")
    edit(store, 102, status="withdrawn")
    edit(store, 106, status="withdrawn")
    store.trash_article(store.find_article("101").id)  # its rendition is removed
    report = export(store, out)
    assert "news/index.html" in report.removed and exported.big_rendition in report.removed
    export(store, out)
    for path, data in foreign.items():
        assert (out / path).read_bytes() == data, path


# -- cancel -----------------------------------------------------------------------------------------
def test_cancel_already_set_raises_and_the_next_export_completes(fresh: Site):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ExportCancelled):
        export(fresh.store, fresh.out, cancel=cancel)
    assert site_files(fresh.out) == {}
    report = export(fresh.store, fresh.out)
    assert set(report.written) == expected_files(fresh)
    assert export(fresh.store, fresh.out).written == []


@pytest.mark.parametrize("after", [1, 4, 9])
def test_cancel_from_the_progress_callback_leaves_complete_files_only(fresh: Site, tmp_path, after):
    """What is on disk is exactly what progress named, every file whole; the next export writes only the rest."""
    reference = tmp_path / "reference"
    export(fresh.store, reference)
    complete = site_files(reference)
    cancel = threading.Event()
    reported: list[str] = []

    def progress(done: int, total: int, label: str) -> None:
        if label:
            reported.append(label)
        if done == after:
            cancel.set()

    with pytest.raises(ExportCancelled):
        export(fresh.store, fresh.out, cancel=cancel, progress=progress)
    partial = site_files(fresh.out)
    assert len(partial) == after and set(partial) == set(reported)
    assert all(complete[path] == data for path, data in partial.items())
    report = export(fresh.store, fresh.out)
    assert len(report.written) == len(complete) - len(partial) and report.unchanged == len(partial)
    assert site_files(fresh.out) == complete
    assert export(fresh.store, fresh.out).written == []


def test_cancel_while_renditions_are_made_stops_at_once(tmp_path):
    store = open_sqlite_store(tmp_path / "x.sqlite3")
    store.create_channel("news")
    photos = [add_photo(store, 400, 300, color=(40 * i, 90, 90)) for i in range(6)]
    for i, photo in enumerate(photos):
        publish(store, i + 1, "news", hour=i, photos=(photo,))
    cancel = threading.Event()
    seen: list[str] = []

    def progress(done: int, total: int, label: str) -> None:
        seen.append(label)
        if label.startswith("uploads/"):
            cancel.set()

    with pytest.raises(ExportCancelled):
        export(store, tmp_path / "site", cancel=cancel, progress=progress, workers=2)
    on_disk = site_files(tmp_path / "site")
    assert len([path for path in on_disk if path.startswith("uploads/")]) == 1
    assert set(on_disk) == set(seen)
    report = export(store, tmp_path / "site")
    assert len([path for path in report.written if path.startswith("uploads/")]) == 5
    store.db.dispose()


# -- both backends ----------------------------------------------------------------------------------
def test_export_cycle_on_both_backends(store: Store, tmp_path):
    """Full export, nothing changed, a title changed, an article withdrawn: same files on SQLite and PostgreSQL."""
    site = build_site(store, tmp_path / "site")
    report = export(store, site.out)
    assert set(report.written) == expected_files(site) and report.warnings == []
    for list_page, numbers in LISTS.items():
        assert linked_numbers(site.read(list_page)) == numbers
    with Image.open(site.out / site.big_rendition) as image:
        assert image.size == (1200, 900)
    assert export(store, site.out).written == []

    edit(store, 107, title="改过的标题")
    report = export(store, site.out)
    assert sorted(report.written) == sorted(
        {page(107), "gsyl/lzgs/index.html", "gsyl/index.html", "index.html", "rss.xml", "sitemap.xml"}
    )
    edit(store, 107, status="withdrawn")
    report = export(store, site.out)
    assert report.removed == [page(107)] and not (site.out / page(107)).exists()
    assert export(store, site.out).written == []
    assert "2022-12-01 16:00:00" in site.read(page(108))  # 08:00 UTC, shown in Beijing time


def test_only_numbers_exports_just_those_pages(exported: Site):
    before = snapshot(exported.out)
    edit(exported.store, 104, title="只导出这一篇")
    report = export(exported.store, exported.out, only_numbers=[104])
    assert report.written == [page(104)] and report.removed == []
    assert touched(before, snapshot(exported.out)) == {page(104), MANIFEST_NAME}
    assert title_of(104) in exported.read("gsyl/index_2.html")  # lists untouched until a full export
    report = export(exported.store, exported.out)
    assert sorted(report.written) == sorted({"gsyl/index_2.html", "rss.xml", "sitemap.xml"})

