"""The caption form of the selected photo: caption, photographer, credit, copyright.

Shows the composed house-style line ``图为……。某某摄`` and the pipeline's problems live as
the fields change, and says what changed through :attr:`CaptionForm.edited`; saving is the
panel's job (see :class:`dayuan_desktop.ui.photos.text_saver.PhotoTextSaver`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from dayuan_desktop.ui.photos.caption_edit import CaptionEdit

FIELDS = ("caption", "photographer", "credit", "copyright")


class CaptionForm(QWidget):
    """Edits the texts of one photo."""

    edited = Signal(str, dict)  # noqa: N815 — sha256, the four texts as typed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._photo = None
        self._gps = False
        self._loading = False
        self.caption = CaptionEdit(self)  # grows to several lines with a long caption
        self.caption.setPlaceholderText(self.tr("What the photo shows, e.g. 大同古城墙上的游客"))
        self.photographer = QLineEdit(self)
        self.photographer.setPlaceholderText(self.tr("e.g. 李明"))
        self.credit = QLineEdit(self)
        self.copyright = QLineEdit(self)
        self.composed = QLabel(self)
        self.composed.setObjectName("composedCaption")
        self.composed.setWordWrap(True)
        self.composed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = QLabel(self)
        self.problems.setObjectName("photoProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        # The fields scroll when the panel is short: a long caption keeps all its lines (and
        # the whole window is not made taller by it).
        fields = QWidget(self)
        scroll = QScrollArea(self)
        scroll.setObjectName("captionFormScroll")
        scroll.setWidget(fields)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QFormLayout(fields)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addRow(self.tr("Caption"), self.caption)
        layout.addRow(self.tr("Photographer"), self.photographer)
        layout.addRow(self.tr("Credit"), self.credit)
        layout.addRow(self.tr("Copyright"), self.copyright)
        layout.addRow(self.tr("Shown as"), self.composed)
        layout.addRow(self.problems)
        for edit in self._edits():
            edit.textEdited.connect(self._changed)
        self.set_photo(None)

    def _edits(self) -> list[QLineEdit | CaptionEdit]:
        return [self.caption, self.photographer, self.credit, self.copyright]

    # -- public API ----------------------------------------------------------------------------
    def set_photo(self, photo, gps: bool = False) -> None:
        """Show a photo's texts (None: nothing selected, the form is disabled)."""
        self._photo = photo
        self._gps = gps
        self._loading = True
        try:
            for name, edit in zip(FIELDS, self._edits(), strict=True):
                edit.setText(getattr(photo, name) if photo is not None else "")
                edit.setCursorPosition(0)
        finally:
            self._loading = False
        self.setEnabled(photo is not None)
        self._show_checks()

    def set_gps(self, gps: bool) -> None:
        """Whether the shown photo's file carries a GPS position (found out in the background)."""
        self._gps = gps
        self._show_checks()

    def sha256(self) -> str | None:
        """The photo shown, or None."""
        return self._photo.sha256 if self._photo is not None else None

    def values(self) -> dict[str, str]:
        """The four texts as typed."""
        return {name: edit.text() for name, edit in zip(FIELDS, self._edits(), strict=True)}

    def problem_codes(self) -> list[str]:
        """The codes of the problems shown (see core.photos.checks)."""
        return [problem.code for problem in self._problems()]

    # -- internals -------------------------------------------------------------------------------
    def _changed(self) -> None:
        if self._loading or self._photo is None:
            return
        self._show_checks()
        self.edited.emit(self._photo.sha256, self.values())

    def _problems(self) -> list:
        if self._photo is None:
            return []
        from dayuan_desktop.core.photos.checks import photo_problems

        return photo_problems(self.caption.text(), self.photographer.text(), self._photo.width, gps=self._gps)

    def _show_checks(self) -> None:
        if self._photo is None:
            self.composed.setText("")
            self.problems.setText("")
            return
        from dayuan_desktop.core.captions import compose_caption

        self.composed.setText(compose_caption(self.caption.text(), self.photographer.text()))
        self.problems.setText("\n".join("⚠ " + self._describe(p) for p in self._problems()))

    def _describe(self, problem) -> str:
        from dayuan_desktop.core.captions import caption_text
        from dayuan_desktop.core.photos.checks import MAX_CAPTION_CHARS, MIN_WIDTH

        if problem.code == "missing_caption":
            return self.tr("Missing caption")
        if problem.code == "missing_photographer":
            return self.tr("Missing photographer")
        if problem.code == "caption_too_long":
            return self.tr("Caption has %1 characters; at most %2 fit the portal").replace(
                "%1", str(len(caption_text(self.caption.text())))).replace("%2", str(MAX_CAPTION_CHARS))
        if problem.code == "too_narrow":
            return self.tr("Photo is %1 px wide; the article column needs at least %2 px").replace(
                "%1", str(self._photo.width)).replace("%2", str(MIN_WIDTH))
        if problem.code == "gps_present":
            return self.tr("GPS position present: it is removed from every published copy")
        return problem.message
