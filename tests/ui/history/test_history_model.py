"""The history list's model: autosaves folded into sessions, a sound tree (QAbstractItemModelTester)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from dayuan_desktop.core.records import RevisionRecord
from dayuan_desktop.core.revision_history import group_history
from dayuan_desktop.ui.history.model import HistoryModel, RevisionRole

ZONE = ZoneInfo("Asia/Shanghai")


def _revisions(kinds: list[str]) -> list[RevisionRecord]:
    start = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    return [RevisionRecord(i + 1, 7, i + 1, kind, start + timedelta(minutes=2 * i), "张三", {})
            for i, kind in enumerate(kinds)][::-1]


def test_twelve_autosaves_are_one_row_with_their_time_span(qtbot):
    model = HistoryModel(ZONE)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_entries(group_history(_revisions(["create"] + ["autosave"] * 12 + ["save"])))
    assert model.rowCount() == 3
    session = model.index(1, 0)
    assert model.index(1, HistoryModel.WHY).data() == "Autosave ×12"
    assert session.data() == "2026-12-02 10:02–10:24"
    assert model.index(1, HistoryModel.WHO).data() == "张三"
    assert model.rowCount(session) == 12 and model.rowCount(model.index(0, 0)) == 0
    child = model.index(11, 0, session)
    assert child.parent() == session
    assert child.data(RevisionRole).id == 2 and child.data() == "2026-12-02 10:02:00"
    assert model.index(2, HistoryModel.WHY).data() == "Created"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Who"


def test_an_unknown_kind_is_shown_as_stored(qtbot):
    model = HistoryModel(ZONE)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_entries(group_history(_revisions(["create", "merge-from-elsewhere"])))
    assert model.index(0, HistoryModel.WHY).data() == "merge-from-elsewhere"
    model.set_entries([])
    assert model.rowCount() == 0
