"""Removing a photo can be undone, and a caption never stays in the body without its picture.

:class:`PhotoRemovalUndo` remembers each photo taken out of the article with the photo panel
(its place, lead mark and the body paragraphs it sat in). *Undo remove* on the panel (or
Ctrl+Z on the photo list) puts all of it back. And when the body comes to refer to a photo
the article no longer has — typically Ctrl+Z in the body after removing the photo, which
brings the photo line back — the photo is attached again by itself: at its old place when
its removal is remembered, otherwise at the end, taken from the photo library. A photo the
library does not have is left to the pre-publish checks, which block publishing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal

from dayuan_desktop.ui.jobs import run_job
from dayuan_desktop.ui.photos.body_photos import photo_block_numbers, restore_photo_lines

REATTACH_DELAY_MS = 300  # after the body stops changing; reading the body's Markdown is not free
_MAX_REMEMBERED = 50


@dataclass(frozen=True)
class RemovedPhoto:
    """A photo taken out of an article, with all it takes to put it back."""

    article_id: int
    photo: object  # its PhotoRecord: the caption data stay in the library, and come back with it
    position: int
    was_lead: bool
    body_blocks: tuple[int, ...] = ()  # the body paragraphs (block numbers) that showed it


class PhotoRemovalUndo(QObject):
    """Undo of photo removals, and re-attaching photos the body refers to (see the module's description)."""

    reattached = Signal(list)  # noqa: N815 — sha256s attached again because the body refers to them

    def __init__(self, panel, body, parent: QObject | None = None) -> None:
        """``panel``: the PhotoPanel; ``body``: the BodyEditor of the same article."""
        super().__init__(parent)
        self.panel, self.body = panel, body
        self._removed: list[RemovedPhoto] = []
        self._looking_up: set[str] = set()  # photos being fetched from the library
        self._timer = QTimer(self, singleShot=True, interval=REATTACH_DELAY_MS, timeout=self.reattach_missing)
        panel.photoRemoved.connect(self._remember)
        panel.undo_remove_action.triggered.connect(self.undo)
        panel.model.modelReset.connect(self._update_action)  # another article was opened
        body.contentChanged.connect(self._timer.start)

    def _remember(self, removal: RemovedPhoto) -> None:
        # Called before the body loses the photo: where it sits there is still known.
        blocks = photo_block_numbers(self.body, removal.photo.sha256)
        self._removed = [*self._removed, replace(removal, body_blocks=blocks)][-_MAX_REMEMBERED:]
        self._update_action()

    def _current(self) -> list[RemovedPhoto]:
        article_id = self.panel.article_id()
        return [removal for removal in self._removed if removal.article_id == article_id]

    def _update_action(self) -> None:
        self.panel.undo_remove_action.setEnabled(bool(self._current()))

    def undo(self) -> None:
        """Put the most recently removed photo of the open article back, body lines included."""
        current = self._current()
        if not current:
            return
        removal = current[-1]
        self._removed.remove(removal)
        sha = removal.photo.sha256
        self.panel.put_back(removal.photo, removal.position, removal.was_lead)
        if removal.body_blocks and not photo_block_numbers(self.body, sha):  # not brought back in the body already
            restore_photo_lines(self.body, sha, removal.photo.caption, removal.body_blocks)
        self._update_action()

    def missing_photos(self) -> list[str]:
        """Photos (sha256) the body shows that the article does not have, in body order."""
        from dayuan_desktop.core.render import PHOTO_LINE

        attached = set(self.panel.model.shas())
        shown = dict.fromkeys(match.group("sha") for match in PHOTO_LINE.finditer(self.body.markdown()))
        return [sha for sha in shown if sha not in attached]

    def reattach_missing(self) -> None:
        """Attach again every photo the body refers to that the article lacks (see the module)."""
        article_id = self.panel.article_id()
        if article_id is None or self.panel.store is None:
            return
        missing = self.missing_photos()
        remembered = {removal.photo.sha256: removal for removal in self._current()}
        back = []
        for sha in missing:
            removal = remembered.get(sha)
            if removal is not None:
                self._removed.remove(removal)
                self.panel.put_back(removal.photo, removal.position, removal.was_lead)
                back.append(sha)
        unknown = [sha for sha in missing if sha not in remembered and sha not in self._looking_up]
        if unknown:
            self._look_up(article_id, unknown)
        self._update_action()
        if back:
            self.reattached.emit(back)

    def _look_up(self, article_id: int, shas: list[str]) -> None:
        store = self.panel.store
        self._looking_up.update(shas)

        def work(_context) -> list:
            from dayuan_desktop.core.errors import NotFoundError

            found = []
            for sha in shas:
                try:
                    found.append(store.photos.get_photo(sha))
                except NotFoundError:
                    continue  # not in the library: the pre-publish checks block publishing instead
            return found

        def done(photos: list) -> None:
            self._looking_up.difference_update(shas)
            if self.panel.article_id() != article_id:
                return  # another article was opened meanwhile
            still = set(self.missing_photos())
            back = [photo for photo in photos if photo.sha256 in still]
            for photo in back:
                self.panel.put_back(photo, self.panel.model.rowCount(), False)
            if back:
                self.reattached.emit([photo.sha256 for photo in back])

        run_job(work, name="photo-reattach", parent=self, on_success=done,
                on_failure=lambda _error: self._looking_up.difference_update(shas))
