"""Thumbnails: 256 px on the long side, JPEG draft decoding, a disk cache that heals itself."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from dayuan_desktop.core.config import load_settings
from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.photos import ThumbnailCache, make_thumbnail
from tests.core.photos.photokit import exif_bytes, jpeg, save


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.size


def test_thumbnail_is_256_on_the_long_side_and_upright():
    assert size_of(make_thumbnail(jpeg(4000, 3000))) == (256, 192)
    assert size_of(make_thumbnail(jpeg(4000, 3000, exif=exif_bytes(orientation=6)))) == (192, 256)
    assert size_of(make_thumbnail(jpeg(200, 100))) == (200, 100)  # never enlarged


def test_jpeg_thumbnails_are_drafted(monkeypatch):
    from PIL import JpegImagePlugin

    asked = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        asked.append(size)
        return original(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    make_thumbnail(jpeg(4000, 3000))
    assert asked and max(asked[0]) < 4000 // 4  # decoded at 1/8 scale, not in full


def test_transparent_png_thumbnail_stays_png():
    data = make_thumbnail(save(Image.new("RGBA", (900, 600), (1, 2, 3, 90)), "PNG"))
    assert data.startswith(b"\x89PNG")


def test_cache_under_the_user_cache_folder_and_reused(isolated_user_folders):
    cache = ThumbnailCache(load_settings().cache_dir)
    original = jpeg(1600, 1200)
    sha = hashlib.sha256(original).hexdigest()
    loads = []

    def load() -> bytes:
        loads.append(1)
        return original

    first = cache.get(sha, load)
    path = cache.path_for(sha)
    assert path.is_file() and path.is_relative_to(isolated_user_folders / "cache")
    assert cache.get(sha, load) == first
    assert len(loads) == 1  # the second time came from the cache


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "missing"])
def test_a_corrupt_or_missing_cache_file_is_rebuilt(tmp_path, damage):
    cache = ThumbnailCache(tmp_path)
    original = jpeg(1600, 1200)
    sha = hashlib.sha256(original).hexdigest()
    good = cache.get(sha, original)
    path = cache.path_for(sha)
    assert cache.cached(sha) == good
    if damage == "truncated":
        path.write_bytes(good[: len(good) // 3])
    elif damage == "garbage":
        path.write_bytes(b"\x00garbage" * 100)
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
    assert cache.cached(sha) is None  # a damaged file is no thumbnail, and nothing is made by asking
    assert cache.get(sha, original) == good
    assert path.read_bytes() == good  # healed on disk too
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_cache_refuses_a_path_like_hash(tmp_path):
    with pytest.raises(ValidationError):
        ThumbnailCache(tmp_path).path_for("../../etc/passwd")


def test_an_unwritable_cache_still_gives_the_thumbnail(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    cache = ThumbnailCache(blocker)  # the "folder" is a file: nothing can be written under it
    original = jpeg(800, 600)
    assert size_of(cache.get(hashlib.sha256(original).hexdigest(), original)) == (256, 192)
