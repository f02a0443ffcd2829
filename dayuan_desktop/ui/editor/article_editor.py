"""The editor column: metadata form above the body editor, as one article's values."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from dayuan_desktop.ui.editor.body_editor import BodyEditor
from dayuan_desktop.ui.editor.find_replace import FindReplaceBar
from dayuan_desktop.ui.editor.metadata_form import MetadataForm

if TYPE_CHECKING:
    from dayuan_desktop.core.records import ArticleRecord, ChannelRecord


class ArticleEditor(QWidget):
    """Shows one article for editing; emits ``edited`` on every user change."""

    edited = Signal()

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = MetadataForm(zone, self)
        self.body = BodyEditor(self)
        self.find_bar = FindReplaceBar(self.body.current_edit(), self)
        self.find_bar.hide()
        body_column = QWidget(self)
        column = QVBoxLayout(body_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.body, 1)
        column.addWidget(self.find_bar)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("editorSplitter")
        self.splitter.addWidget(self.form)
        self.splitter.addWidget(body_column)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.form.edited.connect(self.edited)
        self.body.contentChanged.connect(self.edited)
        self.body.sourceModeChanged.connect(lambda _source: self.find_bar.set_editor(self.body.current_edit()))
        self._article_id: int | None = None
        self.setEnabled(False)

    @property
    def article_id(self) -> int | None:
        """The article shown, if any."""
        return self._article_id

    def set_channels(self, channels: list[ChannelRecord]) -> None:
        """Channels offered in the form."""
        self.form.set_channels(channels)

    def set_known_tags(self, tags: list[str]) -> None:
        """Tags offered for completion."""
        self.form.set_known_tags(tags)

    def set_article(self, article: ArticleRecord) -> None:
        """Show an article (not a user edit)."""
        self._article_id = article.id
        self.form.set_article(article)
        self.body.set_markdown(article.body)
        self.setEnabled(True)

    def clear(self) -> None:
        """Show nothing (no article open)."""
        self._article_id = None
        self.form.clear()  # not the last article's fields, greyed
        self.body.set_markdown("")
        self.setEnabled(False)

    def values(self) -> dict:
        """Every editable value, as the store takes them."""
        return {**self.form.values(), "body": self.body.markdown()}

    def show_find(self) -> None:
        """Open find and replace on the body (the rich view or the Markdown source, whichever shows)."""
        self.find_bar.set_editor(self.body.current_edit())
        self.find_bar.show_find()

    def character_count(self) -> int:
        """字数 of the body."""
        return self.body.character_count()
