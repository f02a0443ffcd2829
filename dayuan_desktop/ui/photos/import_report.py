"""What the window says about a photo import: the progress line, the summary, the reasons.

The core's reasons are English sentences meant for the command line and the log
(``truncated.jpg is damaged and cannot be decoded (…)``). The window speaks the editor's
language, so the known sentences are recognised here and said again through ``tr()``; an
unknown reason (a new one, an operating-system error) is shown as the core wrote it rather
than lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication


def _fill(template: str, *values: str) -> str:
    for number, value in enumerate(values, start=1):
        template = template.replace(f"%{number}", value)
    return template


# (pattern after the file name, how to say it); groups become %1, %2… in the translation.
# The English strings are those of core.photos.decoding and core.photos.importing.
_REASONS: list[tuple[re.Pattern[str], Callable[[], str]]] = [
    (re.compile(r"is empty \(0 bytes\)"), lambda: QCoreApplication.translate("PhotoImport", "the file is empty (0 bytes)")),
    (re.compile(r"is (\d+) MB; photos over (\d+) MB are refused.*"),
     lambda: QCoreApplication.translate("PhotoImport", "the file is %1 MB; photos over %2 MB are refused (export a smaller JPEG)")),
    (re.compile(r"is an? (.+?) file, which is not supported: convert it to JPEG"),
     lambda: QCoreApplication.translate("PhotoImport", "%1 files are not supported: convert it to JPEG")),
    (re.compile(r"looks like a camera raw file, which is not supported: convert it to JPEG"),
     lambda: QCoreApplication.translate("PhotoImport", "camera raw files are not supported: convert it to JPEG")),
    (re.compile(r"is not an image file Dayuan Desktop can read \((.+)\)"),
     lambda: QCoreApplication.translate("PhotoImport", "not a picture Dayuan Desktop can read (%1)")),
    (re.compile(r"is damaged and cannot be decoded \((.*)\)"),
     lambda: QCoreApplication.translate("PhotoImport", "the picture is damaged and cannot be read (%1)")),
    (re.compile(r"declares an empty picture \((.+) pixels\)"), lambda: QCoreApplication.translate("PhotoImport", "the picture is empty (%1 pixels)")),
    (re.compile(r"declares (\S+) pixels .*decompression bomb"),
     lambda: QCoreApplication.translate("PhotoImport", "%1 pixels is too large: refused as a possible decompression bomb")),
    (re.compile(r"is refused as a possible decompression bomb.*"),
     lambda: QCoreApplication.translate("PhotoImport", "too many pixels: refused as a possible decompression bomb")),
    (re.compile(r"not found at (.+)"), lambda: QCoreApplication.translate("PhotoImport", "the file is no longer there (%1)")),
    (re.compile(r"cannot be read: (.+)"), lambda: QCoreApplication.translate("PhotoImport", "the file cannot be read (%1)")),
    (re.compile(r"is not a regular file\b.*"), lambda: QCoreApplication.translate("PhotoImport", "not a file (a folder or a device)")),
]


def reason_text(name: str, reason: str) -> str:
    """The core's reason why ``name`` was not imported, in the window's language."""
    rest = reason[len(name):].strip() if reason.startswith(name) else reason.strip()
    for pattern, template in _REASONS:
        match = pattern.fullmatch(rest)
        if match is not None:
            return _fill(template(), *match.groups())
    return reason


def failure_text(failed: list[tuple[str, str]]) -> str:
    """The lines listing the files not imported, each with its reason ("" when none)."""
    if not failed:
        return ""
    lines = [_fill(QCoreApplication.translate("PhotoImport", "%1: %2"), name, reason_text(name, reason)) for name, reason in failed]
    return QCoreApplication.translate("PhotoImport", "Not imported:") + "\n" + "\n".join(lines)


def progress_text(done: int, total: int, name: str) -> str:
    """The line above the progress bar: which photo of how many, and its file name."""
    text = _fill(QCoreApplication.translate("PhotoImport", "Importing photo %1 of %2"), str(min(done + 1, total)), str(total))
    return _fill(QCoreApplication.translate("PhotoImport", "%1: %2"), text, name) if name else text


def summary_text(outcome) -> str:
    """One line for the status bar: new photos, photos the library had already, failures.

    Six files chosen, one of them already in the library: "5 new photos imported; 1 already
    in the library, added" (not "6 imported, 1 already in the library", which reads as 7).
    """
    known = set(outcome.known)
    in_article = set(getattr(outcome, "already_in_article", ()))
    new = sum(1 for item in outcome.imported if item.photo.sha256 not in known)
    reused = sum(1 for item in outcome.imported if item.photo.sha256 in known - in_article)
    already_here, failed = len(in_article), len(outcome.failed)
    parts = []
    if new:
        parts.append(QCoreApplication.translate("PhotoImport", "%n new photo(s) imported", "", new))
    if reused:
        parts.append(QCoreApplication.translate("PhotoImport", "%n already in the library, added to the article", "",
                                                reused))
    if already_here:
        parts.append(QCoreApplication.translate("PhotoImport", "%n already in this article", "", already_here))
    if failed:
        parts.append(QCoreApplication.translate("PhotoImport", "%n not imported", "", failed))
    if outcome.cancelled:
        parts.append(QCoreApplication.translate("PhotoImport", "cancelled"))
    if not parts:
        return QCoreApplication.translate("PhotoImport", "No photos imported")
    return QCoreApplication.translate("PhotoImport", "; ").join(parts)
