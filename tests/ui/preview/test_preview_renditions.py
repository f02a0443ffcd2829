"""The preview pane shows the export's page and the export's renditions (PNG included), from the cache."""

from __future__ import annotations

import pytest
import shiboken6

from dayuan_desktop.core import preview_site
from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.photos.incoming import add_photos_to_article
from dayuan_desktop.core.site import load_site_settings
from dayuan_desktop.ui.preview import PreviewPane
from tests.helpers import png_bytes
from tests.ui.preview.kit import run_js, sample_store

RENDER_TIMEOUT = 15_000  # the first page also starts QtWebEngine's processes
LOADED_IMAGES = "Array.from(document.querySelectorAll('p.photo img')).filter(i => i.naturalWidth > 0).length"


@pytest.fixture
def store(tmp_path):
    store = sample_store(tmp_path)
    add_photos_to_article(store, "4709", [png_bytes(300, 200)], caption="示意图")  # a graphic: its rendition is PNG
    yield store
    store.db.dispose()


@pytest.fixture
def pane(qtbot, store, tmp_path):
    pane = PreviewPane(store, load_site_settings(store.db), tmp_path / "cache" / "preview",
                       renditions_dir=tmp_path / "cache")
    pane.resize(1000, 700)
    pane.show()
    qtbot.waitExposed(pane)
    yield pane
    pane.close()
    shiboken6.delete(pane)  # now: QtWebEngine warns when a profile outlives the application


def _exported(tmp_path, path: str) -> bytes:
    return (tmp_path / "site" / path).read_bytes()


def test_after_an_export_the_pane_shows_its_page_and_photos_without_making_any(qtbot, pane, store, tmp_path):
    site = load_site_settings(store.db)
    SiteExporter(store, site, tmp_path / "site", cache_dir=tmp_path / "cache").run()
    article = store.find_article("4709")
    with qtbot.waitSignal(pane.rendered, timeout=RENDER_TIMEOUT):
        pane.show_article(article)
    assert pane.shown_html().encode("utf-8") == _exported(tmp_path, "gsyl/lzgs/4709.html")
    assert pane.status_label.text() == ""  # no "Preparing photos…": both came from the cache
    assert run_js(qtbot, pane.page, LOADED_IMAGES) == 2
    assert ".png" in pane.shown_html()
    for link in article.photos:
        path = next(p for p in (tmp_path / "site" / "uploads").rglob(f"{link.photo.web_name.rsplit('/', 1)[1]}-*"))
        relative = path.relative_to(tmp_path / "site").as_posix()
        assert (pane.site_folder / relative).read_bytes() == path.read_bytes()


def test_renditions_the_pane_makes_are_the_ones_the_export_then_uses(qtbot, pane, store, tmp_path):
    article = store.find_article("4709")
    pane.show_article(article)  # a cold cache: the page shows at once, the photos follow
    qtbot.waitUntil(lambda: not pane.is_loading() and run_js(qtbot, pane.page, LOADED_IMAGES) == 2,
                    timeout=RENDER_TIMEOUT)
    report = SiteExporter(store, load_site_settings(store.db), tmp_path / "site", cache_dir=tmp_path / "cache").run()
    assert report.renditions_made == 0
    assert pane.shown_html().encode("utf-8") == _exported(tmp_path, "gsyl/lzgs/4709.html")


def _cache_files(tmp_path) -> dict:
    folder = tmp_path / "cache" / "renditions"
    return {file: (file.stat().st_ino, file.stat().st_mtime_ns) for file in folder.rglob("*") if file.is_file()}


def test_the_pane_makes_no_rendition_the_export_cache_holds(qtbot, pane, store, tmp_path, monkeypatch):
    SiteExporter(store, load_site_settings(store.db), tmp_path / "site", cache_dir=tmp_path / "cache").run()
    before = _cache_files(tmp_path)
    made = []  # the real rendition function, counted (it still runs if called)
    real = preview_site.make_web_rendition
    monkeypatch.setattr(preview_site, "make_web_rendition", lambda *a, **k: made.append(a) or real(*a, **k))
    article = store.find_article("4709")
    with qtbot.waitSignal(pane.rendered, timeout=RENDER_TIMEOUT):
        pane.show_article(article)
    qtbot.wait(200)  # a rendition job, had one been started, would have been queued by now
    assert made == []
    assert _cache_files(tmp_path) == before  # nothing in the cache was made or rewritten
    assert run_js(qtbot, pane.page, LOADED_IMAGES) == 2
