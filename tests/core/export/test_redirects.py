"""Redirect pages at the old address of a renumbered or moved article: written once, kept
current like every export file, never over a real page, gone with the article."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from dayuan_desktop.core.export.manifest import Manifest
from dayuan_desktop.core.export.output import OutputFolder
from dayuan_desktop.core.export.redirects import redirect_page
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.visible_text import visible_lines
from tests.core.export.sitekit import export, open_sqlite_store, publish, snapshot, touched

OLD, NEW = "gsyl/lzgs/4709.html", "gsyl/lzgs/4800.html"


def _site(store: Store, out: Path) -> Path:
    store.create_channel("gsyl/lzgs", "理政公示")
    store.create_channel("news", "新闻")
    publish(store, 4709, "gsyl/lzgs", hour=1, title="党旗飘扬筑起疫情防控“钢铁长城”")
    publish(store, 4710, "gsyl/lzgs", hour=2)
    export(store, out)
    return out


@pytest.fixture
def site(tmp_path) -> tuple[Store, Path]:
    store = open_sqlite_store(tmp_path / "db" / "newsroom.sqlite3")
    try:
        yield store, _site(store, tmp_path / "site")
    finally:
        store.db.dispose()


def renumber(store: Store, current: int, **changes) -> None:
    article = store.find_article(str(current))
    store.update_article(article.id, changes, expected_version=article.version)


def _refresh_target(html: str) -> str:
    return re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html).group(1)


def test_renumbered_article_leaves_a_redirect_page_at_its_old_address(store: Store, tmp_path):
    out = _site(store, tmp_path / "site")
    old_page = (out / OLD).read_text(encoding="utf-8")
    renumber(store, 4709, number=4800)
    report = export(store, out)
    assert report.redirects == [(OLD, NEW)] and report.summary().endswith(", 1 redirect(s)")
    assert {OLD, NEW} <= set(report.written) and report.removed == []
    redirect = (out / OLD).read_text(encoding="utf-8")
    assert _refresh_target(redirect) == "4800.html" and (out / OLD).parent.joinpath("4800.html").is_file()
    assert '<link rel="canonical" href="http://www.shanxidayuan.com/gsyl/lzgs/4800.html">' in redirect
    assert '<meta name="robots" content="noindex">' in redirect
    assert (out / NEW).read_text(encoding="utf-8") != redirect and "钢铁长城" in (out / NEW).read_text("utf-8")
    assert old_page != redirect
    assert OLD in Manifest.load(OutputFolder(out)).files  # owned by the export like any page
    # Not written twice: a second export leaves everything as it is.
    before = snapshot(out)
    again = export(store, out)
    assert again.written == [] and again.redirects == [(OLD, NEW)] and touched(before, snapshot(out)) == set()


def test_a_redirect_follows_the_article_and_goes_with_it(site):
    store, out = site
    renumber(store, 4709, number=4800)
    export(store, out)
    renumber(store, 4800, channel_path="news")  # moved again: both old addresses lead to the newest one
    report = export(store, out)
    assert sorted(report.redirects) == [(OLD, "news/4800.html"), (NEW, "news/4800.html")]
    assert _refresh_target((out / OLD).read_text("utf-8")) == "../../news/4800.html"
    assert OLD in report.written and NEW in report.written
    article = store.find_article("4800")
    store.trash_article(article.id)
    report = export(store, out)
    assert report.redirects == [] and {OLD, NEW, "news/4800.html"} <= set(report.removed)
    assert not (out / OLD).exists() and not (out / NEW).exists()
    store.restore_article(article.id)
    assert sorted(export(store, out).redirects) == [(OLD, "news/4800.html"), (NEW, "news/4800.html")]
    store.trash_article(article.id)
    store.purge_article(article.id)
    report = export(store, out)
    assert report.redirects == [] and OLD in report.removed and not (out / OLD).exists()


def test_a_real_page_at_the_old_address_is_never_overwritten(site):
    store, out = site
    renumber(store, 4709, number=4800)
    export(store, out)
    publish(store, 4709, "gsyl/lzgs", hour=3, title="新的4709号文章")  # another article takes the number
    report = export(store, out)
    assert report.redirects == [] and OLD in report.written
    assert "新的4709号文章" in visible_lines((out / OLD).read_text("utf-8"))
    assert "refresh" not in (out / OLD).read_text("utf-8")


def test_renumbering_back_removes_the_redirect(site):
    store, out = site
    renumber(store, 4709, number=4800)
    export(store, out)
    renumber(store, 4800, number=4709)
    report = export(store, out)
    assert report.redirects == [(NEW, OLD)]
    assert "钢铁长城" in (out / OLD).read_text("utf-8") and _refresh_target((out / NEW).read_text("utf-8")) == "4709.html"


def test_the_redirect_page_escapes_site_texts():
    site = replace(SiteSettings(), site_name="<script>alert(1)</script>大院网", base_url='http://x.example/"><b')
    page = redirect_page(site, OLD, NEW).decode("utf-8")
    assert "<script>" not in page and "<b" not in page.replace("<body", "")
    assert "&lt;script&gt;" in page and 'href="http://x.example/&quot;&gt;&lt;b/gsyl/lzgs/4800.html"' in page
