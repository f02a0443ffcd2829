"""A small padlock drawn with QPainter, for articles someone else is editing.

Drawn rather than the 🔒 emoji: no colour-emoji font is installed on many desktops (nor on
these machines), where the emoji shows as an empty box.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

_cache: dict[int, QIcon] = {}


def lock_icon(size: int = 16) -> QIcon:
    """A padlock icon of ``size`` pixels (drawn once per size)."""
    if size not in _cache:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor("#b26a00")
        painter.setPen(QPen(colour, max(1.5, size / 9)))
        shackle = QRectF(size * 0.28, size * 0.08, size * 0.44, size * 0.55)
        painter.drawArc(shackle, 0, 180 * 16)  # the upper half: the shackle
        painter.drawLine(shackle.left(), shackle.center().y(), shackle.left(), size * 0.45)
        painter.drawLine(shackle.right(), shackle.center().y(), shackle.right(), size * 0.45)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(size * 0.15, size * 0.45, size * 0.7, size * 0.5), size * 0.08, size * 0.08)
        painter.end()
        _cache[size] = QIcon(pixmap)
    return _cache[size]
