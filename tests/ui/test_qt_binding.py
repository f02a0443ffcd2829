"""Guards against a Qt binding that corrupts reference counts (PySide6 6.12.0 did).

In 6.12.0 every signal emitted from Python dropped one reference to ``True``; after a few
hundred list updates the app aborted with "bool_dealloc". pyproject excludes that version;
this test fails on any binding with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    numbers = Signal(int, int, str)


class _Table(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):  # noqa: B008
        return 2

    def columnCount(self, parent=QModelIndex()):  # noqa: B008
        return 2

    def data(self, index, role=0):
        return None


def test_emitting_signals_keeps_reference_counts(qapp):
    emitter, table = _Emitter(), _Table()
    emitter.plain.connect(lambda: None)
    emitter.numbers.connect(lambda *args: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(100):
        emitter.plain.emit()
        emitter.numbers.emit(1, 2, "x")
        table.dataChanged.emit(table.index(0, 0), table.index(1, 1))
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before


def test_void_calls_and_null_results_keep_none_alive(qapp):
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QTextEdit

    edit = QTextEdit()
    document = QTextDocument()
    cursor = edit.textCursor()
    before = sys.getrefcount(None)
    for _ in range(200):
        edit.setPlainText("x")  # a void method
        cursor.currentList()  # a null result
        document.setModified(False)
    # A binding with the fault loses one reference per call (-600 here); caches may add a few.
    assert sys.getrefcount(None) >= before
