"""The photo library queries the window's photo panel uses, on both backends."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.errors import NotFoundError, ValidationError
from dayuan_desktop.core.store import Store


def _photo(store: Store, n: int, caption: str, photographer: str = "", name: str = ""):
    return store.photos.add_photo(bytes([n]) * 20, format="JPEG", width=1200, height=800, caption=caption,
                           photographer=photographer, original_name=name)


def test_library_lists_every_photo_newest_first_in_pages(store: Store):
    made = [_photo(store, n, f"说明{n}") for n in range(5)]
    page = store.photos.list_photos(limit=2)
    assert page.total == 5 and len(page.items) == 2
    everything = [p.sha256 for p in store.photos.list_photos(limit=10).items]
    assert set(everything) == {p.sha256 for p in made}
    assert everything[0] == made[-1].sha256  # newest first
    rest = store.photos.list_photos(offset=2, limit=10)
    assert [p.sha256 for p in rest.items] == everything[2:]
    with pytest.raises(ValidationError):
        store.photos.list_photos(limit=-1)


def test_library_search_matches_caption_photographer_and_file_name(store: Store):
    wall = _photo(store, 1, "图为大同古城墙。", "李明", "DSC_0001.JPG")
    temple = _photo(store, 2, "图为晋祠圣母殿。", "王芳", "temple.jpg")
    _photo(store, 3, "图为汾河公园 100% 绿化", "李明")
    assert [p.sha256 for p in store.photos.list_photos("城墙").items] == [wall.sha256]
    assert [p.sha256 for p in store.photos.list_photos("王芳").items] == [temple.sha256]
    assert store.photos.list_photos("李明").total == 2
    assert [p.sha256 for p in store.photos.list_photos("李明 城").items] == [wall.sha256]  # every word must occur
    assert [p.sha256 for p in store.photos.list_photos("dsc_0001").items] == [wall.sha256]  # case-insensitive
    assert store.photos.list_photos("100%").total == 1 and store.photos.list_photos("0%").total == 1
    assert store.photos.list_photos("_").total == 1  # LIKE wildcards are literal characters
    assert store.photos.list_photos("没有").total == 0


def test_credit_and_copyright_are_changed_alone(store: Store):
    photo = _photo(store, 1, "图为城墙。", "李明")
    changed = store.photos.set_photo_rights(photo.sha256, credit="大院网", copyright="© 大院网 2024")
    assert (changed.credit, changed.copyright, changed.caption) == ("大院网", "© 大院网 2024", "图为城墙。")
    again = store.photos.set_photo_rights(photo.sha256, copyright="")
    assert (again.credit, again.copyright) == ("大院网", "")
    with pytest.raises(NotFoundError):
        store.photos.set_photo_rights("0" * 64, credit="x")
    assert store.photos.get_photo(photo.sha256) == again
    with pytest.raises(NotFoundError):
        store.photos.get_photo("0" * 64)
