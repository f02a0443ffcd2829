"""Hostile and unlucky import inputs (issue 15, items 4, 5 and 7): each is a clear one-line error
for that file only, stores nothing, and never stops the files after it.

Files that could hang a broken importer (named pipes) are imported in a subprocess with a
time limit in tests/test_cli_import_hostile.py; everything here returns by itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dayuan_desktop.core.interchange.markdown_files import import_markdown_file, import_markdown_files
from dayuan_desktop.core.interchange.portal_pages import import_portal_page
from dayuan_desktop.core.models import Article, Photo
from dayuan_desktop.core.store import Store
from tests.helpers import jpeg_bytes, write_markdown


def _counts(store: Store) -> tuple[int, int]:
    with store.db.session() as session:
        return session.scalar(select(func.count(Article.id))), session.scalar(select(func.count(Photo.id)))


def _laughs(key: str, levels: int = 9) -> str:
    """A YAML "billion laughs": nine aliases per level, 9**levels items once expanded."""
    lines = ['l0: &l0 ["哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈"]']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\n{key}: *l{levels}\n"


HOSTILE_FRONT_MATTER = {
    "number-superscript-two": ('title: 标题\nnumber: "²"\n', "front matter 'number'"),
    "number-arabic-indic": ('title: 标题\nnumber: "٣"\n', "not a whole number"),
    "date-year-one": ("title: 标题\ndate: 0001-01-01 00:00:00\n", "front matter 'date'"),
    "nested-20000-deep": ("title: " + "[" * 20_000 + "]" * 20_000 + "\n", "nests"),
    "nested-mappings": ("title: 标题\nsummary: " + "{a: " * 3_000 + "1" + "}" * 3_000 + "\n", "nests"),
    "anchor-bomb-as-title": (_laughs("title"), "alias"),
    "anchor-bomb-as-number": ("title: 标题\n" + _laughs("number"), "alias"),
    "huge-front-matter": ("title: 标题\nsummary: " + "长" * 70_000 + "\n", "the limit is"),
    "title-as-list": ("title: [一, 二]\n", "front matter 'title': title must be text, not list"),
    "tags-as-dict": ("title: 标题\ntags: {防控: 1}\n", "front matter 'tags'"),
    "status-unknown": ("title: 标题\nstatus: 已发布\n", "status must be one of"),
    "channel-dot-dot": ("title: 标题\nchannel: gsyl/../../etc\n", "channel path"),
    "channel-as-list": ("title: 标题\nchannel: [gsyl]\n", "front matter 'channel'"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FRONT_MATTER))
def test_hostile_front_matter_is_one_line_for_that_file(store, tmp_path, case):
    front, expected = HOSTILE_FRONT_MATTER[case]
    path = write_markdown(tmp_path, front=front)
    outcome = import_markdown_file(store, path, create_channels=True)
    assert not outcome.ok
    assert expected in outcome.error
    assert outcome.error.startswith(str(path)) and "\n" not in outcome.error
    assert len(outcome.error) < 400
    assert _counts(store) == (0, 0)


def test_a_batch_with_every_hostile_file_imports_the_good_ones(store, tmp_path):
    (tmp_path / "p.jpg").write_bytes(jpeg_bytes())
    paths = [write_markdown(tmp_path, "good-1.md", front="title: 好的一\n", body="![图](p.jpg)\n")]
    for index, case in enumerate(sorted(HOSTILE_FRONT_MATTER)):
        paths.append(write_markdown(tmp_path, f"bad-{index}.md", front=HOSTILE_FRONT_MATTER[case][0]))
    (tmp_path / "folder.md").mkdir()
    paths.append(tmp_path / "folder.md")
    paths.append(write_markdown(tmp_path, "zero.md", front="title: 零\n", body="![零](/dev/zero)\n"))
    paths.append(write_markdown(tmp_path, "good-2.md", front="title: 好的二\n"))
    outcomes = import_markdown_files(store, paths, create_channels=True)
    assert [o.ok for o in outcomes] == [True] + [False] * (len(paths) - 2) + [True]
    assert {a.title for a in store.list_articles().items} == {"好的一", "好的二"}
    assert all("\n" not in o.error for o in outcomes if not o.ok)


def test_a_folder_given_as_a_file(store, tmp_path):
    folder = tmp_path / "articles.md"
    folder.mkdir()
    outcome = import_markdown_file(store, folder)
    assert not outcome.ok and "is not a regular file (a folder)" in outcome.error
    page = tmp_path / "page.html"
    page.mkdir()
    outcome = import_portal_page(store, page)
    assert not outcome.ok and "is not a regular file (a folder)" in outcome.error


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_image_line_at_an_endless_device_is_refused_without_reading_it(store, tmp_path, device):
    # With --allow-outside the device is refused as "not a regular file": tests/test_cli_import_hostile.py
    # (in a subprocess, since a broken importer would read it until memory runs out).
    path = write_markdown(tmp_path, front="title: 标题\n", body=f"![无尽]({device})\n")
    outcome = import_markdown_file(store, path)
    assert not outcome.ok and "points outside the folder" in outcome.error and device in outcome.error
    assert _counts(store) == (0, 0)


def test_image_line_at_a_folder(store, tmp_path):
    (tmp_path / "photos").mkdir()
    outcome = import_markdown_file(store, write_markdown(tmp_path, front="title: 标题\n", body="![夹](photos)\n"))
    assert not outcome.ok and "is not a regular file (a folder)" in outcome.error and "line 1" in outcome.error


def test_image_over_the_photo_limit_is_refused_before_reading(store, tmp_path):
    big = tmp_path / "big.jpg"
    with open(big, "wb") as handle:
        handle.truncate(81 * 2**20)  # sparse: takes no room
    outcome = import_markdown_file(store, write_markdown(tmp_path, front="title: 标题\n", body="![大](big.jpg)\n"))
    assert not outcome.ok and "photos over 80 MB are refused" in outcome.error


# -- reading outside the import folder ----------------------------------------------------------------


@pytest.fixture
def private_photo(tmp_path) -> Path:
    """A photo outside the folder the articles are imported from."""
    private = tmp_path / "private"
    private.mkdir()
    photo = private / "secret.jpg"
    photo.write_bytes(jpeg_bytes(300, 200, (1, 2, 3)))
    return photo


@pytest.mark.parametrize("how", ["absolute", "dot-dot", "symlink"])
def test_image_outside_the_import_folder_is_refused_and_named(store, tmp_path, private_photo, how):
    folder = tmp_path / "in"
    (folder / "photos").mkdir(parents=True)
    src = {"absolute": str(private_photo), "dot-dot": "../private/secret.jpg", "symlink": "photos/link.jpg"}[how]
    if how == "symlink":
        (folder / "photos" / "link.jpg").symlink_to(private_photo)
    path = write_markdown(folder, front="title: 标题\n", body=f"正文。\n\n![私](<{src}>)\n")
    outcome = import_markdown_file(store, path)
    assert not outcome.ok
    assert "points outside the folder" in outcome.error and str(private_photo) in outcome.error
    assert "--allow-outside" in outcome.error and "\n" not in outcome.error
    assert _counts(store) == (0, 0)
    allowed = import_markdown_file(store, path, allow_outside=True)
    assert allowed.ok, allowed.error
    assert len(allowed.article.photos) == 1


def test_images_inside_the_folder_and_below_still_import(store, tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.jpg").write_bytes(jpeg_bytes(200, 100))
    (tmp_path / "a" / "inside.jpg").symlink_to(tmp_path / "a" / "b" / "deep.jpg")
    body = "![深](a/b/deep.jpg)\n\n![链](a/inside.jpg)\n\n![绕](a/b/../b/deep.jpg)\n"
    outcome = import_markdown_file(store, write_markdown(tmp_path, front="title: 标题\n", body=body))
    assert outcome.ok, outcome.error


WIDENING_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>页</title>
<link rel="canonical" href="http://www.shanxidayuan.com/me/downloads/4709.html"></head>
<body><article class="article"><h1 class="article-title">扩大站点目录的页面</h1>
<div class="article-content">
<p><img src="../../private/secret.jpg" alt="私人照片"></p>
<p>正文。</p>
</div></article></body></html>
"""


def test_portal_page_cannot_widen_its_site_folder_through_its_address(store, tmp_path, private_photo):
    # The page sits in home/me/downloads and claims the channel me/downloads: its "site folder"
    # would be home/, where the private photo lies (tmp_path/private is moved under home/).
    home = tmp_path / "home"
    (home / "me" / "downloads").mkdir(parents=True)
    (home / "private").mkdir()
    private_photo.rename(home / "private" / "secret.jpg")
    page = home / "me" / "downloads" / "4709.html"
    page.write_text(WIDENING_PAGE, encoding="utf-8")
    outcome = import_portal_page(store, page, create_channels=True)
    assert not outcome.ok
    assert "points outside the site folder" in outcome.error and str(home / "private" / "secret.jpg") in outcome.error
    assert _counts(store) == (0, 0)
    allowed = import_portal_page(store, page, create_channels=True, allow_outside=True)
    assert allowed.ok, allowed.error
    assert len(allowed.article.photos) == 1


def test_portal_photo_that_is_a_device_link_is_refused(store, tmp_path):
    site = tmp_path / "site"
    (site / "me" / "downloads").mkdir(parents=True)
    (site / "uploads").mkdir()
    os.symlink("/dev/zero", site / "uploads" / "zero.jpg")
    page = site / "me" / "downloads" / "4709.html"
    page.write_text(WIDENING_PAGE.replace("../../private/secret.jpg", "/uploads/zero.jpg"), encoding="utf-8")
    outcome = import_portal_page(store, page, create_channels=True, allow_outside=True)
    assert not outcome.ok and "is not a regular file (a device)" in outcome.error


def test_a_failure_no_check_foresaw_is_still_one_line_and_the_batch_goes_on(store, tmp_path):
    # A NUL byte in an image path makes the operating system's path calls raise ValueError:
    # no check names it, the per-file backstop does.
    strange = write_markdown(tmp_path, "nul.md", front="title: 空字符\n", body="![图](a\x00b.jpg)\n")
    good = write_markdown(tmp_path, "good.md", front="title: 好的\n")
    outcomes = import_markdown_files(store, [strange, good])
    assert [o.ok for o in outcomes] == [False, True]
    assert outcomes[0].error == f"{strange}: cannot be imported (ValueError: embedded null byte); nothing of it was stored"
    assert _counts(store) == (1, 0)
