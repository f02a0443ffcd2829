"""The editor column: title and foldable details above the body editor, as one article's values.

Writing comes first: the body takes every pixel the title and the (foldable) details leave.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from dayuan_desktop.ui.editor.body_editor import BodyEditor
from dayuan_desktop.ui.editor.find_replace import FindReplaceBar
from dayuan_desktop.ui.editor.lease_bar import LeaseBar
from dayuan_desktop.ui.editor.metadata_form import MetadataForm, split_tags
from dayuan_desktop.ui.editor.tag_suggestions import TagSuggestionDriver
from dayuan_desktop.ui.editor.trash_banner import TrashBanner

if TYPE_CHECKING:
    from dayuan_desktop.core.records import ArticleRecord, ChannelRecord


class ArticleEditor(QWidget):
    """Shows one article for editing; emits ``edited`` on every user change."""

    edited = Signal()
    restoreRequested = Signal(int)  # noqa: N815 — the banner's Restore, for the article shown

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
        self.trash_banner = TrashBanner(self)
        self.trash_banner.restoreRequested.connect(lambda: self.restoreRequested.emit(self._article_id))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.lease_bar = LeaseBar(self)
        layout.addWidget(self.trash_banner)
        layout.addWidget(self.lease_bar)
        layout.addWidget(self.form)
        layout.addWidget(body_column, 1)
        QWidget.setTabOrder(self.form.summary, self.body.text_edit())  # the last field, then the writing
        self.form.edited.connect(self._user_edit)
        self.body.contentChanged.connect(self._user_edit)
        self.body.sourceModeChanged.connect(lambda _source: self.find_bar.set_editor(self.body.current_edit()))
        self._article_id: int | None = None
        self._read_only = False
        self.tag_suggestions = TagSuggestionDriver(self.form.tag_chips, self._tag_snapshot, self)
        self._trashed = False
        self._locked = False  # someone else holds the article's lease
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

    def attach_tag_suggestions(self, store, data_dir: Path, *, delay_ms: int | None = None) -> None:
        """Suggest tags from this database's archive (loads jieba in the background, after ``delay_ms``)."""
        self.tag_suggestions.attach(store, data_dir, delay_ms=delay_ms)

    def _tag_snapshot(self):
        form = self.form
        return (self._article_id, form.title.text(), form.summary.toPlainText(), self.body.markdown(),
                split_tags(form.tags.text()))

    def set_article(self, article: ArticleRecord) -> None:
        """Show an article (not a user edit)."""
        self._article_id = article.id
        self.form.set_article(article)
        self.body.set_markdown(article.body)
        self._trashed, self._locked = article.deleted_at is not None, False
        self.lease_bar.hide()
        self._set_read_only(self._trashed)
        self.setEnabled(True)
        self.tag_suggestions.article_shown()

    def clear(self) -> None:
        """Show nothing (no article open)."""
        self._article_id = None
        self.form.clear()  # not the last article's fields, greyed
        self.body.set_markdown("")
        self._trashed, self._locked = False, False
        self.lease_bar.hide()
        self._set_read_only(False)
        self.setEnabled(False)
        self.tag_suggestions.article_shown()

    @property
    def read_only(self) -> bool:
        """True while the article shown is in the trash or someone else is editing it."""
        return self._read_only

    def set_locked(self, locked: bool) -> None:
        """Read-only because another editor holds the article (the lease bar says who), or editable again."""
        self._locked = locked
        if not locked:
            self.lease_bar.hide()
        self._set_read_only(self._trashed or locked)

    def _set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.trash_banner.setVisible(self._trashed)
        form = self.form
        for line in (form.title, form.subtitle, form.author, form.source, form.tags, form.number):
            line.setReadOnly(read_only)  # still selectable and copyable
        form.summary.setReadOnly(read_only)
        form.tag_chips.setEnabled(not read_only)
        for field in (form.has_time, form.channel, form.status):
            field.setEnabled(not read_only)
        form.published_at.setEnabled(not read_only and form.has_time.isChecked())
        self.body.text_edit().setReadOnly(read_only)
        self.body.source_edit().setReadOnly(read_only)
        # Formatting edits the document through its cursor, whatever read-only says: off too.
        document = self.body.current_edit().document()
        for action in self.body.actions():
            name = action.objectName().removeprefix("body_")
            enabled = {"undo": document.isUndoAvailable(), "redo": document.isRedoAvailable(),
                       "source": True}.get(name, not self.body.is_source_mode())
            action.setEnabled(enabled and not read_only)

    def _user_edit(self) -> None:
        if not self._read_only:  # e.g. find and replace on a trashed article: shown, never saved
            self.edited.emit()
            self.tag_suggestions.schedule()

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
