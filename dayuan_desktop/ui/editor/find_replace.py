"""A find-and-replace bar for a QTextEdit or QPlainTextEdit (the body's two views)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QToolButton,
    QWidget,
)

Editor = QTextEdit | QPlainTextEdit


class FindReplaceBar(QWidget):
    """Find next/previous (wrapping around), match case, replace, replace all (one undo step).

    Enter in the search field finds the next match, Shift+Enter the previous one; Escape
    hides the bar and gives the focus back to the editor. The label says "No match" or
    which match of how many is selected.
    """

    closed = Signal()  # the bar was hidden with Escape or its close button

    def __init__(self, editor: Editor | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor: Editor | None = None
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(self.tr("Find"))
        self.find_edit.setClearButtonEnabled(True)
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText(self.tr("Replace with"))
        self.previous_button = QPushButton(self.tr("Previous"))
        self.next_button = QPushButton(self.tr("Next"))
        self.case_box = QCheckBox(self.tr("Match case"))
        self.replace_button = QPushButton(self.tr("Replace"))
        self.replace_all_button = QPushButton(self.tr("Replace all"))
        self.status_label = QLabel()
        self.status_label.setObjectName("findStatus")
        close = QToolButton()
        close.setText("×")
        close.setToolTip(self.tr("Close (Esc)"))
        close.setAutoRaise(True)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.find_edit, 0, 0)
        layout.addWidget(self.previous_button, 0, 1)
        layout.addWidget(self.next_button, 0, 2)
        layout.addWidget(self.case_box, 0, 3)
        layout.addWidget(self.status_label, 0, 4)
        layout.addWidget(close, 0, 5)
        layout.addWidget(self.replace_edit, 1, 0)
        layout.addWidget(self.replace_button, 1, 1)
        layout.addWidget(self.replace_all_button, 1, 2)
        layout.setColumnStretch(0, 1)
        self.find_edit.installEventFilter(self)
        self.find_edit.textChanged.connect(self._update_count)
        self.case_box.toggled.connect(self._update_count)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.replace_edit.returnPressed.connect(self.replace)
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)
        close.clicked.connect(self.close_bar)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)
        self.set_editor(editor)

    # -- public API ----------------------------------------------------------------------------
    def set_editor(self, editor: Editor | None) -> None:
        """Search in ``editor`` from now on (e.g. when the body switches to its source view)."""
        self._editor = editor
        self._update_count()

    def editor(self) -> Editor | None:
        """The editor searched in."""
        return self._editor

    def show_find(self) -> None:
        """Show the bar with the editor's selected text (if any) to search for, ready to type."""
        if self._editor is not None:
            selected = self._editor.textCursor().selectedText()
            if selected and "\u2029" not in selected:
                self.find_edit.setText(selected)
        self.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()
        self._update_count()

    def close_bar(self) -> None:
        """Hide the bar and give the focus back to the editor."""
        self.hide()
        if self._editor is not None:
            self._editor.setFocus()
        self.closed.emit()

    def find_next(self) -> bool:
        """Select the next match after the cursor, wrapping to the start; False when there is none."""
        return self._find(backward=False)

    def find_previous(self) -> bool:
        """Select the previous match before the cursor, wrapping to the end; False when there is none."""
        return self._find(backward=True)

    def replace(self) -> bool:
        """Replace the selected match (if the selection is one) and select the next; False when none is left."""
        if self._editor is None or not self.find_edit.text():
            return False
        cursor = self._editor.textCursor()
        if self._is_match(cursor):
            cursor.insertText(self.replace_edit.text())
            self._editor.setTextCursor(cursor)
        return self.find_next()

    def replace_all(self) -> int:
        """Replace every match in one undo step; returns how many were replaced."""
        needle = self.find_edit.text()
        if self._editor is None or not needle:
            return 0
        document = self._editor.document()
        edit = QTextCursor(document)
        edit.beginEditBlock()
        count = 0
        found = document.find(needle, 0, self._flags())
        while not found.isNull():
            found.insertText(self.replace_edit.text())
            count += 1
            found = document.find(needle, found.position(), self._flags())
        edit.endEditBlock()
        if count:
            self._editor.setTextCursor(QTextCursor(document))
        self._update_count()
        self.status_label.setText(self.tr("Replaced %1").replace("%1", str(count)) if count else self.tr("No match"))
        return count

    def match_count(self) -> int:
        """How many times the search text occurs in the editor."""
        return len(self._matches())

    # -- internals -----------------------------------------------------------------------------
    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case_box.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _find(self, *, backward: bool) -> bool:
        needle = self.find_edit.text()
        if self._editor is None or not needle:
            return False
        document = self._editor.document()
        cursor = self._editor.textCursor()
        found = document.find(needle, cursor, self._flags(backward))
        wrapped = found.isNull()
        if wrapped:  # go round: from the start (or the end, searching backwards)
            start = QTextCursor(document)
            start.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            found = document.find(needle, start, self._flags(backward))
        if found.isNull():
            self.status_label.setText(self.tr("No match"))
            return False
        self._editor.setTextCursor(found)
        self._editor.ensureCursorVisible()
        self._show_position(found, wrapped)
        return True

    def _matches(self) -> list[tuple[int, int]]:
        needle = self.find_edit.text()
        if self._editor is None or not needle:
            return []
        document = self._editor.document()
        spans = []
        found = document.find(needle, 0, self._flags())
        while not found.isNull():
            spans.append((found.selectionStart(), found.selectionEnd()))
            found = document.find(needle, found, self._flags())
        return spans

    def _is_match(self, cursor: QTextCursor) -> bool:
        return (cursor.selectionStart(), cursor.selectionEnd()) in self._matches()

    def _show_position(self, found: QTextCursor, wrapped: bool) -> None:
        spans = self._matches()
        span = (found.selectionStart(), found.selectionEnd())
        index = spans.index(span) + 1 if span in spans else 0
        text = self.tr("%1 of %2").replace("%1", str(index)).replace("%2", str(len(spans)))
        if wrapped:
            text = self.tr("%1 (wrapped around)").replace("%1", text)
        self.status_label.setText(text)

    def _update_count(self) -> None:
        if not self.find_edit.text():
            self.status_label.clear()
            return
        count = self.match_count()
        self.status_label.setText(self.tr("%1 matches").replace("%1", str(count)) if count else self.tr("No match"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Enter in the search field finds the next match, Shift+Enter the previous one."""
        if watched is self.find_edit and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._find(backward=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return True
        return super().eventFilter(watched, event)
