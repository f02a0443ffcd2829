"""The preview pane: the exported page with local assets, offline, coalesced, scroll kept, phone width."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import replace

import pytest
import shiboken6
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.photo_library import PhotoLibrary
from dayuan_desktop.core.photos.rendition_paths import rendition_site_path
from dayuan_desktop.core.render import PortalRenderer
from dayuan_desktop.core.site import load_site_settings
from dayuan_desktop.core.store import Store
from dayuan_desktop.ui.preview import PHONE_WIDTH, PreviewPane
from dayuan_desktop.ui.preview.pane import fits_in_set_html
from tests.helpers import jpeg_bytes
from tests.ui.preview.kit import http_server, run_js, sample_store

RENDER_TIMEOUT = 15_000  # the first page also starts QtWebEngine's processes


@pytest.fixture
def store(tmp_path):
    store = sample_store(tmp_path)
    yield store
    store.db.dispose()


@pytest.fixture
def sample(store):
    return store.find_article("4709")


@pytest.fixture
def make_pane(qtbot, store):
    made = []

    def make(cache_dir):
        pane = PreviewPane(store, load_site_settings(store.db), cache_dir)
        made.append(pane)
        pane.resize(1000, 700)
        pane.show()
        qtbot.waitExposed(pane)
        return pane

    yield make
    for pane in made:  # now, not at exit: QtWebEngine warns when a profile outlives the application
        pane.close()
        shiboken6.delete(pane)


@pytest.fixture
def pane(make_pane, tmp_path):
    return make_pane(tmp_path / "cache")


def show(qtbot, pane: PreviewPane, record) -> None:
    with qtbot.waitSignal(pane.rendered, timeout=RENDER_TIMEOUT):
        pane.show_article(record)


def text_only(store, **values):
    """An article without photos (so no rendition job adds a second load)."""
    return store.create_article(channel_path="gsyl/lzgs", status="draft", author="网络编辑", **values)


def test_the_pane_shows_the_exported_page_with_its_stylesheet_and_photo(qtbot, pane, store, sample, tmp_path):
    show(qtbot, pane, sample)
    site = load_site_settings(store.db)
    assert pane.shown_html() == PortalRenderer(site).article_page(sample)  # byte for byte what export writes

    # The rendition is made off the UI thread; once it is there the page is shown again, with the photo.
    def photo_width():
        return run_js(qtbot, pane.page, "(document.querySelector('p.photo img') || {}).naturalWidth || 0")

    qtbot.waitUntil(lambda: not pane.is_loading() and photo_width() > 0, timeout=RENDER_TIMEOUT)
    assert run_js(qtbot, pane.page, "document.title") == f"{sample.title} - {site.site_name}"
    # portal.css was found at ../../static/portal.css: its rule for .wrap is in effect
    assert run_js(qtbot, pane.page, "getComputedStyle(document.querySelector('.wrap')).maxWidth") == "1000px"
    photo = sample.photos[0].photo
    relative = rendition_site_path(photo, site.rendition_width, provisional=True)  # a JPEG: its one path
    made = (pane.site_folder / relative).read_bytes()
    # The same bytes the export writes at the same path.
    SiteExporter(store, site, tmp_path / "site").run()
    assert made == (tmp_path / "site" / relative).read_bytes()
    assert photo_width() == min(photo.width, site.rendition_width)
    assert pane.status_label.text() == ""


def test_a_photo_that_cannot_be_made_leaves_the_page_without_it_and_says_so(qtbot, pane, sample):
    link = sample.photos[0]
    ghost = replace(link, photo=replace(link.photo, sha256="0" * 64))
    body = sample.body.replace(link.photo.sha256, "0" * 64)
    show(qtbot, pane, replace(sample, photos=(ghost,), body=body))
    qtbot.waitUntil(lambda: "cannot be shown" in pane.status_label.text(), timeout=RENDER_TIMEOUT)
    assert "no photo" in pane.status_label.text()
    # The rest of the page is there: title and caption.
    assert run_js(qtbot, pane.page, "document.querySelector('h1').textContent") == sample.title
    assert run_js(qtbot, pane.page, "document.querySelector('p.caption') !== null") is True


def test_nothing_is_requested_from_the_network(qtbot, pane, store):
    with http_server() as (port, hits):
        remote = f"http://127.0.0.1:{port}"
        article = text_only(
            store, title="远程图片", body=f"正文。\n\n![远程]({remote}/photo.png)\n\n[链接]({remote}/page.html)\n"
        )
        # QtWebEngine keeps file pages from remote URLs by default; turn that off to see the
        # interceptor itself stop the request.
        pane.page.settings().setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
        show(qtbot, pane, article)
        qtbot.wait(300)
        assert hits == []
        assert f"{remote}/photo.png" in pane.profile.interceptor.blocked_urls

        # The same page in a plain web view does reach the server: the check above can fail.
        holder = QWidget()
        qtbot.addWidget(holder)
        control = QWebEngineView(holder)  # before the profile: a profile must outlive its pages
        control_page = QWebEnginePage(QWebEngineProfile(holder), control)
        control_page.settings().setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
        control.setPage(control_page)
        with qtbot.waitSignal(control_page.loadFinished, timeout=RENDER_TIMEOUT):
            control_page.setHtml(pane.shown_html(), QUrl.fromLocalFile(str(pane.site_folder / "x.html")))
        qtbot.waitUntil(lambda: "/photo.png" in hits, timeout=5000)


def test_links_forms_and_history_do_not_leave_the_article(qtbot, pane):
    kinds = QWebEnginePage.NavigationType
    other = QUrl("file:///tmp/other.html")
    for refused in (kinds.NavigationTypeLinkClicked, kinds.NavigationTypeFormSubmitted,
                    kinds.NavigationTypeBackForward):
        assert pane.page.acceptNavigationRequest(other, refused, True) is False
    assert pane.page.acceptNavigationRequest(other, kinds.NavigationTypeTyped, True) is True
    # The context menu offers Copy only.
    assert [action.text() for action in pane.view.actions()] == [
        pane.page.action(QWebEnginePage.WebAction.Copy).text()
    ]


def test_clicking_a_link_in_the_page_keeps_the_article(qtbot, pane, store):
    article = text_only(store, title="链接", body="[别处](../other.html)\n\n正文。")
    show(qtbot, pane, article)
    (pane.site_folder / "other.html").write_text("<h1>别的页面</h1>", encoding="utf-8")  # a real target
    run_js(qtbot, pane.page, "document.querySelector('.article-content a').click(); true")
    qtbot.wait(300)
    assert run_js(qtbot, pane.page, "document.querySelector('h1').textContent") == "链接"
    assert pane.page.url() == QUrl.fromLocalFile(str(pane.site_folder / "preview" / f"{article.uuid}.html"))


def test_the_scroll_position_is_kept_while_the_same_article_changes(qtbot, pane, store):
    long_body = "\n\n".join(f"第{n}段。这是一段足够长的正文,用来让页面可以滚动。" * 3 for n in range(150))
    article = text_only(store, title="长文章", body=long_body)
    show(qtbot, pane, article)
    run_js(qtbot, pane.page, "window.scrollTo(0, 1500); true")
    qtbot.waitUntil(lambda: pane.page.scrollPosition().y() == 1500, timeout=5000)

    show(qtbot, pane, replace(article, title="长文章(改)"))
    assert run_js(qtbot, pane.page, "document.querySelector('h1').textContent") == "长文章(改)"
    assert run_js(qtbot, pane.page, "window.scrollY") == 1500

    other = text_only(store, title="另一篇", body=long_body)
    show(qtbot, pane, other)
    assert run_js(qtbot, pane.page, "window.scrollY") == 0  # another article starts at the top


def test_calls_during_a_load_are_coalesced_to_the_newest(qtbot, pane, store):
    article = text_only(store, title="版本0", body="正文。")
    loads = []
    pane.page.loadFinished.connect(lambda ok: loads.append(ok))
    for version in range(1, 6):
        pane.show_article(replace(article, title=f"版本{version}"))
    assert pane.is_loading()
    qtbot.waitUntil(lambda: len(loads) == 2 and not pane.is_loading(), timeout=RENDER_TIMEOUT)
    qtbot.wait(200)
    assert len(loads) == 2  # 版本1 (started at once), then only 版本5
    assert run_js(qtbot, pane.page, "document.querySelector('h1').textContent") == "版本5"


def test_an_unchanged_article_is_not_loaded_again_but_rendered_still_comes(qtbot, pane, store):
    article = text_only(store, title="不变", body="正文。")
    show(qtbot, pane, article)
    loads = []
    pane.page.loadFinished.connect(lambda ok: loads.append(ok))
    show(qtbot, pane, article)
    assert loads == []


def test_phone_width_centres_a_390_px_page_and_desktop_fills_the_pane(qtbot, pane, store):
    show(qtbot, pane, text_only(store, title="手机", body="正文。"))
    with qtbot.waitSignal(pane.phone_width_changed) as changed:
        pane.phone_button.click()
    assert changed.args == [True] and pane.is_phone_width()
    frame = pane.view.parentWidget()
    # centred in the pane
    qtbot.waitUntil(lambda: pane.view.width() == PHONE_WIDTH
                    and abs(pane.view.x() - (frame.width() - PHONE_WIDTH) / 2) <= 1)
    # The page's own width is 390 CSS px: no desktop scroll bar takes a part of it.
    long_body = "\n\n".join(["手机上的一段正文。"] * 200)
    show(qtbot, pane, text_only(store, title="手机长文", body=long_body))
    width = "document.documentElement.clientWidth + ',' + window.innerWidth"
    qtbot.waitUntil(lambda: run_js(qtbot, pane.page, width) == f"{PHONE_WIDTH},{PHONE_WIDTH}", timeout=5000)

    pane.desktop_button.click()
    assert not pane.is_phone_width()
    qtbot.waitUntil(lambda: pane.view.width() == frame.width())
    assert frame.width() > 900
    # Switching back on a page already shown: the scroll bar goes again.
    pane.set_phone_width(True)
    qtbot.waitUntil(lambda: run_js(qtbot, pane.page, width) == f"{PHONE_WIDTH},{PHONE_WIDTH}", timeout=5000)


def test_new_site_settings_show_at_once(qtbot, pane, store):
    article = text_only(store, title="站名", body="正文。")
    show(qtbot, pane, article)
    with qtbot.waitSignal(pane.rendered, timeout=RENDER_TIMEOUT):
        pane.set_site(replace(load_site_settings(store.db), site_name="测试新闻网"))
    assert run_js(qtbot, pane.page, "document.title") == "站名 - 测试新闻网"


def test_a_page_beyond_sethtml_s_limit_is_loaded_from_the_preview_folder(qtbot, pane, store):
    body = "\n\n".join(["很长的文章。" * 50] * 1000) + "\n\n结尾标记在此。"
    article = text_only(store, title="超长", body=body)
    assert not fits_in_set_html(PortalRenderer(load_site_settings(store.db)).article_page(article))
    show(qtbot, pane, article)
    assert run_js(qtbot, pane.page, "document.body.innerText.includes('结尾标记在此')") is True
    # An article without a number is previewed as preview/<uuid>.html (its links are relative to that).
    assert (pane.site_folder / "preview" / f"{article.uuid}.html").is_file()


def test_sethtml_limit_counts_escaped_bytes():
    assert fits_in_set_html("a" * 1_000_000)
    assert not fits_in_set_html("中" * 300_000)  # 900 KB of UTF-8, 2.7 MB percent-encoded
    assert not fits_in_set_html(" " * 800_000)


def test_an_unwritable_cache_folder_is_reported_and_the_page_still_shows(qtbot, make_pane, sample, tmp_path):
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder")
    pane = make_pane(blocker)
    show(qtbot, pane, sample)
    assert "cannot be written" in pane.status_label.text()
    assert run_js(qtbot, pane.page, "document.querySelector('h1').textContent") == sample.title


def test_render_to_loaded_time_for_the_sample(qtbot, pane, sample):
    show(qtbot, pane, sample)  # first load starts QtWebEngine's renderer process
    # The photo's rendition made and the page shown again with it (that render is loading until then).
    qtbot.waitUntil(lambda: not pane._making and not pane.is_loading(), timeout=RENDER_TIMEOUT)
    qtbot.wait(300)
    for n in range(5):  # each edit is loaded (how fast: see last_load_seconds; timing belongs in benchmarks)
        edited = replace(sample, title=f"{sample.title}{n}")
        show(qtbot, pane, edited)
        assert run_js(qtbot, pane.page, "document.querySelector('h1').textContent") == edited.title
        assert pane.last_load_seconds is not None


def test_a_slow_render_does_not_block_the_ui_thread(qtbot, pane, store):
    heavy = text_only(store, title="长而复杂", body="**重点**内容,第一段。\n\n" * 4000)  # ~1 s in python-markdown
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    try:
        with qtbot.waitSignal(pane.rendered, timeout=60_000):
            pane.show_article(heavy)
            ticks_when_returned = len(ticks)
            assert pane.is_loading()  # handed to a job: show_article returned before the page was made
    finally:
        timer.stop()
    assert len(ticks) - ticks_when_returned > 10  # the event loop kept running while the page was rendered
    assert run_js(qtbot, pane.page, "document.querySelectorAll('.article-content strong').length") == 4000


def test_an_article_that_cannot_be_rendered_is_reported_and_the_next_one_shows(qtbot, pane, store):
    article = text_only(store, title="好", body="正文。")
    broken = replace(article, published_at="2022-12-13 14:46")  # a wrong type from a careless caller
    show(qtbot, pane, article)
    pane.show_article(broken)
    qtbot.waitUntil(lambda: "The page cannot be shown" in pane.status_label.text() and not pane.is_loading())
    assert run_js(qtbot, pane.page, "document.querySelector('h1').textContent") == "好"  # the last good page stays
    show(qtbot, pane, replace(article, title="又好了"))
    assert pane.status_label.text() == ""
    assert run_js(qtbot, pane.page, "document.querySelector('h1').textContent") == "又好了"


def test_refresh_retries_a_photo_that_was_missing(qtbot, pane, store, sample):
    link = sample.photos[0]
    original = store.photos.photo_bytes(link.photo.sha256)
    late = store.create_article(title="迟到的照片", channel_path="gsyl/lzgs", status="draft", body="正文。")
    data = jpeg_bytes(800, 600, color=(20, 120, 60))
    assert data != original
    sha = hashlib.sha256(data).hexdigest()
    photo = replace(link.photo, sha256=sha, web_name="2026/01/" + sha[:16], width=800, height=600)
    record = replace(late, photos=(replace(link, photo=photo),), body=f"![图](photo:{sha})\n\n正文。")
    show(qtbot, pane, record)  # the photo is not in the store yet (still being imported, say)
    qtbot.waitUntil(lambda: "cannot be shown" in pane.status_label.text(), timeout=RENDER_TIMEOUT)

    store.photos.add_photo(data, format="JPEG", width=800, height=600, web_name=photo.web_name)
    pane.refresh()
    img = "(document.querySelector('p.photo img') || {}).naturalWidth || 0"
    qtbot.waitUntil(lambda: not pane.is_loading() and run_js(qtbot, pane.page, img) == 800, timeout=RENDER_TIMEOUT)
    assert pane.status_label.text() == ""


class _SlowPhotoLibrary(PhotoLibrary):
    """The real photo library, except that reading a photo's original waits until the test says so."""

    def __init__(self, store: Store, gate: threading.Event) -> None:
        super().__init__(store)
        self.gate = gate

    def photo_bytes(self, sha256: str) -> bytes:
        assert self.gate.wait(30)
        return super().photo_bytes(sha256)


class _SlowPhotoStore(Store):
    """The real store, except that reading a photo's original waits until the test says so."""

    def __init__(self, database, gate: threading.Event) -> None:
        super().__init__(database, user_name="tester")
        self.photos = _SlowPhotoLibrary(self, gate)


def test_the_page_shows_at_once_and_the_photo_follows_when_its_rendition_is_ready(qtbot, store, sample, tmp_path):
    gate = threading.Event()
    slow = _SlowPhotoStore(store.db, gate)
    pane = PreviewPane(slow, load_site_settings(store.db), tmp_path / "cache")
    try:
        pane.resize(1000, 700)
        pane.show()
        show(qtbot, pane, sample)  # rendered while the rendition is still being made
        img = "(document.querySelector('p.photo img') || {}).naturalWidth || 0"
        assert run_js(qtbot, pane.page, img) == 0
        assert run_js(qtbot, pane.page, "document.querySelector('p.caption').textContent").startswith("图为")
        assert "Preparing 1 photo(s)" in pane.status_label.text()
        with qtbot.waitSignal(pane.rendered, timeout=RENDER_TIMEOUT):
            gate.set()
        qtbot.waitUntil(lambda: run_js(qtbot, pane.page, img) > 0, timeout=RENDER_TIMEOUT)
        assert pane.status_label.text() == ""
    finally:
        gate.set()
        pane.close()
        shiboken6.delete(pane)


def test_the_pane_never_forces_a_minimum_width_on_the_window_s_splitter(qtbot, pane):
    pane.status_label.setText("A photo cannot be shown (uploads/2026/11/38969b82c653ec87-1200.jpg): " * 3)
    pane._toolbar.layout().invalidate()
    assert pane.minimumSizeHint().width() < 50
    pane.resize(120, 400)  # narrower than its buttons: they are clipped, nothing breaks
    qtbot.waitUntil(lambda: pane.width() == 120)


def test_new_site_settings_during_the_first_render_still_reach_the_page(qtbot, pane, store):
    from dataclasses import replace as replace_settings

    plain = text_only(store, title="没有图片", body="正文。")  # no photo: nothing renders it again later
    pane.show_article(plain)  # first render in flight, nothing shown yet
    assert pane.shown_article() is None
    pane.set_site(replace_settings(pane._site, site_name="改名后的网站"))
    qtbot.waitUntil(lambda: "改名后的网站" in (pane.shown_html() or ""), timeout=RENDER_TIMEOUT)
