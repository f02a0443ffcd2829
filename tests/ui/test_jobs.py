"""The job wrapper: results, errors and cancellation reach the UI thread; the UI keeps running."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread, QTimer

from dayuan_desktop.ui.jobs import run_job


def test_result_arrives_on_the_ui_thread(qtbot):
    seen = {}

    def work(context):
        seen["worker_thread"] = QThread.currentThread()
        return 6 * 7

    def done(value):
        seen["value"] = value
        seen["delivery_thread"] = QThread.currentThread()

    job = run_job(work, on_success=done)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert seen["value"] == 42
    assert seen["delivery_thread"] is qtbot_main_thread()
    assert seen["worker_thread"] is not qtbot_main_thread()
    assert not job.is_running


def qtbot_main_thread():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance().thread()


def test_error_is_delivered_not_raised(qtbot):
    errors = []
    job = run_job(lambda context: 1 / 0, on_failure=errors.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert len(errors) == 1 and isinstance(errors[0], ZeroDivisionError)


def test_progress_reports_reach_the_ui_and_the_last_one_is_never_dropped(qtbot):
    reports = []

    def work(context):
        for done in range(1, 1001):
            context.progress(done, 1000, f"item {done}")
        return "ok"

    job = run_job(work, on_progress=lambda d, t, label: reports.append((d, t, label)))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert reports[-1] == (1000, 1000, "item 1000")
    assert len(reports) < 1000  # throttled: the event loop is not flooded


def test_cancel_stops_the_work_and_emits_cancelled(qtbot):
    started = threading.Event()
    outcomes = []

    def work(context):
        started.set()
        while not context.cancelled:
            context.cancel.wait(0.01)
        raise RuntimeError("stopped half way")  # raising after a cancel counts as cancelled

    job = run_job(work, on_failure=outcomes.append, on_cancelled=lambda: outcomes.append("cancelled"))
    assert started.wait(5)
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert outcomes == ["cancelled"]


def test_the_event_loop_keeps_running_while_a_job_works(qtbot):
    release = threading.Event()
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    job = run_job(lambda context: release.wait(5))
    qtbot.wait(200)  # the UI thread is free: the timer fires while the job is busy
    release.set()
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    timer.stop()
    assert len(ticks) >= 5


@pytest.mark.parametrize("bad", [None, 42])
def test_a_non_callable_job_fails_cleanly(qtbot, bad):
    errors = []
    job = run_job(bad, on_failure=errors.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert isinstance(errors[0], TypeError)
