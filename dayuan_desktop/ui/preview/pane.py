"""Interim preview pane (the QtWebEngine pane replaces this module)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PreviewPane(QWidget):
    """Placeholder with the preview's API."""

    rendered = Signal()

    def __init__(self, store, site_settings, cache_dir, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = QLabel(self)
        QVBoxLayout(self).addWidget(self._label)

    def show_article(self, record) -> None:
        """Show an article's page."""
        self._label.setText(record.title)
        self.rendered.emit()

    def set_site(self, site_settings) -> None:
        """Use other site settings."""

    def set_phone_width(self, phone: bool) -> None:
        """Switch between desktop and phone width."""
