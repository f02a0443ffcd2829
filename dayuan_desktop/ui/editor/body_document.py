"""The body's QTextDocument: images come from an injectable provider, never from disk or network."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument

from dayuan_desktop.ui.editor.body_formats import MAX_IMAGE_WIDTH, PHOTO_SCHEME, placeholder_image

# sha256 of a photo of the article → its thumbnail (None while unknown or unreadable)
ImageProvider = Callable[[str], QImage | None]
_IMAGE = QTextDocument.ResourceType.ImageResource.value


class BodyDocument(QTextDocument):
    """A text document whose ``photo:<sha256>`` images are drawn from an image provider.

    Any other image URL (a pasted ``http:`` or ``file:`` address, a relative path) gets the
    neutral placeholder: the editor neither fetches from the network nor reads local files
    behind the user's back.
    """

    def __init__(self, parent: QObject | None = None, image_provider: ImageProvider | None = None) -> None:
        super().__init__(parent)
        self._image_provider = image_provider
        self._images: dict[str, QImage] = {}

    def set_image_provider(self, provider: ImageProvider | None) -> None:
        """Use ``provider`` for photos from now on, and redraw the photos already shown."""
        self._image_provider = provider
        self.refresh_images()

    def refresh_images(self) -> None:
        """Ask the provider again for every image in the document (e.g. a thumbnail became ready)."""
        self._images.clear()
        for name in self.image_names():
            # The document keeps what it once loaded; replacing the resource is how it learns.
            self.addResource(_IMAGE, QUrl(name), self.image_for(name))
        self.markContentsDirty(0, self.characterCount())

    def image_names(self) -> list[str]:
        """The URL of every image in the document, in order, without repeats."""
        names: list[str] = []
        block = self.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fmt = it.fragment().charFormat()
                if fmt.isImageFormat():
                    name = fmt.toImageFormat().name()
                    if name not in names:
                        names.append(name)
                it += 1
            block = block.next()
        return names

    def image_for(self, name: str) -> QImage:
        """The pixels shown for an image URL: the provider's thumbnail for a photo, else a placeholder."""
        image = self._images.get(name)
        if image is not None:
            return image
        image = None
        if name.startswith(PHOTO_SCHEME) and self._image_provider is not None:
            try:
                image = self._image_provider(name[len(PHOTO_SCHEME):])
            except Exception:  # a broken thumbnail cache must not take the editor down
                image = None
        if image is None or image.isNull():
            image = placeholder_image()
        elif image.width() > MAX_IMAGE_WIDTH:
            image = image.scaledToWidth(MAX_IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
        self._images[name] = image
        return image

    def loadResource(self, kind: int, url: QUrl) -> object:  # noqa: N802 (Qt's name)
        """Images through :meth:`image_for`; no other resource is ever loaded."""
        if int(getattr(kind, "value", kind)) != _IMAGE:
            return None
        return self.image_for(url.toString())
