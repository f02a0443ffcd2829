"""Guards a published article's address in the metadata form.

An article's page address is its channel and number (``gsyl/lzgs/4709.html``). Once it has
been published, readers and other sites link there, so the form never lets it change by the
way: typing in the number field of a published article changes nothing until the editor
finishes (Enter or leaving the field) and confirms a dialog naming the old and new address;
choosing another channel asks the same. Emptying the number is refused with a message.
The store keeps the address whatever the form sends (core.addresses); this makes the change
a deliberate act. After the confirmed change the export writes a redirect at the old address.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QWidget

# Statuses whose page is (or was) on the portal (core.addresses.PUBLIC_STATUSES; that module
# loads SQLAlchemy, which the window keeps off its start-up path; a test keeps them equal).
PUBLIC_STATUSES = ("published", "withdrawn")
CONFIRM_BOX_NAME = "addressChangeBox"


def page_path(channel_path: str | None, number: int | None) -> str | None:
    """The site path of an article page (``gsyl/lzgs/4709.html``), or None without channel or number."""
    if not channel_path or number is None:
        return None
    return f"{channel_path}/{number}.html"


@dataclass
class StoredAddress:
    """What the store holds for the open article: the address the form guards."""

    number: int | None = None
    channel_path: str | None = None
    status: str = "draft"

    @property
    def path(self) -> str | None:
        """The stored page path (``gsyl/lzgs/4709.html``)."""
        return page_path(self.channel_path, self.number)

    @property
    def public(self) -> bool:
        """True when the article has a page on the portal (or had one) at this address."""
        return self.status in PUBLIC_STATUSES and self.path is not None


class AddressGuard(QObject):
    """Holds the accepted number and channel of the open article; asks before a published one moves."""

    notice = Signal(str)  # a refusal to show in the status bar
    accepted = Signal()  # a confirmed change: the form's values changed

    def __init__(self, number: QLineEdit, channel: QComboBox, parent: QWidget) -> None:
        super().__init__(parent)
        self._number, self._channel, self._parent = number, channel, parent
        self.stored = StoredAddress()
        self.accepted_number: int | None = None
        self._asking = False
        # Not editingFinished: with the field's validator it is not emitted for an emptied field.
        number.installEventFilter(self)

    def load(self, number: int | None, channel_path: str | None, status: str) -> None:
        """The article as opened."""
        self.stored = StoredAddress(number, channel_path, status)
        self.accepted_number = number

    def refresh(self, number: int | None, channel_path: str | None, status: str) -> None:
        """The article as just saved; a confirmed change not yet saved stays accepted."""
        pending = self.accepted_number != self.stored.number
        self.stored = StoredAddress(number, channel_path, status)
        if not pending or self.accepted_number == number:
            self.accepted_number = number

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The number field is finished with on Enter or when it loses the focus."""
        if watched is self._number and (
            event.type() == QEvent.Type.FocusOut
            or (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter))
        ):
            self._number_finished()
        return False

    def number_value(self) -> int | None:
        """The number the form gives the store: what is typed, but for a published article only
        once confirmed (until then the stored one)."""
        if self.stored.public:
            return self.accepted_number
        text = self._number.text().strip()
        return int(text) if text.isdigit() else None

    def channel_may_change(self, new_channel: str | None) -> bool:
        """Whether the form may take ``new_channel`` (asks first for a published article)."""
        if not self.stored.public or self._asking:
            return True
        if new_channel is None:
            self.notice.emit(self.tr("A published article keeps its channel; choose another channel to move it."))
            return False
        return self._allowed(page_path(new_channel, self.accepted_number))

    def _number_finished(self) -> None:
        if not self.stored.public or self._asking:
            return
        text = self._number.text().strip()
        shown = "" if self.accepted_number is None else str(self.accepted_number)
        if text == shown:
            return
        if not text.isdigit():
            self._number.setText(shown)
            self.notice.emit(self.tr("The number of a published article cannot be cleared: its page stays at "
                                     "%1.").replace("%1", self.stored.path or ""))
            return
        if self._allowed(page_path(self._channel.currentData(), int(text))):
            self.accepted_number = int(text)
            self.accepted.emit()
        else:
            self._number.setText(shown)

    def _allowed(self, new_url: str | None) -> bool:
        """Back to the stored address needs no question; any other address is confirmed first."""
        old_url = self.stored.path
        return new_url == old_url or self._confirm(old_url, new_url)

    def _confirm(self, old_url: str | None, new_url: str | None) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Change the address of a published article?"),
                          self.tr("This article is published at\n%1\nIt will move to\n%2\n\nThe next export "
                                  "writes a redirect at the old address, so links to it keep working.")
                          .replace("%1", old_url or "").replace("%2", new_url or ""),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self._parent)
        box.setObjectName(CONFIRM_BOX_NAME)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Change address"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self._asking = True
        try:
            box.exec()
            return box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
        finally:
            self._asking = False
            box.deleteLater()
