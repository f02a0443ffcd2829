"""Pasting into the body: clipboard data → document content at the cursor, as one undo step.

In order of preference: our own Markdown (copied from this editor), HTML (cleaned by
:mod:`paste_html`), a bitmap, image files, plain text. Embedded images (``data:`` and
``file:`` URLs, bitmaps, image files) become photos of the article through the photo
importer, on a pool thread, and are inserted as ``photo:<sha256>`` images when stored (see
:mod:`paste_photos`); web images are never downloaded. Whatever is left out is said in one notice.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QMimeData, QUrl
from PySide6.QtGui import (
    QImage,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.interchange.html_tree import parse_html
from dayuan_desktop.core.paragraph_indent import UNICODE_SPACES
from dayuan_desktop.ui.editor.body_document import BodyDocument
from dayuan_desktop.ui.editor.body_formats import LINE_SEPARATOR, PHOTO_SCHEME, image_format, text_list_of
from dayuan_desktop.ui.editor.markdown_builder import DocumentBuilder
from dayuan_desktop.ui.editor.markdown_reader import markdown_to_html
from dayuan_desktop.ui.editor.paste_html import PasteReport, cleaned
from dayuan_desktop.ui.editor.paste_photos import PENDING_SCHEME, PastedImage, PendingPhotos, PhotoImporter

MARKDOWN_MIME = "text/markdown"
MAX_IMAGE_BYTES = 50 * 1024 * 1024  # a pasted or referenced image larger than this is refused
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp"}
# Encoded images a clipboard may offer beside (or instead of) a bitmap, best first: their bytes are
# stored as they are (a copied camera JPEG keeps its quality and metadata, nothing is decoded now).
ENCODED_IMAGES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif",
                  "image/tiff": ".tif"}
# A bitmap larger than this with no transparency is a photograph: stored as JPEG, not PNG. A
# 24-megapixel PNG is ~60 MB, seconds to encode and decode, and decoding it in full for its
# rendition holds Python's lock long enough to stall the window (JPEG decodes at reduced scale).
PHOTO_BITMAP_PIXELS = 8_000_000
BITMAP_JPEG_QUALITY = 92
_DATA_URL = re.compile(r"^data:([\w.+/-]*)((?:;[\w=.+-]+)*?)(;base64)?,(.*)$", re.IGNORECASE | re.DOTALL)
# Unicode-space indentation at a line's start (core.paragraph_indent: the page never shows it).
_LINE_INDENT = re.compile(f"^[{UNICODE_SPACES.replace(LINE_SEPARATOR, '')}]+", re.MULTILINE)
_FRAGMENT = re.compile(r"<!--\s*StartFragment\s*-->(.*)<!--\s*EndFragment\s*-->", re.IGNORECASE | re.DOTALL)


class Paster:
    """Turns clipboard data into document content for one editor."""

    def __init__(self, importer: PhotoImporter | None = None, pending: PendingPhotos | None = None) -> None:
        self.importer = importer
        self.pending = pending  # where pasted images are imported (None: images are left out)
        self.failed_images = 0
        self._images: list[PastedImage] = []

    @staticmethod
    def can_paste(source: QMimeData) -> bool:
        """Is there anything in the data the body can take?"""
        return source.hasFormat(MARKDOWN_MIME) or source.hasHtml() or source.hasText() or source.hasImage() or (
            _encoded_format(source) is not None
        ) or (source.hasUrls() and any(_is_image_file(url) for url in source.urls()))

    def paste(self, source: QMimeData, cursor: QTextCursor) -> str:
        """Insert the data at the cursor (replacing its selection); returns a notice ("" if none)."""
        self.failed_images = 0
        self._images = []
        report = PasteReport()
        document = BodyDocument()  # never loads an image from a file or the network
        if source.hasFormat(MARKDOWN_MIME):
            text = bytes(source.data(MARKDOWN_MIME).data()).decode("utf-8", "replace")
            _build(document, parse_html(markdown_to_html(text)).root.children, collapse=False)
        elif source.hasHtml() and self._html(source.html(), document, report):
            pass
        elif source.hasImage() or _encoded_format(source) is not None:
            self._bitmap(source, document)
        elif source.hasUrls() and any(_is_image_file(url) for url in source.urls()):
            self._image_files(source.urls(), document)
        else:
            return self._plain(source.text(), cursor)
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        into_empty_block = cursor.block().length() == 1
        start = cursor.position()
        cursor.insertFragment(QTextDocumentFragment(document))
        if into_empty_block:
            _keep_first_block_format(document, cursor.document().findBlock(start))
        places = self.pending.take_placeholders(start, cursor.position()) if self._images else []
        cursor.endEditBlock()
        if self._images:  # the photos follow when stored, at the places marked; then the one notice
            failed_now = self.failed_images
            self.pending.start(self.importer, self._images, places,
                               lambda failed: paste_notice(report, failed_now + len(failed), failed))
            return ""
        return self.notice(report)

    def notice(self, report: PasteReport) -> str:
        """One sentence per kind of thing left out."""
        return paste_notice(report, self.failed_images)

    # -- kinds of data ------------------------------------------------------------------------
    def _html(self, html: str, document: QTextDocument, report: PasteReport) -> bool:
        match = _FRAGMENT.search(html)  # Windows clipboard HTML marks the copied part
        try:
            tree = parse_html(match.group(1) if match else html)
        except ValidationError:
            return False  # absurdly deep nesting: paste the plain text instead
        nodes = cleaned(tree.root.children, report)
        _build(document, nodes, collapse=True, image_source=self._image_source)
        return True

    def _image_source(self, src: str, alt: str) -> str | None:
        lowered = src.lower()
        if lowered.startswith(PHOTO_SCHEME):
            return src if re.fullmatch(r"photo:[0-9a-f]{64}", src) else None
        if lowered.startswith("data:"):
            return self._import(lambda: _data_url_bytes(src), alt or "pasted-image")
        if lowered.startswith("file:"):
            path = Path(QUrl(src).toLocalFile() or unquote(urlsplit(src).path))
            return self._import(lambda: _read_file(path), path.name)
        self.failed_images += 1  # a relative or unknown address: nothing to read
        return None

    def _import(self, read: Callable[[], bytes | None], name: str) -> str | None:
        """A placeholder for an image to import (its bytes are read on the pool thread); None: left out."""
        if self.importer is None or self.pending is None:
            self.failed_images += 1
            return None
        self._images.append(PastedImage(read, name))
        return f"{PENDING_SCHEME}{len(self._images) - 1}"

    def _bitmap(self, source: QMimeData, document: QTextDocument) -> None:
        """A copied image: the encoded bytes the clipboard offers, else its bitmap (encoded on the pool thread).

        ``imageData()`` is not called when encoded bytes are there: on a real clipboard it decodes
        the image on the UI thread (~0.3 s for a camera photo).
        """
        mime_type = _encoded_format(source)
        image = None if mime_type else source.imageData()
        if mime_type:
            data = bytes(source.data(mime_type).data())
            src = self._import(lambda: data if len(data) <= MAX_IMAGE_BYTES else None,
                               "pasted-image" + ENCODED_IMAGES[mime_type])
        elif isinstance(image, QImage) and not image.isNull():
            as_jpeg = not image.hasAlphaChannel() and image.width() * image.height() > PHOTO_BITMAP_PIXELS
            src = self._import(lambda: _bitmap_bytes(image, "JPEG" if as_jpeg else "PNG"),
                               "pasted-image.jpg" if as_jpeg else "pasted-image.png")
        else:
            src, self.failed_images = None, self.failed_images + 1
        if src:
            QTextCursor(document).insertImage(image_format(src))

    def _image_files(self, urls: list[QUrl], document: QTextDocument) -> None:
        cursor = QTextCursor(document)
        for url in urls:
            if not _is_image_file(url):
                continue
            path = Path(url.toLocalFile())
            src = self._import(lambda path=path: _read_file(path), path.name)
            if src:
                if not document.isEmpty():
                    cursor.insertBlock()
                cursor.insertImage(image_format(src))

    def _plain(self, text: str, cursor: QTextCursor) -> str:
        """Plain text: a blank line starts a paragraph, a single line break stays a line break."""
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
        text = _LINE_INDENT.sub("", text)  # each line of plain text from Word/WPS is a paragraph
        paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t\u3000]*\n", text)]
        joined = "\n".join(p.replace("\n", LINE_SEPARATOR) for p in paragraphs if p.strip())
        cursor.beginEditBlock()
        cursor.insertText(joined)
        cursor.endEditBlock()
        return ""


def paste_notice(report: PasteReport, failed_images: int, names: list[str] | None = None) -> str:
    """One sentence per kind of thing a paste left out (web images, images that are no photos);
    ``names``: those of the images that could not be stored (a damaged file is then named)."""
    parts = []
    # Literal translate() calls, so that lupdate finds the texts.
    if report.remote_images:
        parts.append(QCoreApplication.translate(
            "BodyEditor",
            "Images from the web were left out (%1): the editor does not download them. "
            "Save them and add them as photos.",
        ).replace("%1", str(report.remote_images)))
    if failed_images and names:
        parts.append(QCoreApplication.translate(
            "BodyEditor", "Images that could not be read as photos were left out (%1): %2."
        ).replace("%1", str(failed_images)).replace("%2", ", ".join(names)))
    elif failed_images:
        parts.append(QCoreApplication.translate(
            "BodyEditor", "Images that could not be read as photos were left out (%1)."
        ).replace("%1", str(failed_images)))
    return " ".join(parts)


def _bitmap_bytes(image: QImage, image_format: str) -> bytes:
    """A bitmap from the clipboard as PNG or JPEG bytes (QImage may be used off the UI thread)."""
    buffer = QByteArray()
    device = QBuffer(buffer)
    device.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(device, image_format, BITMAP_JPEG_QUALITY if image_format == "JPEG" else -1) \
            and image_format != "PNG":  # no JPEG writer in this Qt: PNG, larger but never refused
        buffer.clear()
        device.seek(0)
        image.save(device, "PNG")
    return bytes(buffer.data())


def _encoded_format(source: QMimeData) -> str | None:
    """The best encoded image type the data offers, or None."""
    return next((mime_type for mime_type in ENCODED_IMAGES if source.hasFormat(mime_type)), None)


def _keep_first_block_format(source: QTextDocument, target: QTextBlock) -> None:
    """Give the block the pasted content started in the format of its first block.

    Qt merges the first pasted block into the block at the cursor, which keeps its own
    format; pasted into an empty block, a heading, quote or list item should stay one.
    """
    first = source.begin()
    fmt = QTextBlockFormat(first.blockFormat())
    fmt.setObjectIndex(-1)  # the list it belonged to is in the other document
    QTextCursor(target).setBlockFormat(fmt)
    pasted_list = text_list_of(first)
    if pasted_list is None:
        return
    following = target.next()
    after = text_list_of(following) if following.isValid() else None
    if after is not None and after.format().style() == pasted_list.format().style() \
            and after.format().indent() == pasted_list.format().indent():
        after.add(target)
    else:
        QTextCursor(target).createList(pasted_list.format())


def _build(document: QTextDocument, nodes: list, *, collapse: bool, image_source=None) -> None:
    builder = DocumentBuilder(
        document, collapse_whitespace=collapse, image_source=image_source,
        # h1 is the article's title on the portal: a pasted one becomes a subheading.
        heading_map=(lambda level: 2 if level <= 2 else 3) if collapse else (lambda level: level),
    )
    builder.add(nodes)
    builder.finish()


def _data_url_bytes(src: str) -> bytes | None:
    match = _DATA_URL.match(src.strip())
    if match is None or not match.group(3) or len(match.group(4)) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        return None
    try:
        return base64.b64decode(re.sub(r"\s+", "", unquote(match.group(4))), validate=True)
    except (binascii.Error, ValueError):
        return None


def _read_file(path: Path) -> bytes | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _is_image_file(url: QUrl) -> bool:
    return url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES
