"""The export's report: an article it cannot export is named by its number and the real reason,
and the pre-publish checks of the articles it renders are listed per article by number."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.store import Store
from tests.core.export.sitekit import add_photo, edit, export, publish, site_files
from tests.helpers import run_cli


@pytest.fixture
def newsroom(store: Store) -> Store:
    store.create_channel("gsyl", "故事原乡")
    return store


def test_an_article_without_a_channel_is_named_by_number_and_reason(newsroom: Store, tmp_path):
    publish(newsroom, 501, "gsyl", hour=1, summary="提要")
    lost = newsroom.create_article(title="无处安放的文章", body="正文。", status="published", number=353)
    assert lost.channel_path is None
    report = export(newsroom, tmp_path / "site")
    assert report.warnings == ["#353: 未导出：没有栏目（已发布的文章需要编号和栏目才有页面地址）"]
    assert f"article {lost.id}" not in " ".join(report.warnings)
    assert "gsyl/501.html" in site_files(tmp_path / "site")


def test_rendered_articles_report_their_findings_by_number(newsroom: Store, tmp_path):
    narrow = add_photo(newsroom, 640, 480, caption="小图", photographer="马向英")
    publish(newsroom, 501, "gsyl", hour=1, summary="提要")
    publish(newsroom, 502, "gsyl", hour=2, photos=(narrow,))
    report = export(newsroom, tmp_path / "site")
    assert report.checks == [
        "#502: 提醒：没有摘要：列表页和搜索结果将不显示内容提要",
        "#502: 提醒：第 1 张图片（小图）宽 640 像素，页面需要 1200 像素，显示时会被放大而发虚",
    ]
    # Nothing changed: nothing rendered, nothing to report again.
    assert export(newsroom, tmp_path / "site").checks == []
    edit(newsroom, 502, summary="补上提要")
    assert [line[:6] for line in export(newsroom, tmp_path / "site").checks] == ["#502: "]


def test_a_selection_export_checks_each_chosen_article_even_when_unchanged(newsroom: Store, tmp_path):
    publish(newsroom, 501, "gsyl", hour=1)
    publish(newsroom, 502, "gsyl", hour=2, summary="提要")
    export(newsroom, tmp_path / "site")
    report = export(newsroom, tmp_path / "site", only_numbers=[501, 502])
    assert report.written == []
    assert report.checks == ["#501: 提醒：没有摘要：列表页和搜索结果将不显示内容提要"]


def test_a_published_article_with_a_photo_line_but_no_photo_is_reported_as_blocking(newsroom: Store, tmp_path):
    photo = add_photo(newsroom, 1600, 1000, caption="车辆", photographer="马向英")
    article = publish(newsroom, 501, "gsyl", hour=1, summary="提要", photos=(photo,))
    newsroom.photos.set_article_photos(article.id, [])
    report = export(newsroom, tmp_path / "site")
    [line] = report.checks
    assert line.startswith("#501: 不能发布：正文中的图片（车辆）")


def test_the_command_line_prints_findings_per_article_number(tmp_path, capsys):
    db = ["--db", str(tmp_path / "newsroom.sqlite3")]
    assert run_cli(capsys, *db, "sample")[0] == 0
    from dayuan_desktop.core.db import open_database

    store = Store(open_database(tmp_path / "newsroom.sqlite3", backup_dir=tmp_path / "b"), user_name="t")
    edit(store, 4709, summary="")
    store.create_article(title="无处安放的文章", body="正文。", status="published", number=353)
    store.db.dispose()
    code, out, err = run_cli(capsys, *db, "export", "--out", str(tmp_path / "site"), "--quiet")
    assert code == 0
    assert "#4709: 提醒：没有摘要：列表页和搜索结果将不显示内容提要" in err.splitlines()
    assert "warning: #353: 未导出：没有栏目（已发布的文章需要编号和栏目才有页面地址）" in err.splitlines()
    assert out.splitlines()[-1].endswith("0 unchanged, 0 removed")


def test_pages_rendered_by_the_page_worker_are_checked_too(tmp_path):
    from dayuan_desktop.core.export import SiteExporter
    from tests.core.export.sitekit import SMALL_SITE, open_sqlite_store

    store = open_sqlite_store(tmp_path / "db" / "newsroom.sqlite3")  # a file: the worker opens it too
    try:
        store.create_channel("gsyl", "故事原乡")
        for number in range(501, 531):
            publish(store, number, "gsyl", hour=number - 500, summary="" if number % 2 else "提要")
        report = SiteExporter(store, SMALL_SITE, tmp_path / "site", workers=2, parallel_pages_from=1, page_worker=True).run()
    finally:
        store.db.dispose()
    assert report.pages_by_worker > 0  # the worker did render some of them
    expected = sorted(f"#{n}: 提醒：没有摘要：列表页和搜索结果将不显示内容提要" for n in range(501, 531, 2))
    assert sorted(report.checks) == expected
