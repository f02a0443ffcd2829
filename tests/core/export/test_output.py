"""The output folder's writes: atomic, few system calls, and never through a planted link."""

from __future__ import annotations

import os

import pytest

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.export.output import TEMP_MARK, OutputFolder


def leftovers(folder) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.startswith(TEMP_MARK)]


def test_a_write_of_the_wrong_type_leaves_neither_the_file_nor_a_temporary(tmp_path):
    out = OutputFolder(tmp_path / "site")
    out.write("news/index.html", b"old")
    with pytest.raises(TypeError):
        out.write("news/index.html", "not bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        out.write("news/new.html", 12345)  # type: ignore[arg-type]
    assert (tmp_path / "site/news/index.html").read_bytes() == b"old"
    assert not (tmp_path / "site/news/new.html").exists() and leftovers(tmp_path / "site") == []


def test_a_large_write_arrives_whole(tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 7)  # several write calls' worth
    out = OutputFolder(tmp_path / "site")
    out.write("big.bin", data)
    assert (tmp_path / "site/big.bin").read_bytes() == data


@pytest.mark.parametrize("listed", [False, True])
def test_a_rendition_is_hard_linked_whether_or_not_something_was_there(tmp_path, listed):
    source = tmp_path / "cache.img"
    source.write_bytes(b"rendition bytes")
    out = OutputFolder(tmp_path / "site")
    out.write("uploads/a.jpg", b"an older rendition")
    if listed:
        out.clean_temporaries()  # the export lists the folder first
    assert out.link_or_write("uploads/a.jpg", source, b"rendition bytes") is True
    assert out.link_or_write("uploads/b.jpg", source, b"rendition bytes") is True
    for name in ("a.jpg", "b.jpg"):
        assert os.path.samefile(tmp_path / "site/uploads" / name, source)
    assert leftovers(tmp_path / "site") == []
    assert out.exists("uploads/a.jpg") and out.exists("uploads/b.jpg")


def test_a_file_put_there_after_the_listing_is_replaced_not_an_error(tmp_path):
    source = tmp_path / "cache.img"
    source.write_bytes(b"rendition bytes")
    out = OutputFolder(tmp_path / "site")
    out.clean_temporaries()
    (tmp_path / "site/uploads").mkdir()
    (tmp_path / "site/uploads/a.jpg").write_bytes(b"someone else's")
    assert out.link_or_write("uploads/a.jpg", source, b"rendition bytes") is True
    assert os.path.samefile(tmp_path / "site/uploads/a.jpg", source)


def test_a_missing_link_source_falls_back_to_writing_the_bytes(tmp_path):
    out = OutputFolder(tmp_path / "site")
    out.clean_temporaries()
    assert out.link_or_write("uploads/a.jpg", tmp_path / "gone.img", lambda: b"made again") is False
    assert (tmp_path / "site/uploads/a.jpg").read_bytes() == b"made again"


def test_a_listed_symlink_at_the_target_is_refused_and_its_target_kept(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").symlink_to(outside)
    out = OutputFolder(tmp_path / "site")
    out.clean_temporaries()
    with pytest.raises(ValidationError, match="symbolic link"):
        out.write("index.html", b"page")
    with pytest.raises(ValidationError, match="symbolic link"):
        out.link_or_write("index.html", outside, b"page")
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_a_symlink_planted_after_the_listing_is_replaced_never_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    out = OutputFolder(tmp_path / "site")
    out.clean_temporaries()
    (tmp_path / "site/index.html").symlink_to(outside)
    out.write("index.html", b"page")
    assert not (tmp_path / "site/index.html").is_symlink()
    assert (tmp_path / "site/index.html").read_bytes() == b"page"
    assert outside.read_text(encoding="utf-8") == "keep me"
