"""Hostile and broken packages (issue 17 item 4): each is refused with one clear line before anything
in it is used, and nothing is written outside the work folder (nor left inside it)."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.packages.limits import PackageError, PackageLimits
from dayuan_desktop.core.packages.reading import read_package
from dayuan_desktop.core.store import Store
from tests.core.packages.packagekit import entries, fill_newsroom, make_package, manifest_for, rebuild, tree
from tests.helpers import jpeg_bytes

FAKE_UUID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A real package of three articles and two photos."""
    folder = tmp_path_factory.mktemp("good")
    database = open_database(folder / "newsroom.sqlite3")
    store = Store(database, user_name="tester")
    fill_newsroom(store)
    path = make_package(store, folder / "good.zip")
    database.dispose()
    return path


def _refused(package: Path, tmp_path: Path, *expected: str, limits: PackageLimits | None = None) -> str:
    """Read ``package``: PackageError with each expected fragment, one line, and nothing written anywhere."""
    work = tmp_path / "work"
    work.mkdir(parents=True, exist_ok=True)
    before = tree(tmp_path.parent)
    with pytest.raises(PackageError) as caught:
        read_package(package, work, limits=limits)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300, message
    for fragment in expected:
        assert fragment in message, message
    assert list(work.iterdir()) == []  # the extraction folder went with the failure
    assert tree(tmp_path.parent) == before
    return message


def _name(files: dict[str, bytes], prefix: str) -> str:
    return next(name for name in sorted(files) if name.startswith(prefix))


def test_the_good_package_reads(good, tmp_path):
    package = read_package(good, tmp_path)
    assert len(package.articles) == 3 and len(package.photo_files) == 2
    assert package.directory.parent == tmp_path


def _with_entry(good: Path, target: Path, info: zipfile.ZipInfo, data: bytes) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in entries(good).items():
            archive.writestr(name, content)
        archive.writestr(info, data)
    return target


@pytest.mark.parametrize("name", ["../evil.txt", "articles/../../evil.txt", "..\\evil.txt"])
def test_a_path_leaving_the_folder_is_refused(good, tmp_path, name):
    package = _with_entry(good, tmp_path / "bad.zip", zipfile.ZipInfo(name), b"owned")
    _refused(package, tmp_path / "t", "leaves its folder")
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("name", ["/tmp/dayuan-evil.txt", "C:/evil.txt", "\\evil.txt"])
def test_an_absolute_path_is_refused(good, tmp_path, name):
    info = zipfile.ZipInfo(name)
    info.filename = name  # ZipInfo keeps a leading slash; set it plainly in case a version strips it
    package = _with_entry(good, tmp_path / "bad.zip", info, b"owned")
    _refused(package, tmp_path / "t", "absolute path")
    assert not Path("/tmp/dayuan-evil.txt").exists()


def test_a_link_is_refused(good, tmp_path):
    info = zipfile.ZipInfo("photos/" + "a" * 64 + ".jpg")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    package = _with_entry(good, tmp_path / "bad.zip", info, b"/etc/passwd")
    _refused(package, tmp_path / "t", "a link")


def test_a_bomb_declaring_its_size_is_refused_before_inflating(good, tmp_path):
    def bomb(files):
        files[_name(files, "articles/") ] = b"{" + b" " * (40 * 2**20) + b"}"  # 40 MiB, ~40 KiB deflated

    package = rebuild(good, tmp_path / "bomb.zip", bomb)
    assert package.stat().st_size < 2**20
    _refused(package, tmp_path / "t", "declares 41,943,042 bytes", "zip bomb")


def test_a_bomb_whose_header_lies_stops_at_the_declared_size(good, tmp_path):
    """An entry that says 1,000 bytes but inflates to 40 MiB: the reader counts what it inflates."""
    files = entries(good)
    name = _name(files, "articles/")
    files[name] = b" " * (40 * 2**20)
    base = json.loads(files["manifest.json"])
    listed = json.loads(manifest_for(files, base))
    for item in listed["files"]:
        if item["path"] == name:
            item["size"] = 1000
    files["manifest.json"] = json.dumps(listed).encode()
    target = tmp_path / "liar.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in files.items():
            archive.writestr(entry, data)
    raw = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as archive:
        local = archive.getinfo(name).header_offset
    raw[local + 22:local + 26] = (1000).to_bytes(4, "little")  # the local header's uncompressed size
    central = raw.rfind(name.encode()) - 46
    assert raw[central:central + 4] == b"PK\x01\x02"
    raw[central + 24:central + 28] = (1000).to_bytes(4, "little")  # the central directory's
    target.write_bytes(bytes(raw))
    with zipfile.ZipFile(target) as archive:
        assert archive.getinfo(name).file_size == 1000
    _refused(target, tmp_path / "t", "inflates to more than the 1,000 bytes it declares")


def test_too_many_entries_are_refused(good, tmp_path):
    _refused(good, tmp_path / "t", "holds 9 files; the limit is 5", limits=PackageLimits(max_entries=5))


def test_a_photo_whose_bytes_do_not_match_its_sha256_is_refused(good, tmp_path):
    files = entries(good)
    photo = _name(files, "photos/")

    def swap(changed):
        changed[photo] = jpeg_bytes(color=(1, 2, 3))

    package = rebuild(good, tmp_path / "swapped.zip", swap,
                      manifest=lambda f, b: manifest_for(f, b, keep_sha_of=(photo,)))
    _refused(package, tmp_path / "t", photo, "do not match the sha256 in the manifest")


def test_a_photo_not_named_by_its_sha256_is_refused(good, tmp_path):
    def swap(files):
        files[_name(files, "photos/")] = jpeg_bytes(color=(1, 2, 3))  # the manifest is re-listed: it agrees

    _refused(rebuild(good, tmp_path / "renamed.zip", swap), tmp_path / "t", "the sha256 it is named by")


def test_a_file_not_in_the_manifest_is_refused(good, tmp_path):
    package = _with_entry(good, tmp_path / "extra.zip", zipfile.ZipInfo("notes.txt"), b"hello")
    _refused(package, tmp_path / "t", "'notes.txt' is in the package but not listed in its manifest")


def test_a_listed_file_missing_from_the_package_is_refused(good, tmp_path):
    files = entries(good)
    missing = _name(files, "photos/")

    def drop(changed):
        del changed[missing]

    def listing_it(changed, base):
        return manifest_for({**changed, missing: files[missing]}, base)

    _refused(rebuild(good, tmp_path / "short.zip", drop, manifest=listing_it), tmp_path / "t",
             f"lists {missing}, which the package does not hold")


@pytest.mark.parametrize(("edit", "fragment"), [
    (lambda d: d.update(headlines="一个字符串"), "is not of type 'array' (at headlines)"),
    (lambda d: d.pop("uri"), "'uri' is a required property"),
    (lambda d: d.update(guid="ninjs 1.x"), "Additional properties are not allowed"),
    (lambda d: d["bodies"][0].update(charCount="12"), "(at bodies/0/charCount)"),
])
def test_a_document_failing_the_ninjs_schema_is_refused(good, tmp_path, edit, fragment):
    def spoil(files):
        name = _name(files, "articles/")
        name = name if name.endswith(".json") else name.replace(".md", ".json")
        document = json.loads(files[name])
        edit(document)
        files[name] = json.dumps(document, ensure_ascii=False).encode()

    _refused(rebuild(good, tmp_path / "spoilt.zip", spoil), tmp_path / "t", "not a valid ninjs 3.3 document",
             fragment)


def test_an_article_beyond_the_stored_limits_is_refused_at_reading(good, tmp_path):
    def too_long(files):
        name = next(n for n in sorted(files) if n.startswith("articles/") and n.endswith(".json"))
        document = json.loads(files[name])
        document["headlines"][0]["value"] = "长" * 600
        files[name] = json.dumps(document, ensure_ascii=False).encode()

    _refused(rebuild(good, tmp_path / "long.zip", too_long), tmp_path / "t", "title is 600 characters long")


def test_a_package_from_a_newer_version_is_refused(good, tmp_path):
    def newer(files, base):
        return manifest_for(files, {**base, "formatVersion": 2})

    _refused(rebuild(good, tmp_path / "newer.zip", lambda files: None, manifest=newer), tmp_path / "t",
             "newer Dayuan Desktop (package format 2; this one reads format 1 and older)")


@pytest.mark.parametrize("content", [b"", b"not a zip at all\n" * 100, b"PK\x03\x04" + bytes(200)])
def test_junk_is_not_a_package(tmp_path, content):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(content)
    _refused(junk, tmp_path / "t", "junk.zip is not a package")


def test_a_truncated_package_is_refused(good, tmp_path):
    data = good.read_bytes()
    for cut in (len(data) // 2, len(data) - 30):
        partial = tmp_path / f"cut{cut}.zip"
        partial.write_bytes(data[:cut])
        _refused(partial, tmp_path / f"t{cut}", "is not a package")


def test_a_zip_without_a_manifest_is_not_a_package(tmp_path):
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr(f"articles/{FAKE_UUID}.md", "# 标题\n")
    _refused(plain, tmp_path / "t", "no manifest.json")


def test_a_damaged_entry_is_refused(good, tmp_path):
    """Bytes flipped inside a deflated entry: the inflater or the checksum says so."""
    raw = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(".json") and i.compress_size > 200)
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    raw[middle:middle + 8] = bytes(8)
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    _refused(damaged, tmp_path / "t", "damaged")


def test_a_link_claiming_to_come_from_another_system_is_refused_too(good, tmp_path):
    info = zipfile.ZipInfo("photos/" + "b" * 64 + ".jpg")
    info.create_system = 0  # "MS-DOS", yet its mode bits say symbolic link
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    _refused(_with_entry(good, tmp_path / "bad.zip", info, b"/etc/shadow"), tmp_path / "t", "a link")


@pytest.mark.parametrize(("manifest", "fragment"), [
    (b"[" * 200_000 + b"]" * 200_000, "manifest.json in the package is nested too deeply"),
    (b"\xff\xfe not json", "manifest.json in the package is not UTF-8 JSON"),
    (b'{"format": "dayuan-package", "formatVersion": 1}', "not a Dayuan package manifest"),
])
def test_a_manifest_that_is_no_manifest_is_refused(good, tmp_path, manifest, fragment):
    package = rebuild(good, tmp_path / "m.zip", lambda files: None, manifest=lambda files, base: manifest)
    _refused(package, tmp_path / "t", fragment)


def test_a_work_folder_that_cannot_be_written_is_one_line(good, tmp_path):
    work = tmp_path / "not-a-folder"
    work.write_bytes(b"a file where the work folder should be")
    with pytest.raises(PackageError, match="cannot read or unpack the package good.zip: Not a directory"):
        read_package(good, work)
