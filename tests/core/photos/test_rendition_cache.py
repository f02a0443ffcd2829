"""The rendition cache on its own: keys, sound and damaged entries, an unwritable folder."""

from __future__ import annotations

import hashlib
import json
import os
import re

import pytest

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.photos import RenditionCache, RenditionText, make_web_rendition, rendition_key
from dayuan_desktop.core.photos.renditions import RENDITION_FORMAT_VERSION, Rendition
from tests.core.photos.photokit import jpeg

SHA = "ab" * 32
TEXT = RenditionText("说明", "马向英", "©大同日报社", "大院网")


def test_the_key_changes_with_every_input_and_only_with_them():
    key = rendition_key(SHA, 1200, TEXT)
    assert key == rendition_key(SHA, 1200, RenditionText("说明", "马向英", "©大同日报社", "大院网"))
    others = {
        rendition_key("cd" * 32, 1200, TEXT), rendition_key(SHA, 800, TEXT),
        rendition_key(SHA, 1200, RenditionText("新说明", "马向英", "©大同日报社", "大院网")),
        rendition_key(SHA, 1200, RenditionText("说明", "李明", "©大同日报社", "大院网")),
        rendition_key(SHA, 1200, RenditionText("说明", "马向英", "", "大院网")),
        rendition_key(SHA, 1200, RenditionText("说明", "马向英", "©大同日报社", "")),
        rendition_key(SHA, 1200, RenditionText("说明\x1f马向英", "", "©大同日报社", "大院网")),
    }
    assert key not in others and len(others) == 7
    assert RENDITION_FORMAT_VERSION >= 2
    with pytest.raises(ValidationError):
        rendition_key("../../etc/passwd", 1200, TEXT)


def test_put_then_lookup_gives_the_same_bytes_and_format(tmp_path):
    cache = RenditionCache(tmp_path)
    rendition = make_web_rendition(jpeg(1600, 1200), text=TEXT)
    key = rendition_key(SHA, 1200, TEXT)
    assert cache.lookup(key) is None
    kept = cache.put(key, rendition)
    found = cache.lookup(key)
    assert found is not None and found.data == rendition.data and found.path == kept.path
    assert (found.format, found.width, found.height, found.extension) == ("JPEG", 1200, 900, ".jpg")
    assert list(tmp_path.rglob(".tmp-*")) == []  # no temporaries left behind


@pytest.mark.parametrize("damage", ["truncate", "garbage", "no record", "bad record", "other version",
                                    "edited, same size", "older record, edited"])
def test_a_damaged_entry_counts_as_missing_and_get_makes_it_again(tmp_path, damage):
    cache = RenditionCache(tmp_path)
    rendition = make_web_rendition(jpeg(1600, 1200), text=TEXT)
    key = rendition_key(SHA, 1200, TEXT)
    kept = cache.put(key, rendition)
    record = kept.path.with_suffix(".json")
    if damage == "truncate":
        kept.path.write_bytes(rendition.data[:1000])
    elif damage == "garbage":
        kept.path.write_bytes(b"\0" * len(rendition.data))
    elif damage == "no record":
        record.unlink()
    elif damage == "bad record":
        record.write_text('{"v": 1, "format": "GIF"')
    elif damage == "edited, same size":  # a hard-linked site copy edited in place: its head changes
        edited = bytearray(rendition.data)
        edited[100:110] = b"x" * 10
        kept.path.write_bytes(bytes(edited))
    elif damage == "older record, edited":  # a first-format record (no size, time or sample): checked in full
        fields = json.loads(record.read_text())
        record.write_text(json.dumps({k: fields[k] for k in ("format", "width", "height", "sha256")} | {"v": 1}))
        kept.path.write_bytes(rendition.data[:-1] + b"\0")
    else:
        record.write_text(re.sub(r'"v": \d+', '"v": 99', record.read_text()))
    assert cache.lookup(key) is None
    calls = []
    again = cache.get(key, lambda: calls.append(1) or rendition)
    assert calls == [1] and again.data == rendition.data and cache.lookup(key).data == rendition.data


def test_an_unwritable_cache_still_gives_the_rendition(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    cache = RenditionCache(tmp_path / "file")
    rendition = make_web_rendition(jpeg(800, 600), text=TEXT)
    kept = cache.put(rendition_key(SHA, 1200, TEXT), rendition)
    assert kept.path is None and kept.data == rendition.data


def test_a_found_entry_reads_its_bytes_only_when_asked_and_checks_them(tmp_path):
    cache = RenditionCache(tmp_path)
    rendition = make_web_rendition(jpeg(1600, 1200), text=TEXT)
    key = rendition_key(SHA, 1200, TEXT)
    kept = cache.put(key, rendition)
    found = cache.lookup(key)
    assert found.kept_data is None and found.sha256 == kept.sha256  # nothing read yet
    assert found.data == rendition.data
    # Changed between the lookup and the read (keeping size and time): the read refuses it.
    stat = kept.path.stat()
    kept.path.write_bytes(rendition.data[:-10] + b"0123456789")
    os.utime(kept.path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(ValidationError, match="changed while in use"):
        _ = found.data


def test_an_entry_with_a_first_format_record_is_kept_and_recorded_anew(tmp_path):
    cache = RenditionCache(tmp_path)
    rendition = make_web_rendition(jpeg(1600, 1200), text=TEXT)
    key = rendition_key(SHA, 1200, TEXT)
    kept = cache.put(key, rendition)
    record = kept.path.with_suffix(".json")
    fields = json.loads(record.read_text())
    record.write_text(json.dumps({k: fields[k] for k in ("format", "width", "height", "sha256")} | {"v": 1}))
    found = cache.lookup(key)  # an upgrade keeps the renditions: nothing is made again
    assert found is not None and found.data == rendition.data and found.path == kept.path
    assert json.loads(record.read_text())["v"] == 2
    assert cache.lookup(key).kept_data is None  # from now on found without reading the file


@pytest.mark.parametrize("size", ["under 32 KB", "over 32 KB"])
def test_the_recorded_sample_is_the_files_first_and_last_16_kb(tmp_path, size):
    """Pinned: caches kept by earlier versions stay valid only while the sample is computed the same way."""
    data = os.urandom(20_000 if size == "under 32 KB" else 150_001)
    cache = RenditionCache(tmp_path)
    key = rendition_key(SHA, 1200, TEXT)
    kept = cache.put(key, Rendition(data, "JPEG", 1200, 800))
    record = json.loads(kept.path.with_suffix(".json").read_text(encoding="ascii"))
    tail = data[16 * 1024 :] if len(data) <= 32 * 1024 else data[-16 * 1024 :]
    assert record["sample"] == hashlib.sha256(data[: 16 * 1024] + b"\0" + tail).hexdigest()
    assert record["size"] == len(data) and cache.lookup(key) is not None
