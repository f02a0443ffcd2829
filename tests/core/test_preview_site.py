"""The preview's site folder: static files and renditions where the page looks for them, as export makes them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.preview_site import PreviewSite
from dayuan_desktop.core.render import PortalRenderer
from dayuan_desktop.core.resources import portal_template_dir
from dayuan_desktop.core.sample import load_sample
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store


@pytest.fixture
def sample(tmp_path):
    database = open_database(tmp_path / "n.sqlite3", backup_dir=tmp_path / "backups")
    store = Store(database)
    load_sample(store)
    yield store, store.find_article("4709")
    database.dispose()


def test_static_files_are_copied_once(tmp_path):
    site = PreviewSite(tmp_path / "preview")
    assert site.sync_static() == ["static/portal.css"]
    css = (tmp_path / "preview" / "static" / "portal.css").read_bytes()
    assert css == (portal_template_dir() / "static" / "portal.css").read_bytes()
    assert site.sync_static() == []  # unchanged: nothing written again


def test_the_renditions_the_page_refers_to_are_made_like_the_export_makes_them(sample, tmp_path):
    store, article = sample
    settings = SiteSettings()
    site = PreviewSite(tmp_path / "preview")
    tasks = site.missing_renditions(article, settings.rendition_width)
    assert len(tasks) == 1
    page = PortalRenderer(settings).article_page(article)
    assert f'src="../../{tasks[0].path}"' in page  # the page's own relative path to it

    site.make_rendition(store, tasks[0], settings.rendition_width)
    assert site.missing_renditions(article, settings.rendition_width) == []
    SiteExporter(store, settings, tmp_path / "site").run()
    assert (tmp_path / "preview" / tasks[0].path).read_bytes() == (tmp_path / "site" / tasks[0].path).read_bytes()
    # Another size is another file (the page refers to it by its width).
    assert len(site.missing_renditions(article, 640)) == 1


def test_page_location_and_large_pages(sample, tmp_path):
    _store, article = sample
    site = PreviewSite(tmp_path / "preview")
    assert site.page_file(article) == tmp_path / "preview" / "gsyl" / "lzgs" / "4709.html"
    draft = replace(article, number=None)
    written = site.write_page(draft, "<p>预览</p>")
    assert written == tmp_path / "preview" / "preview" / f"{article.uuid}.html"
    assert written.read_text(encoding="utf-8") == "<p>预览</p>"


def test_a_photo_name_that_would_leave_the_folder_is_refused(sample, tmp_path):
    _store, article = sample
    link = article.photos[0]
    evil = replace(article, photos=(replace(link, photo=replace(link.photo, web_name="../../../etc/x")),))
    with pytest.raises(ValidationError):
        PreviewSite(tmp_path / "preview").missing_renditions(evil, 1200)


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ValidationError, match="cannot create"):
        PreviewSite(blocker / "preview").sync_static()
