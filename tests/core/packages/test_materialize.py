"""Materializing a checked package: a new SQLite database only, and a failure leaves no database behind."""

from __future__ import annotations

import hashlib
import json

import pytest

from dayuan_desktop.core.packages.limits import PackageError
from dayuan_desktop.core.packages.materialize import materialize
from dayuan_desktop.core.packages.ninjs import photo_uri
from dayuan_desktop.core.packages.reading import read_package
from dayuan_desktop.core.packages.writing import write_package
from tests.core.packages.packagekit import fill_newsroom, make_package, rebuild


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the source database does not matter here; round trips run on both


def test_an_existing_database_is_never_touched(store, tmp_path):
    fill_newsroom(store)
    package = read_package(make_package(store, tmp_path / "p.zip"), tmp_path)
    existing = tmp_path / "existing.sqlite3"
    existing.write_bytes(b"someone's database")
    with pytest.raises(PackageError, match="already exists"):
        materialize(package, existing)
    assert existing.read_bytes() == b"someone's database"


def test_a_photo_that_matches_its_sha256_but_is_no_image_leaves_no_database(store, tmp_path):
    ids = fill_newsroom(store)
    old = ids["graphic"]
    junk = b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 50
    new = hashlib.sha256(junk).hexdigest()

    def forge(files):
        del files[f"photos/{old}.png"]
        files[f"photos/{new}.png"] = junk
        for name in [n for n in files if n.endswith(".json") and n != "manifest.json"]:
            text = files[name].decode().replace(photo_uri(old), photo_uri(new)).replace(old, new)
            files[name] = text.encode()

    forged = rebuild(make_package(store, tmp_path / "p.zip"), tmp_path / "forged.zip", forge)
    package = read_package(forged, tmp_path)  # every byte is what the manifest says
    assert any(p.sha256 == new for a in package.articles for p in a.photos)
    target = tmp_path / "copy.sqlite3"
    with pytest.raises(PackageError) as caught:
        materialize(package, target)
    message = str(caught.value)
    assert message.startswith(f"forged.zip: photo {new[:12]}") and "\n" not in message, message
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == []


def test_the_materialized_database_holds_only_the_package(store, tmp_path):
    ids = fill_newsroom(store)
    store.create_article(title="不在包里")
    chosen = [store.get_article(ids["draft"])]
    write_package(store, tmp_path / "one.zip", chosen)
    copy = materialize(read_package(tmp_path / "one.zip", tmp_path), tmp_path / "copy.sqlite3")
    assert [a.uuid for a in copy.all_articles(include_trashed=True)] == [ids["draft"]]
    assert json.dumps(sorted(p.photo.caption for p in copy.get_article(ids["draft"]).photos), ensure_ascii=False) \
        == json.dumps(sorted(["示意图。", "图为防控人员在卡口查验车辆。"]), ensure_ascii=False)
    copy.db.dispose()
