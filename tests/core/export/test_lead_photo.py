"""The lead photo (题图) on the exported site: og:image/twitter:image on the article page, a
thumbnail in channel lists and on the home page, an image in the RSS item; lists follow a
change of lead photo in an incremental export."""

from __future__ import annotations

import defusedxml.ElementTree as SafeET
import pytest

from dayuan_desktop.core.store import Store
from dayuan_desktop.core.visible_text import visible_lines
from tests.core.export.sitekit import SMALL_SITE, add_photo, export, publish, snapshot, touched
from tests.core.test_golden_portal_page import tags

BASE = SMALL_SITE.base_url.rstrip("/")
MEDIA = "{http://search.yahoo.com/mrss/}content"


@pytest.fixture
def site(store: Store, tmp_path):
    """#501 without photos, #502 with two (the second marked lead), exported."""
    store.create_channel("gsyl", "故事原乡")
    first = add_photo(store, 1600, 1000, color=(10, 20, 30), caption="第一张", photographer="马向英")
    second = add_photo(store, 1000, 800, color=(200, 20, 30), caption="第二张", photographer="马向英")
    publish(store, 501, "gsyl", hour=1, summary="提要")
    article = publish(store, 502, "gsyl", hour=2, summary="提要", photos=(first, second))
    store.photos.set_article_photos(article.id, [first.sha256, second.sha256], lead=second.sha256)
    out = tmp_path / "site"
    export(store, out)
    return store, out, first, second


def metas(html: str) -> dict[str, str]:
    return {attrs.get("property") or attrs.get("name"): attrs["content"] for tag, attrs in tags(html) if tag == "meta"
            if attrs.get("property") or attrs.get("name")}


def rendition_of(out, photo) -> str:
    [found] = [p.relative_to(out).as_posix() for p in (out / "uploads").rglob(f"{photo.web_name.rsplit('/', 1)[-1]}-*")]
    return found


def test_article_page_names_the_lead_photo_for_shared_links(site):
    _store, out, _first, second = site
    html = (out / "gsyl/502.html").read_text(encoding="utf-8")
    found = metas(html)
    url = f"{BASE}/{rendition_of(out, second)}"
    assert found["og:image"] == url and found["twitter:image"] == url
    assert found["twitter:card"] == "summary_large_image"
    assert found["og:image:alt"] == "图为第二张。马向英摄"
    assert found["og:url"] == f"{BASE}/gsyl/502.html"


def test_an_article_without_photos_has_no_image_meta(site):
    found = metas((site[1] / "gsyl/501.html").read_text(encoding="utf-8"))
    assert "og:image" not in found and "twitter:image" not in found and found["twitter:card"] == "summary"


def thumbnails(html: str) -> list[dict]:
    return [attrs for tag, attrs in tags(html) if tag == "img"]


def test_channel_list_shows_the_lead_photo_beside_the_article_without_adding_text(site):
    _store, out, _first, second = site
    html = (out / "gsyl/index.html").read_text(encoding="utf-8")
    [thumb] = thumbnails(html)
    assert thumb["src"] == "../" + rendition_of(out, second) and thumb["alt"] == ""
    assert (out / "gsyl" / thumb["src"]).resolve().is_file()
    lines = visible_lines(html)
    assert "图为第二张。马向英摄" not in lines and "第二张" not in " ".join(lines)


def test_home_page_shows_the_sections_newest_lead_photo(site):
    _store, out, _first, second = site
    [thumb] = thumbnails((out / "index.html").read_text(encoding="utf-8"))
    assert thumb["src"] == rendition_of(out, second) and thumb["alt"] == ""


def test_rss_item_carries_the_lead_photo(site):
    _store, out, _first, second = site
    root = SafeET.fromstring((out / "rss.xml").read_bytes())
    items = {item.findtext("link"): item for item in root.iter("item")}
    [image] = items[f"{BASE}/gsyl/502.html"].findall(MEDIA)
    assert image.get("url") == f"{BASE}/{rendition_of(out, second)}"
    assert (image.get("type"), image.get("medium"), image.get("width")) == ("image/jpeg", "image", "1000")
    assert items[f"{BASE}/gsyl/501.html"].findall(MEDIA) == []


def test_another_lead_photo_re_renders_the_lists_it_shows_on(site):
    store, out, first, second = site
    article = store.find_article("502")
    before = snapshot(out)
    store.photos.set_article_photos(article.id, [first.sha256, second.sha256], lead=first.sha256)
    export(store, out)
    changed = touched(before, snapshot(out))
    assert {"gsyl/index.html", "index.html", "rss.xml", "gsyl/502.html"} <= changed
    assert "gsyl/501.html" not in changed
    [thumb] = thumbnails((out / "gsyl/index.html").read_text(encoding="utf-8"))
    assert thumb["src"] == "../" + rendition_of(out, first)
    assert metas((out / "gsyl/502.html").read_text(encoding="utf-8"))["og:image"].endswith(rendition_of(out, first))
