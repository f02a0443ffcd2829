"""Pasted images become photos off the UI thread; the body gets their references when they are stored.

A paste inserts its text at once. Each image in it (a bitmap, an image file, a ``data:`` or
``file:`` image in HTML) is first a placeholder in the pasted content; the placeholders are
taken out again in the same undo step, and a cursor that moves with the text marks where each
one was. Reading, decoding, storing and attaching the photos (and making their web renditions
and thumbnails: ``core.photos.incoming``) then run as one :class:`~dayuan_desktop.ui.jobs.BackgroundJob`.
When it ends, each stored photo is inserted at its mark, as one undo step: whatever was typed
meanwhile stays where it was typed. A body loaded again meanwhile (another article opened, the
Markdown source edited) gets no insertion: the photos are attached to the article they were
pasted into, and the photo panel shows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QTextCursor, QTextDocument, QTextImageFormat

from dayuan_desktop.ui.jobs import BackgroundJob, JobContext, run_job

PENDING_SCHEME = "pending-photo:"  # a placeholder's image name while its photo is read


@dataclass(frozen=True)
class PastedImage:
    """One image of a paste, read only on the pool thread."""

    read: Callable[[], bytes | None]  # its bytes, or None when they cannot be had
    name: str  # a file name for messages and the photo library


# Called on the UI thread at paste time: the work importing the images into the open article on a
# pool thread (a sha256 per image, None for one that failed), or None when no article is open.
PhotoImporter = Callable[[list[PastedImage]], Callable[[JobContext], list[str | None]] | None]


@dataclass
class _Place:
    cursor: QTextCursor  # moves with the text typed before it
    format: QTextImageFormat  # the placeholder's (alt text, title, width)


class PendingPhotos(QObject):
    """The imports of pasted images still running for one document, and where their photos go."""

    imported = Signal(list)  # sha256 of the photos stored and attached (placed in the body or not)
    notice = Signal(str)  # what a paste left out, once its images are done
    progress = Signal(str)  # for the status bar while images are stored; "" once none is

    def __init__(self, document: Callable[[], QTextDocument], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._generation = 0  # a body loaded again: the marks of earlier pastes point nowhere
        self.jobs: list[BackgroundJob] = []

    def is_running(self) -> bool:
        """Is a pasted image still being imported?"""
        return bool(self.jobs)

    def forget_places(self) -> None:
        """The document was loaded again: photos still coming are attached but not inserted."""
        self._generation += 1

    def take_placeholders(self, start: int, end: int) -> list[tuple[int, _Place]]:
        """Remove the placeholders between ``start`` and ``end``, marking their places (call inside the
        paste's edit block, so one undo takes the paste back); (image index, place) in document order."""
        document = self._document()
        found: list[tuple[int, int, QTextImageFormat]] = []
        block = document.findBlock(start)
        while block.isValid() and block.position() <= end:
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat() and fmt.toImageFormat().name().startswith(PENDING_SCHEME) \
                        and start <= fragment.position() < end:
                    name = fmt.toImageFormat().name()
                    found.extend((fragment.position() + i, int(name[len(PENDING_SCHEME):]), fmt.toImageFormat())
                                 for i in range(fragment.length()))
                it += 1
            block = block.next()
        places = []
        for position, index, fmt in reversed(found):  # from the end: earlier positions stay valid
            cursor = QTextCursor(document)
            cursor.setPosition(position)
            cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            cursor.setKeepPositionOnInsert(True)  # text typed at the mark goes after the photo
            places.append((index, _Place(cursor, fmt)))
        return places[::-1]

    def start(
        self,
        importer: PhotoImporter,
        images: list[PastedImage],
        places: list[tuple[int, _Place]],
        notice_for: Callable[[list[str]], str],
    ) -> None:
        """Import ``images`` in the background and insert each stored photo at its place; then
        ``notice`` says ``notice_for(names of the images that failed)`` (when not empty)."""
        work = importer(images)
        if work is None:
            self._say(notice_for([image.name for image in images]))
            return
        generation = self._generation
        job = run_job(work, name="paste-photos", parent=self,
                      on_success=lambda shas: self._done(shas, images, places, generation, notice_for),
                      on_failure=lambda _error: self._say(notice_for([image.name for image in images])),
                      on_progress=lambda done, total, _name: self.progress.emit(storing_text(done, total)))
        self.jobs.append(job)
        job.finished.connect(lambda: self._forget(job))
        self.progress.emit(storing_text(0, len(images)))

    def _forget(self, job: BackgroundJob) -> None:
        self.jobs.remove(job)
        if not self.jobs:
            self.progress.emit("")

    def _say(self, text: str) -> None:
        if text:
            self.notice.emit(text)

    def _done(self, shas: list[str | None], images: list[PastedImage], places: list[tuple[int, _Place]],
              generation: int, notice_for: Callable[[list[str]], str]) -> None:
        from dayuan_desktop.ui.editor.body_formats import PHOTO_SCHEME

        shas = [sha if isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha) else None for sha in shas]
        stored = [sha for sha in shas if sha]
        if generation == self._generation and stored:
            self._insert({index: sha for index, sha in enumerate(shas) if sha}, places, PHOTO_SCHEME)
        if stored:
            self.imported.emit(stored)
        self._say(notice_for([image.name for image, sha in zip(images, shas, strict=False) if not sha]))

    def _insert(self, shas: dict[int, str], places: list[tuple[int, _Place]], scheme: str) -> None:
        edit = QTextCursor(self._document())
        edit.beginEditBlock()  # the photos of one paste: one undo step
        try:
            for index, place in places:
                if index in shas:
                    fmt = QTextImageFormat(place.format)
                    fmt.setName(scheme + shas[index])
                    place.cursor.clearSelection()  # text typed at the mark may have widened it: keep that text
                    place.cursor.insertImage(fmt)
        finally:
            edit.endEditBlock()


def storing_text(done: int, total: int) -> str:
    """The status bar's line while pasted images are stored: which one of how many."""
    if total <= 1:
        return QCoreApplication.translate("BodyEditor", "Storing the pasted photo…")
    return QCoreApplication.translate("BodyEditor", "Storing pasted photos: %1 of %2…") \
        .replace("%1", str(min(done + 1, total))).replace("%2", str(total))
