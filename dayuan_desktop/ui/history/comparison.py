"""The side-by-side comparison of two versions of an article, changed characters highlighted.

Used by the history dialog and the conflict dialog. Comparing (``core.revision_compare``) and
building the HTML run as a job: a long article's comparison never holds the UI thread.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QTextBrowser, QWidget

from dayuan_desktop.core.revision_compare import compare_versions
from dayuan_desktop.ui.history.diff_html import Labels, comparison_html
from dayuan_desktop.ui.jobs import BackgroundJob, run_job


class ComparisonView(QWidget):
    """Old version on the left, new on the right; ``shown`` once a comparison is on screen."""

    shown = Signal()
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, zone: tzinfo = UTC) -> None:
        super().__init__(parent)
        self.zone = zone  # times (e.g. the publish time) read in the site's zone, as in the editor
        self.old_label = QLabel(self)
        self.new_label = QLabel(self)
        for label in (self.old_label, self.new_label):
            label.setWordWrap(True)
            label.setStyleSheet("font-weight: bold;")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("comparisonBrowser")
        self.browser.setOpenLinks(False)  # the texts are shown, never followed
        self.browser.setPlaceholderText(self.tr("Choose a revision to compare."))
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.old_label, 0, 0)
        layout.addWidget(self.new_label, 0, 1)
        layout.addWidget(self.browser, 1, 0, 1, 2)
        layout.setRowStretch(1, 1)
        self.comparison = None  # the VersionComparison on screen
        self._job: BackgroundJob | None = None
        self._request = 0

    def set_titles(self, old: str, new: str) -> None:
        """Name the two sides (e.g. "张三, 10:02 (autosave)" and "Current text")."""
        self.old_label.setText(old)
        self.new_label.setText(new)

    def labels(self) -> Labels:
        """The words the comparison shows, translated."""
        fields = {
            "title": self.tr("Title"), "subtitle": self.tr("Subtitle"), "author": self.tr("Author line"),
            "source": self.tr("Source"), "summary": self.tr("Summary"), "channel_path": self.tr("Channel"),
            "tags": self.tr("Tags"), "status": self.tr("Status"), "number": self.tr("Number"),
            "published_at": self.tr("Publish time"), "photos": self.tr("Photos"),
        }
        return Labels(fields, self.tr("Body"), self.tr("%1 unchanged paragraphs"),
                      self.tr("The two versions are the same."),
                      self.tr("A very long paragraph changed too much to compare character by character; "
                              "it is marked as a whole."),
                      self.tr("%1 more paragraphs with their context not drawn: the comparison is too long "
                              "to show whole"))

    def compare(self, old: dict, new: dict) -> None:
        """Compare two versions (snapshot dicts) off the UI thread and show the result."""
        if self._job is not None and self._job.is_running:
            self._job.cancel()  # a newer choice replaces it; its result is dropped below
        self._request += 1
        request, labels, zone = self._request, self.labels(), self.zone
        self.browser.setPlainText(self.tr("Comparing…"))

        def work(_context):
            comparison = compare_versions(old, new, zone)
            return comparison, comparison_html(comparison, labels)

        self._job = run_job(work, name="compare-versions", parent=self,
                            on_success=lambda result: self._show(request, result),
                            on_failure=lambda error: self._fail(request, error))

    def clear(self) -> None:
        """Show nothing (no revision chosen)."""
        self._request += 1
        self.comparison = None
        self.browser.clear()
        self.set_titles("", "")

    def _show(self, request: int, result) -> None:
        if request != self._request:
            return  # the user chose another revision meanwhile
        self.comparison, html = result
        self.browser.setHtml(html)
        self.shown.emit()

    def _fail(self, request: int, error: BaseException) -> None:
        if request == self._request:
            self.browser.setPlainText(self.tr("The versions could not be compared: %1").replace("%1", str(error)))
            self.failed.emit(str(error))
