"""Fixtures for the body editor tests: a real editor, a real photo store as its photo importer."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.photos.importing import import_photo
from dayuan_desktop.ui.editor.body_editor import BodyEditor


@pytest.fixture
def editor(qtbot):
    """A shown BodyEditor with focus in its WYSIWYG view."""
    widget = BodyEditor()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.text_edit().setFocus()
    return widget


@pytest.fixture
def photo_importer(ui_store):
    """The real photo pipeline behind the paste: bytes are checked, stored, and named by sha256."""
    imported: list[tuple[str, str]] = []

    def one(data: bytes | None, name: str) -> str | None:
        try:
            sha = import_photo(ui_store, data or b"", name=name).photo.sha256
        except DayuanError:
            return None
        imported.append((sha, name))
        return sha

    def importer(images):  # called at paste time; the work runs on a pool thread
        return lambda _context: [one(image.read(), image.name) for image in images]

    importer.imported = imported
    return importer

