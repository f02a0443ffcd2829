"""The window's side area: the preview and the article's photos as two tabs.

The photo panel lives here rather than under the body so the body keeps its height; the
tab it sits in is the "photo panel shown" state the window remembers (View → Photos).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

PREVIEW_TAB, PHOTOS_TAB = 0, 1


class SideArea(QTabWidget):
    """Preview and photo panel in tabs; ``photosShownChanged`` says when the photo tab comes or goes."""

    photosShownChanged = Signal(bool)  # noqa: N815 (Qt naming)

    def __init__(self, preview: QWidget, photos: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sideArea")
        self.setDocumentMode(True)
        self.photos = photos
        self.addTab(preview, self.tr("Preview"))
        self.addTab(photos, self.tr("Photos"))
        # Narrower than the old strip under the body: the grid above, the caption form below.
        splitter = getattr(photos, "splitter", None)
        if splitter is not None:
            splitter.setOrientation(Qt.Orientation.Vertical)
            splitter.setSizes([300, 260])
            # Remembered under a name of its own: a splitter's saved state carries its orientation,
            # and the side-by-side one kept from before would turn it back.
            splitter.setObjectName("photoSideSplitter")
        self.currentChanged.connect(lambda index: self.photosShownChanged.emit(index == PHOTOS_TAB))
        model = getattr(photos, "model", None)
        if model is not None:
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
                signal.connect(lambda *_args: self.set_photo_count(model.rowCount()))

    @property
    def photos_shown(self) -> bool:
        """True while the photo panel is the tab on top."""
        return self.currentIndex() == PHOTOS_TAB

    def show_photos(self, shown: bool) -> None:
        """Bring the photo panel up (True) or the preview (False)."""
        self.setCurrentIndex(PHOTOS_TAB if shown else PREVIEW_TAB)

    def set_preview(self, preview: QWidget) -> None:
        """Put the real preview in place of the placeholder shown until QtWebEngine started."""
        current = self.currentIndex()
        old = self.widget(PREVIEW_TAB)
        self.blockSignals(True)  # swapping the page is not the user switching tabs
        try:
            self.removeTab(PREVIEW_TAB)
            self.insertTab(PREVIEW_TAB, preview, self.tr("Preview"))
            self.setCurrentIndex(current)
        finally:
            self.blockSignals(False)
        old.deleteLater()

    def set_photo_count(self, count: int) -> None:
        """Show how many photos the article has on the photo tab."""
        text = self.tr("Photos") if count == 0 else self.tr("Photos (%1)").replace("%1", str(count))
        self.setTabText(PHOTOS_TAB, text)
