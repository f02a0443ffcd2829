"""Channel edits on both backends: create, rename, path change (with redirects), move, reorder,
and every refusal leaving the tree as it was."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.channel_edits import AddressChangeUnconfirmed
from dayuan_desktop.core.errors import DuplicateError, NotFoundError, ValidationError
from dayuan_desktop.core.store import Store


def _tree(store: Store) -> dict[str, str]:
    return {c.path: c.name for c in store.list_channels()}


def _publish(store: Store, number: int, channel: str, status: str = "published") -> int:
    return store.create_article(title=f"文章{number}", body="正文", channel_path=channel, number=number,
                                status=status).id


def _redirects(store: Store) -> list[tuple[str, str]]:
    return [(old, new) for old, _id, new in store.redirects()]


def test_create_rename_and_children(store: Store):
    top = store.channels.create("wlty", "文旅体育")
    child = store.channels.create("jqhd", "节庆活动", parent_id=top.id)
    assert (child.path, child.parent_id) == ("wlty/jqhd", top.id)
    renamed = store.channels.rename(child.id, "  节庆 活动  ")
    assert renamed.name == "节庆 活动" and renamed.path == "wlty/jqhd"
    assert _tree(store) == {"wlty": "文旅体育", "wlty/jqhd": "节庆 活动"}


@pytest.mark.parametrize(
    ("segment", "name", "message"),
    [
        ("WLTY", "文旅", "not valid"),
        ("a/b", "文旅", "no '/'"),
        ("", "文旅", "not valid"),
        ("x" * 61, "文旅", "not valid"),
        ("wlty", "   ", "cannot be empty"),
        ("wlty", "文" * 61, "at most 60"),
        ("wlty", "文旅\n体育", "line breaks"),
    ],
)
def test_bad_segment_or_name_is_refused_in_one_line(store: Store, segment, name, message):
    with pytest.raises(ValidationError, match=message) as caught:
        store.channels.create(segment, name)
    assert "\n" not in str(caught.value)
    assert _tree(store) == {}


def test_duplicate_path_refused_on_create_rename_and_move(store: Store):
    a = store.channels.create("a", "甲")
    b = store.channels.create("b", "乙")
    store.channels.create("x", "子", parent_id=a.id)
    bx = store.channels.create("x", "子二", parent_id=b.id)
    with pytest.raises(DuplicateError, match="a channel with path a already exists"):
        store.channels.create("a", "又一个甲")
    with pytest.raises(DuplicateError, match="path b already exists"):
        store.channels.set_segment(a.id, "b")
    with pytest.raises(DuplicateError, match="path a/x already exists"):
        store.channels.move(bx.id, a.id)
    assert _tree(store) == {"a": "甲", "b": "乙", "a/x": "子", "b/x": "子二"}


def test_move_refuses_cycles(store: Store):
    a = store.channels.create("a", "甲")
    b = store.channels.create("b", "乙", parent_id=a.id)
    c = store.channels.create("c", "丙", parent_id=b.id)
    for target in (a.id, b.id, c.id):
        with pytest.raises(ValidationError, match="cannot be moved under itself or its subchannel"):
            store.channels.move(a.id, target)
    assert set(_tree(store)) == {"a", "a/b", "a/b/c"}


def test_move_carries_subchannels_and_unknown_ids_are_named(store: Store):
    a = store.channels.create("a", "甲")
    b = store.channels.create("b", "乙", parent_id=a.id)
    store.channels.create("c", "丙", parent_id=b.id)
    d = store.channels.create("d", "丁")
    moved = store.channels.move(b.id, d.id)
    assert (moved.path, moved.parent_id) == ("d/b", d.id)
    assert set(_tree(store)) == {"a", "d", "d/b", "d/b/c"}
    top = store.channels.move(b.id, None)
    assert (top.path, top.parent_id) == ("b", None)
    with pytest.raises(NotFoundError, match="no channel 999"):
        store.channels.rename(999, "无")


def test_reorder_among_siblings(store: Store):
    ids = [store.channels.create(s, n).id for s, n in (("a", "甲"), ("b", "乙"), ("c", "丙"))]
    store.channels.shift(ids[2], -1)
    store.channels.shift(ids[0], +1)
    store.channels.shift(ids[0], +5)  # past the end: last
    order = sorted(store.list_channels(), key=lambda c: c.position)
    assert [c.path for c in order] == ["c", "b", "a"]


def test_path_change_of_published_channel_needs_confirmation_and_writes_redirects(store: Store):
    top = store.channels.create("wlty", "文旅体育")
    sub = store.channels.create("jqhd", "节庆活动", parent_id=top.id)
    _publish(store, 4709, "wlty/jqhd")
    _publish(store, 4710, "wlty")
    store.create_article(title="草稿", channel_path="wlty/jqhd")  # a draft has no address yet
    assert store.channels.preview_segment(top.id, "wenlv").published == 2
    with pytest.raises(AddressChangeUnconfirmed, match="changes the address of 2 published article"):
        store.channels.set_segment(top.id, "wenlv")
    assert _redirects(store) == [] and set(_tree(store)) == {"wlty", "wlty/jqhd"}

    store.channels.set_segment(top.id, "wenlv", confirmed=True)
    assert set(_tree(store)) == {"wenlv", "wenlv/jqhd"}
    assert store.find_article("4709").channel_path == "wenlv/jqhd"
    assert _redirects(store) == [("wlty/4710.html", "wenlv/4710.html"), ("wlty/jqhd/4709.html", "wenlv/jqhd/4709.html")]

    # Moving back: the article owns its first address again, and the second one redirects.
    store.channels.move(sub.id, None, confirmed=True)
    store.channels.set_segment(sub.id, "x", confirmed=True)
    assert ("jqhd/4709.html", "x/4709.html") in _redirects(store)
    assert ("wlty/jqhd/4709.html", "x/4709.html") in _redirects(store)


def test_channel_without_published_articles_changes_path_without_asking(store: Store):
    a = store.channels.create("a", "甲")
    store.create_article(title="草稿", channel_path="a")
    assert store.channels.set_segment(a.id, "b").path == "b"
    assert _redirects(store) == []


def test_rename_keeps_every_address(store: Store):
    a = store.channels.create("a", "甲")
    _publish(store, 1, "a")
    store.channels.rename(a.id, "新名字")
    assert _redirects(store) == [] and store.find_article("1").channel_path == "a"


def test_exported_site_has_the_names_and_a_redirect_at_the_old_address(store: Store, tmp_path):
    from tests.core.export.sitekit import export

    top = store.channels.create("wlty", "wlty")  # as imported: the slug as its name
    store.channels.create("jqhd", "jqhd", parent_id=top.id)
    _publish(store, 4709, "wlty/jqhd")
    out = tmp_path / "site"
    export(store, out)
    store.channels.rename(top.id, "文旅体育")
    store.channels.set_segment(top.id, "wenlv", confirmed=True)
    report = export(store, out)
    assert report.redirects == [("wlty/jqhd/4709.html", "wenlv/jqhd/4709.html")]
    assert "url=../../wenlv/jqhd/4709.html" in (out / "wlty/jqhd/4709.html").read_text("utf-8")
    assert "文章4709" in (out / "wenlv/jqhd/4709.html").read_text("utf-8")
    home = (out / "index.html").read_text("utf-8")
    assert '<a href="wenlv/index.html">文旅体育</a>' in home and ">wlty<" not in home
    assert not (out / "wlty/index.html").exists()  # the old channel list is gone; only article pages redirect
