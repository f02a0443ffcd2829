"""Reading a package: every check before anything in it is used, and nothing written outside ``work_dir``.

In order: a regular file that is a zip; entry names, links, counts and declared sizes (from the
central directory alone); the manifest (format and version first); the files against the
manifest, both ways; then each file is inflated into a fresh folder inside ``work_dir``, its real
size bounded, its sha256 and size matched against the manifest's (a photo's also against its
name); last, each ninjs document against the schema and into an article. Any failure removes
the folder and raises one :class:`PackageError`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.packages.limits import PackageError, PackageLimits
from dayuan_desktop.core.packages.manifest import MANIFEST_NAME, Manifest, ManifestFile, parse_manifest
from dayuan_desktop.core.packages.ninjs import PackagedArticle, ninjs_to_article
from dayuan_desktop.core.packages.ninjs_schema import check_ninjs
from dayuan_desktop.core.packages.zip_entries import check_entries, read_entry
from dayuan_desktop.core.validation import check_article_values

# Creating a file in the extraction folder never follows a link planted there.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class VerifiedPackage:
    """A package that passed every check, unpacked into ``directory`` (inside the caller's work folder)."""

    source: Path
    directory: Path
    format_version: int
    created: datetime
    generator: str
    sender: str  # the identity of the database that wrote the package
    articles: tuple[PackagedArticle, ...]
    photo_files: dict[str, Path]  # sha256 → its checked bytes on disk
    markdown_files: dict[str, Path]  # article uuid → its Markdown file

    def photo_bytes(self, sha256: str) -> bytes:
        """A photo's bytes (already matched against its sha256)."""
        return self.photo_files[sha256].read_bytes()


def read_package(path: Path, work_dir: Path, *, limits: PackageLimits | None = None) -> VerifiedPackage:
    """Check the package at ``path`` completely and unpack it into a new folder inside ``work_dir``."""
    path, limits = Path(path), limits or PackageLimits()
    _check_regular_file(path)
    try:
        with zipfile.ZipFile(path) as archive, open(path, "rb") as raw:
            infos = archive.infolist()
            check_entries(infos, limits)
            by_name = {info.filename: info for info in infos}
            manifest = _read_manifest(raw, by_name, limits)
            _match_manifest(by_name, manifest)
            directory = Path(tempfile.mkdtemp(prefix="package-", dir=work_dir))
            try:
                _unpack(raw, by_name, manifest, directory, limits)
                return _verified(path, directory, manifest)
            except BaseException:
                shutil.rmtree(directory, ignore_errors=True)
                raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, struct.error, ValueError):
        raise PackageError(f"{path.name} is not a package: not a zip file, or damaged or cut short") from None
    except OSError as exc:  # unreadable package, or the work folder full or not writable
        raise PackageError(f"cannot read or unpack the package {path.name}: {exc.strerror or exc}") from None


def _check_regular_file(path: Path) -> None:
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise PackageError(f"cannot read the package {path}: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise PackageError(f"{path} is not a regular file")


def _read_json(raw, info: zipfile.ZipInfo, limits: PackageLimits) -> object:
    data = b"".join(read_entry(raw, info, limits))
    return _decode_json(data, info.filename)


def _decode_json(data: bytes, name: str) -> object:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else "not UTF-8 JSON"
        raise PackageError(f"{name} in the package is {reason}") from None


def _read_manifest(raw, by_name: dict[str, zipfile.ZipInfo], limits: PackageLimits) -> Manifest:
    info = by_name.get(MANIFEST_NAME)
    if info is None:
        raise PackageError("the zip holds no manifest.json: it is not a Dayuan package")
    return parse_manifest(_read_json(raw, info, limits))


def _match_manifest(by_name: dict[str, zipfile.ZipInfo], manifest: Manifest) -> None:
    """Every file listed, every listed file there, each with the size the manifest says."""
    for name, info in by_name.items():
        if name == MANIFEST_NAME:
            continue
        listed = manifest.files.get(name)
        if listed is None:
            raise PackageError(f"{name[:100]!r} is in the package but not listed in its manifest: refused")
        if listed.size != info.file_size:
            raise PackageError(f"{name}: {info.file_size:,} bytes, but the manifest says {listed.size:,}")
    missing = sorted(set(manifest.files) - set(by_name))
    if missing:
        raise PackageError(f"the manifest lists {missing[0]}, which the package does not hold")


def _unpack(raw, by_name: dict[str, zipfile.ZipInfo], manifest: Manifest, directory: Path,
            limits: PackageLimits) -> None:
    for folder in ("articles", "photos"):
        (directory / folder).mkdir()
    for name, listed in manifest.files.items():
        _unpack_one(raw, by_name[name], listed, directory / name, limits)


def _unpack_one(raw, info: zipfile.ZipInfo, listed: ManifestFile, target: Path, limits: PackageLimits) -> None:
    digest = hashlib.sha256()
    descriptor = os.open(target, _CREATE, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for data in read_entry(raw, info, limits):
            digest.update(data)
            out.write(data)
    actual = digest.hexdigest()
    if actual != listed.sha256:
        raise PackageError(f"{listed.path}: its bytes do not match the sha256 in the manifest "
                           f"({actual[:12]}… against {listed.sha256[:12]}…): refused")
    if listed.path.startswith("photos/") and Path(listed.path).stem != actual:
        raise PackageError(f"{listed.path}: its bytes do not match the sha256 it is named by: refused")


def _verified(source: Path, directory: Path, manifest: Manifest) -> VerifiedPackage:
    photos = {Path(name).stem: directory / name for name in manifest.files if name.startswith("photos/")}
    articles = []
    for uuid, ninjs_name, _markdown in manifest.articles:
        document = _decode_json((directory / ninjs_name).read_bytes(), ninjs_name)
        article = ninjs_to_article(check_ninjs(document, ninjs_name), ninjs_name)
        if article.uuid != uuid:
            raise PackageError(f"{ninjs_name} describes article {article.uuid}, not {uuid}")
        try:  # the limits every stored article keeps (title length, status, channel path…)
            check_article_values(article.values)
        except ValidationError as exc:
            raise PackageError(f"{ninjs_name}: {exc}") from None
        for photo in article.photos:
            if photo.sha256 not in photos:
                raise PackageError(f"{ninjs_name} uses photo {photo.sha256[:12]}…, which the package does not hold")
        articles.append(article)
    if len({a.uuid for a in articles}) != len(articles):
        raise PackageError("the manifest lists an article twice")
    return VerifiedPackage(
        source=source, directory=directory, format_version=manifest.format_version, created=manifest.created,
        generator=manifest.generator, sender=manifest.sender, articles=tuple(articles), photo_files=photos,
        markdown_files={uuid: directory / markdown for uuid, _ninjs, markdown in manifest.articles},
    )
