"""Checks before publishing, in the editor: choosing 已发布 runs them first.

:class:`PublishGuard` watches the form's status box. When the editor chooses *published* for
an article that is not published yet, the status goes back to what it was while the checks
of :mod:`dayuan_desktop.core.publish_checks` run on the article as the editor shows it. With
no findings it is published at once; otherwise :class:`PublishCheckDialog` lists them:
blocking problems keep the article unpublished, warnings can be accepted (仍然发布).
So the form never holds *published* while a question is open, and autosave cannot store it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from dayuan_desktop.core.publish_checks import Finding
    from dayuan_desktop.core.records import ArticleRecord
    from dayuan_desktop.ui.editor.metadata_form import MetadataForm

PUBLISHED = "published"


class PublishCheckDialog(QDialog):
    """The findings of the checks; accepted (仍然发布) only when none of them blocks."""

    def __init__(self, findings: Sequence[Finding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publishCheckDialog")
        self.setWindowTitle(self.tr("Checks before publishing"))
        self.findings = list(findings)
        self.blocked = any(finding.blocking for finding in findings)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setText(
            self.tr("This article cannot be published yet. Fix these first; its status stays as it was:")
            if self.blocked else self.tr("Worth a look before publishing:"))
        self.list = QListWidget(self)
        self.list.setObjectName("publishFindings")
        self.list.setWordWrap(True)
        for finding in sorted(self.findings, key=lambda f: not f.blocking):
            item = QListWidgetItem(("⛔ " if finding.blocking else "⚠ ") + finding.message, self.list)
            item.setData(Qt.ItemDataRole.UserRole, finding.code)
        self.buttons = QDialogButtonBox(self)
        if self.blocked:
            self.back_button = self.buttons.addButton(self.tr("Back to editing"), QDialogButtonBox.ButtonRole.RejectRole)
            self.publish_button = None
        else:
            self.publish_button = self.buttons.addButton(self.tr("Publish anyway"),
                                                         QDialogButtonBox.ButtonRole.AcceptRole)
            self.back_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
            self.back_button.setDefault(True)  # Enter does not publish past the warnings by accident
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 320)


class PublishGuard(QObject):
    """Runs the pre-publish checks when the editor chooses *published* (see the module's description)."""

    published = Signal()  # the checks passed (or their warnings were accepted): the form now says published
    refused = Signal(list)  # the Finding list that kept the article unpublished (blocking, or the editor cancelled)

    def __init__(
        self, form: MetadataForm, stored_status: Callable[[], str | None],
        current_record: Callable[[], ArticleRecord | None], rendition_width: Callable[[], int],
        gps_photos: Callable[[], Collection[str]], parent: QWidget,
    ) -> None:
        """``stored_status``: the open article's status as saved; ``current_record``: the article
        as the editor shows it (unsaved values and photos included)."""
        super().__init__(parent)
        self.form, self.stored_status, self.current_record = form, stored_status, current_record
        self.rendition_width, self.gps_photos = rendition_width, gps_photos
        self.dialog: PublishCheckDialog | None = None
        self._applying = False
        self._shown_before = form.status.currentData()  # the last status shown other than published
        form.status.currentIndexChanged.connect(self._status_chosen)

    def _status_chosen(self, _index: int) -> None:
        chosen = self.form.status.currentData()
        if self._applying:
            return
        if chosen != PUBLISHED:
            self._shown_before = chosen
            return
        stored = self.stored_status()
        if stored in (None, PUBLISHED):
            return  # loading an article, or it is published already
        # Back to what the form showed (an unsaved "review" stays), until the checks allow it.
        self._set_status(self._shown_before or stored, quietly=True)
        record = self.current_record()
        if record is None:
            return
        from dayuan_desktop.core.publish_checks import check_article

        findings = check_article(record, rendition_width=self.rendition_width(), gps_photos=self.gps_photos())
        if not findings:
            self._publish()
            return
        self.dialog = PublishCheckDialog(findings, self.parent())
        self.dialog.accepted.connect(self._publish)
        self.dialog.rejected.connect(lambda: self.refused.emit(findings))
        self.dialog.finished.connect(self._dialog_closed)
        self.dialog.open()

    def _dialog_closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def _publish(self) -> None:
        self._set_status(PUBLISHED, quietly=False)  # a user edit: the form tells autosave
        self.published.emit()

    def _set_status(self, status: str, *, quietly: bool) -> None:
        index = max(0, self.form.status.findData(status))
        self._applying = True
        try:
            if quietly:
                with QSignalBlocker(self.form.status):
                    self.form.status.setCurrentIndex(index)
            else:
                self.form.status.setCurrentIndex(index)
        finally:
            self._applying = False
