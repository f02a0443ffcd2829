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
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.ui.editor.address_guard import AddressGuard
from dayuan_desktop.ui.editor.details_panel import FoldablePanel
from dayuan_desktop.ui.editor.tag_chips import TagChips
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
        self.tag_chips = TagChips(self)  # suggestions, one click each (ui/editor/tag_suggestions.py)
        self.tag_chips.chosen.connect(self.add_tag)
        self.summary = QPlainTextEdit(self)
        self.summary.setTabChangesFocus(True)
        self.status = QComboBox(self)
        for status in STATUS_ORDER:
            self.status.addItem(status_label(status), status)
        self.number = QLineEdit(self)
        self.number.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.number.setPlaceholderText(self.tr("assigned when published"))
        self.address = AddressGuard(self.number, self.channel, self)
        self.address.accepted.connect(self._user_edit)
        self._channel_index = 0  # the channel shown before the user's choice (to go back to)
        self._stored_time: datetime | None = None  # the publish time as stored (finer than the field shows)
        self._lay_out()
        for line in (self.title, self.subtitle, self.author, self.source, self.tags, self.number):
            line.textEdited.connect(self._user_edit)
        self.summary.textChanged.connect(self._user_edit)
        self.published_at.dateTimeChanged.connect(self._user_edit)
        self.has_time.toggled.connect(self._time_toggled)
        self.channel.currentIndexChanged.connect(self._channel_chosen)
        self.status.currentIndexChanged.connect(self._user_edit)
        self.set_channels([])
        self._time_toggled(False)

    def _lay_out(self) -> None:
        # The title on top, always shown; the other fields in a compact panel that folds away
        # so the body below gets the height (see docs/decisions.md, "The body gets the room").
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        self.title.setFont(title_font)
        self.title.setPlaceholderText(self.tr("Title"))
        title_row = QHBoxLayout()
        title_row.addWidget(self._label(self.tr("&Title"), self.title))
        title_row.addWidget(self.title, 1)
        self.details = FoldablePanel(self.tr("Details"), self)
        grid = QGridLayout(self.details.content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.author.setPlaceholderText(self.tr("Author line"))
        self.source.setPlaceholderText(self.tr("Place"))
        when = QHBoxLayout()
        when.addWidget(self.has_time)
        when.addWidget(self.published_at)
        when.addStretch(1)
        # Long channel names must not widen the whole editor column.
        self.channel.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.channel.setMinimumContentsLength(8)
        state = QHBoxLayout()  # status and number share a cell: the grid stays narrow
        state.addWidget(self.status, 1)
        state.addWidget(self._label(self.tr("&No."), self.number))
        state.addWidget(self.number, 1)
        rows = [
            ((self.tr("S&ubtitle"), self.subtitle, 3),),
            ((self.tr("Autho&r"), self.author, 1), (self.tr("P&lace"), self.source, 1)),
            ((self.tr("&Channel"), self.channel, 1), (self.tr("&Status"), state, 1)),
            ((self.tr("Ti&me"), when, 3),),
            ((self.tr("Ta&gs"), self.tags, 3),),
            (("", self.tag_chips, 3),),
            ((self.tr("Summar&y"), self.summary, 3),),
        ]
        buddies = {id(when): self.has_time, id(state): self.status}
        for row, cells in enumerate(rows):
            for column, (text, field, span) in enumerate(cells):
                if text:
                    grid.addWidget(self._label(text, buddies.get(id(field), field)), row, column * 2)
                if isinstance(field, QHBoxLayout):
                    grid.addLayout(field, row, column * 2 + 1, 1, span)
                else:
                    grid.addWidget(field, row, column * 2 + 1, 1, span)
        self.summary.setMaximumHeight(self.summary.fontMetrics().lineSpacing() * 3 + 10)
        # Tab goes as the eye reads: title, the fold button, then the fields row by row.
        chain = [self.title, self.details.toggle, self.subtitle, self.author, self.source, self.channel,
                 self.status, self.number, self.has_time, self.published_at, self.tags, self.summary]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 2)
        outer.setSpacing(2)
        outer.addLayout(title_row)
        outer.addWidget(self.details)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)  # Alt+the underlined letter puts the cursor in the field
        return label

    def details_line(self) -> str:
        """What the folded panel shows in one line: channel, status, number and time."""
        parts = [self.channel.currentText() if self.channel.currentData() else "", self.status.currentText()]
        if self.number.text().strip():
            parts.append(self.tr("No. %1").replace("%1", self.number.text().strip()))
        if self.has_time.isChecked():
            parts.append(self.published_at.text())
        return " · ".join(part for part in parts if part)

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

    def follow_channel_moves(self, moved: dict[str, str]) -> None:
        """The shown channel's path was changed in the tree: show (and later save) its new path, not an edit."""
        current = self.channel.currentData()
        if current not in moved:
            return
        self._loading = True
        try:
            self._select_channel(moved[current])
        finally:
            self._loading = False
        stored = self.address.stored
        if stored.channel_path in moved:
            self.address.refresh(stored.number, moved[stored.channel_path], stored.status)

    def set_known_tags(self, tags: Sequence[str]) -> None:
        """Tags offered for completion."""
        self._completer.model().setStringList(list(tags))

    def add_tag(self, tag: str) -> None:
        """Append ``tag`` to the tag field (a user edit; nothing happens if it is there already)."""
        tags = split_tags(self.tags.text())
        if tag.casefold() not in {existing.casefold() for existing in tags}:
            self.tags.setText(", ".join([*tags, tag]))
            self._user_edit()

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
            self.address.load(article.number, article.channel_path, article.status)
            self._stored_time = article.published_at
        finally:
            self._loading = False
        self.details.set_summary(self.details_line())

    def show_stored(self, article: ArticleRecord) -> None:
        """After a save: show the number and publish time the store assigned or kept (not a user edit).

        Fields the user filled in are left as they are; empty ones show what is stored, so no
        later save can send "empty" again.
        """
        self._loading = True
        try:
            self.address.refresh(article.number, article.channel_path, article.status)
            self._stored_time = article.published_at
            if article.number is not None and not self.number.text().strip():
                self.number.setText(str(article.number))
            if article.published_at is not None and not self.has_time.isChecked():
                self.has_time.setChecked(True)
                self.published_at.setEnabled(True)
                self._show_time(article.published_at)
        finally:
            self._loading = False
        self.details.set_summary(self.details_line())

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
        published = None
        if self.has_time.isChecked():
            seconds = self.published_at.dateTime().toSecsSinceEpoch()
            stored = self._stored_time
            # The field shows whole seconds: the stored time, unless the editor changed it.
            if stored is not None and int(stored.timestamp()) == seconds:
                published = stored
            else:
                published = datetime.fromtimestamp(seconds, UTC)
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
            "number": self.address.number_value(),
        }

    # -- internals --------------------------------------------------------------------------------
    def _select_channel(self, path: str | None) -> None:
        index = self.channel.findData(path)
        if index < 0 and path:  # a channel the list does not know (yet): still show it
            self.channel.addItem(path, path)
            index = self.channel.count() - 1
        self.channel.setCurrentIndex(max(0, index))
        self._channel_index = self.channel.currentIndex()

    def _channel_chosen(self, index: int) -> None:
        if self._loading or index == self._channel_index:
            return
        if not self.address.channel_may_change(self.channel.itemData(index)):
            self._loading = True  # going back is not an edit
            try:
                self.channel.setCurrentIndex(self._channel_index)
            finally:
                self._loading = False
            return
        self._channel_index = index
        self._user_edit()

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
        self.details.set_summary(self.details_line())
        if not self._loading:
            self.edited.emit()
