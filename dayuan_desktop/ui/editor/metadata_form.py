"""The article's metadata form: everything but the body."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dayuan_desktop.ui.labels import STATUS_ORDER, status_label

if TYPE_CHECKING:
    from dayuan_desktop.core.records import ArticleRecord, ChannelRecord

# The form's fields as stored (core.records.EDITABLE_FIELDS minus the body and the counters).
FORM_FIELDS = (
    "title", "subtitle", "author", "source", "published_at", "channel_path", "tags", "summary", "status", "number",
)
_TAG_SEPARATORS = str.maketrans({"，": ",", "、": ",", "；": ",", ";": ","})


def split_tags(text: str) -> list[str]:
    """Tags as typed: separated by commas (half or full width), 、 or semicolons."""
    seen: list[str] = []
    for part in text.translate(_TAG_SEPARATORS).split(","):
        tag = part.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


class _TagCompleter(QCompleter):
    """Completes the tag being typed after the last separator, keeping the ones before it."""

    def splitPath(self, path: str) -> list[str]:
        return [path.translate(_TAG_SEPARATORS).rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index) -> str:
        typed = self.widget().text() if self.widget() else ""
        head = typed.translate(_TAG_SEPARATORS).rsplit(",", 1)[0] if "," in typed.translate(_TAG_SEPARATORS) else ""
        tag = index.data()
        return f"{head}, {tag}" if head else tag


NO_TIME = 0  # seconds since 1970 (UTC): the publish-time box's "not set"


class MetadataForm(QWidget):
    """Edits title, subtitle, author line, place, time, channel, tags, summary, status and number."""

    edited = Signal()  # user edits only; loading an article does not emit it

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._loading = False
        self.title = QLineEdit(self)
        self.subtitle = QLineEdit(self)
        self.author = QLineEdit(self)
        self.source = QLineEdit(self)
        self.has_time = QCheckBox(self.tr("Set"), self)
        self.published_at = QDateTimeEdit(self)
        self.published_at.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.published_at.setCalendarPopup(True)
        self.published_at.setTimeZone(QTimeZone(zone.key.encode()))
        # No time (no article, or an article without one) shows as "not set" rather than a greyed
        # 2000-01-01 08:00:00, Qt's default value: the minimum stands for "none".
        self.published_at.setMinimumDateTime(QDateTime.fromSecsSinceEpoch(NO_TIME, QTimeZone.utc()))
        self.published_at.setSpecialValueText(self.tr("not set"))
        self.published_at.setDateTime(self.published_at.minimumDateTime())
        self.channel = QComboBox(self)
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText(self.tr("Separate tags with commas"))
        self._completer = _TagCompleter([], self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(self._completer)
        self.summary = QPlainTextEdit(self)
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(64)
        self.status = QComboBox(self)
        for status in STATUS_ORDER:
            self.status.addItem(status_label(status), status)
        self.number = QLineEdit(self)
        self.number.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.number.setPlaceholderText(self.tr("assigned when published"))
        self._lay_out()
        for line in (self.title, self.subtitle, self.author, self.source, self.tags, self.number):
            line.textEdited.connect(self._user_edit)
        self.summary.textChanged.connect(self._user_edit)
        self.published_at.dateTimeChanged.connect(self._user_edit)
        self.has_time.toggled.connect(self._time_toggled)
        self.channel.currentIndexChanged.connect(self._user_edit)
        self.status.currentIndexChanged.connect(self._user_edit)
        self.set_channels([])
        self._time_toggled(False)

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Subtitle"), self.subtitle)
        byline = QHBoxLayout()
        byline.addWidget(self.author, 2)
        byline.addWidget(self.source, 1)
        self.author.setPlaceholderText(self.tr("Author line"))
        self.source.setPlaceholderText(self.tr("Place"))
        form.addRow(self.tr("Author / place"), byline)
        when = QHBoxLayout()
        when.addWidget(self.has_time)
        when.addWidget(self.published_at, 1)
        form.addRow(self.tr("Publish time"), when)
        where = QHBoxLayout()
        where.addWidget(self.channel, 2)
        where.addWidget(self.status, 1)
        where.addWidget(self.number, 1)
        form.addRow(self.tr("Channel / status / No."), where)
        form.addRow(self.tr("Tags"), self.tags)
        form.addRow(self.tr("Summary"), self.summary)

    # -- public -----------------------------------------------------------------------------------
    def set_channels(self, channels: Sequence[ChannelRecord]) -> None:
        """Offer these channels (keeps the current choice)."""
        current = self.channel.currentData()
        self._loading = True
        try:
            self.channel.clear()
            self.channel.addItem(self.tr("(no channel)"), None)
            for channel in channels:
                self.channel.addItem(f"{channel.name} — {channel.path}", channel.path)
            self._select_channel(current)
        finally:
            self._loading = False

    def set_known_tags(self, tags: Sequence[str]) -> None:
        """Tags offered for completion."""
        self._completer.model().setStringList(list(tags))

    def set_article(self, article: ArticleRecord) -> None:
        """Show an article's fields (not a user edit)."""
        self._loading = True
        try:
            self.title.setText(article.title)
            self.subtitle.setText(article.subtitle)
            self.author.setText(article.author)
            self.source.setText(article.source)
            self.has_time.setChecked(article.published_at is not None)
            self.published_at.setEnabled(article.published_at is not None)
            self._show_time(article.published_at)
            self._select_channel(article.channel_path)
            self.tags.setText(", ".join(article.tags))
            self.summary.setPlainText(article.summary)
            self.status.setCurrentIndex(max(0, self.status.findData(article.status)))
            self.number.setText("" if article.number is None else str(article.number))
        finally:
            self._loading = False

    def clear(self) -> None:
        """Show no article: every field empty, no publish time (not a user edit)."""
        self._loading = True
        try:
            for line in (self.title, self.subtitle, self.author, self.source, self.tags, self.number):
                line.clear()
            self.summary.clear()
            self.has_time.setChecked(False)
            self._show_time(None)
            self._select_channel(None)
            self.status.setCurrentIndex(0)
        finally:
            self._loading = False

    def values(self) -> dict:
        """The form's values, as the store takes them."""
        number = self.number.text().strip()
        published = None
        if self.has_time.isChecked():
            published = datetime.fromtimestamp(self.published_at.dateTime().toSecsSinceEpoch(), UTC)
        return {
            "title": self.title.text().strip(),
            "subtitle": self.subtitle.text().strip(),
            "author": self.author.text().strip(),
            "source": self.source.text().strip(),
            "published_at": published,
            "channel_path": self.channel.currentData(),
            "tags": split_tags(self.tags.text()),
            "summary": self.summary.toPlainText().strip(),
            "status": self.status.currentData(),
            "number": int(number) if number.isdigit() else None,
        }

    # -- internals --------------------------------------------------------------------------------
    def _select_channel(self, path: str | None) -> None:
        index = self.channel.findData(path)
        if index < 0 and path:  # a channel the list does not know (yet): still show it
            self.channel.addItem(path, path)
            index = self.channel.count() - 1
        self.channel.setCurrentIndex(max(0, index))

    def _show_time(self, moment: datetime | None) -> None:
        if moment is None:
            self.published_at.setDateTime(self.published_at.minimumDateTime())  # shows "not set"
            return
        zone = self.published_at.timeZone()
        self.published_at.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), zone))

    def _time_toggled(self, checked: bool) -> None:
        self.published_at.setEnabled(checked)
        if checked and self.published_at.dateTime() == self.published_at.minimumDateTime():
            self._show_time(datetime.now(UTC))  # ticking "set" starts from now
        self._user_edit()

    def _user_edit(self, *_args) -> None:
        if not self._loading:
            self.edited.emit()
