"""The small dialog that asks for a link's web address, and the check that refuses bad ones."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

ALLOWED_SCHEMES = ("http", "https", "mailto")  # those the portal's sanitiser keeps (core.render)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_NOISE = re.compile(r"[\s\x00-\x1f\x7f]+")


def check_link_url(url: str) -> tuple[str, str | None]:
    """The address to store for what the user typed, and why it is refused (None when fine).

    ``www.example.com`` gets ``https://``; site paths (``/gsyl/4709.html``) and ``#anchors``
    are kept; ``javascript:``, ``data:``, ``file:`` and any other scheme the portal would
    strip are refused, also when disguised by spaces or control characters.
    """
    url = url.strip()
    if not url:
        return "", None
    scheme = _SCHEME.match(_NOISE.sub("", url))
    if scheme is not None and scheme.group(1).lower() not in ALLOWED_SCHEMES:
        return url, QCoreApplication.translate(
            "BodyEditor", "Links to “%1:” addresses are not allowed: use an http, https or mailto address."
        ).replace("%1", scheme.group(1))
    if _NOISE.search(url):
        return url, QCoreApplication.translate("BodyEditor", "A web address cannot contain spaces or line breaks.")
    if scheme is None and url.lower().startswith("www."):
        url = "https://" + url
    elif scheme is None and url.startswith("//"):
        url = "https:" + url
    if scheme is not None and scheme.group(1).lower() in ("http", "https") and not re.match(
        r"^https?://[^/?#\s]+", url, re.IGNORECASE
    ):
        return url, QCoreApplication.translate("BodyEditor", "This web address has no site name after “//”.")
    return url, None


# Room for a typical article address (https://www.sxdygbjy.com/gsyl/lzgs/4709.html is 44) and
# for the title in the window manager's title bar, whose buttons and icon take their share.
ADDRESS_CHARACTERS = 56


class LinkDialog(QDialog):
    """Asks for a link's address; OK with a bad address shows why instead of closing."""

    def __init__(self, parent: QWidget | None = None, url: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit Link") if url else self.tr("Insert Link"))
        self.url_edit = QLineEdit(url)
        # A bare QDialog shrinks to its label: the address did not fit and the window manager
        # cut the title off. Wide enough for a whole address instead, measured in the font.
        self.url_edit.setMinimumWidth(self.url_edit.fontMetrics().averageCharWidth() * ADDRESS_CHARACTERS)
        self.url_edit.setPlaceholderText("https://")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b3261e")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Web address (leave empty to remove the link):")))
        layout.addWidget(self.url_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.url = ""

    def accept(self) -> None:
        """Close with the checked address, or stay open and say what is wrong with it."""
        url, problem = check_link_url(self.url_edit.text())
        if problem is not None:
            self.error_label.setText(problem)
            self.error_label.show()
            return
        self.url = url
        super().accept()
