"""Channel list pagination (issue 20): a long channel links its first and last pages and those
near the current one, "…" between, and a reader still reaches every page by following links."""

from __future__ import annotations

import re
from dataclasses import replace

from dayuan_desktop.core.render import page_links
from tests.core.export.sitekit import SMALL_SITE, export, open_sqlite_store, publish

SITE = replace(SMALL_SITE, list_page_size=2)
PAGE_LINK = re.compile(r'<nav class="pagination">(.*?)</nav>', re.DOTALL)
HREF = re.compile(r'href="([^"]+)"')


def _pagination(html: str) -> str:
    found = PAGE_LINK.search(html)
    return found.group(1) if found else ""


def _build(tmp_path, articles: int):
    store = open_sqlite_store(tmp_path / "store.sqlite3")
    store.create_channel("news", "新闻")
    for number in range(1, articles + 1):
        publish(store, number, "news", hour=number)
    out = tmp_path / "site"
    export(store, out, SITE, workers=1)
    return out


def test_every_page_of_a_long_channel_is_reached_from_its_first_page(tmp_path):
    out = _build(tmp_path, 2 * 40)  # 40 list pages
    pages = {path.name for path in (out / "news").glob("index*.html")}
    assert len(pages) == 40
    reached, queue = {"index.html"}, ["index.html"]
    while queue:
        html = (out / "news" / queue.pop()).read_text(encoding="utf-8")
        links = HREF.findall(_pagination(html))
        assert len(links) <= 12, "a page links its neighbours, the ends and 上一页/下一页, not all 40"
        for href in links:
            name = href.rsplit("/", 1)[1]
            if name not in reached:
                reached.add(name)
                queue.append(name)
    assert reached == pages
    middle = _pagination((out / "news" / "index_20.html").read_text(encoding="utf-8"))
    numbers = re.findall(r">(\d+|…)<", middle)
    assert numbers == ["1", "…", "17", "18", "19", "20", "21", "22", "23", "…", "40"]
    assert '<span class="current">20</span>' in middle
    assert '<a href="../news/index_19.html">上一页</a>' in middle and '<a href="../news/index_21.html">下一页</a>' in middle


def test_a_channel_of_up_to_ten_pages_links_every_page_from_every_page(tmp_path):
    out = _build(tmp_path, 2 * 10)
    for number in range(1, 11):
        name = "index.html" if number == 1 else f"index_{number}.html"
        numbers = re.findall(r">(\d+|…)<", _pagination((out / "news" / name).read_text(encoding="utf-8")))
        assert numbers == [str(n) for n in range(1, 11)]


def test_page_links_near_the_ends_have_one_gap():
    assert page_links(1, 40) == [1, 2, 3, 4, None, 40]
    assert page_links(40, 40) == [1, None, 37, 38, 39, 40]
    assert page_links(5, 40) == [1, 2, 3, 4, 5, 6, 7, 8, None, 40]
    assert page_links(3, 11) == [1, 2, 3, 4, 5, 6, None, 11]
