"""Worker processes die with the process that started them.

A ``spawn`` worker does not notice its parent being killed with SIGKILL: killed exports left
their page worker (~65 MB, the database and its WAL open) and multiprocessing's resource
tracker asleep for minutes with parent 1. Every pool the app starts passes
:func:`start_worker` as its initializer, which ties the worker to its parent three ways:

* Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``, so the kernel kills the worker the moment its
  parent goes. (The signal follows the parent *thread* that started the worker; the pools are
  made and shut down by one thread, so that thread outlives its workers.)
* every POSIX system: a daemon thread that polls the parent's pid twice a second, for systems
  without prctl and for a parent that died before prctl was called;
* Windows: a daemon thread waiting on a handle to the parent process (not tested here: no
  Windows machine).

The resource tracker needs no watch of its own: it exits when the last process holding its
pipe (the parent and the workers) is gone.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable

POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


def start_worker(parent_pid: int, initializer: Callable[..., object] | None = None, initargs: tuple = ()) -> None:
    """Pool initializer: watch ``parent_pid`` (exit when it is gone), then run ``initializer``."""
    watch_parent(parent_pid)
    if initializer is not None:
        initializer(*initargs)


def pool_arguments(initializer: Callable[..., object] | None = None, initargs: tuple = ()) -> dict:
    """``initializer``/``initargs`` for a ``ProcessPoolExecutor`` whose workers die with this process."""
    return {"initializer": start_worker, "initargs": (os.getpid(), initializer, initargs)}


def watch_parent(parent_pid: int) -> None:
    """Make this process exit as soon as ``parent_pid`` (its parent) is no longer alive."""
    if sys.platform == "win32":
        _watch_parent_handle(parent_pid)
        return
    if sys.platform.startswith("linux"):
        _ask_kernel_for_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the watch was set up
        os._exit(1)
    threading.Thread(target=_poll_parent, args=(parent_pid,), name="parent-watch", daemon=True).start()


def _ask_kernel_for_death_signal() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (musl quirks, sandboxes): the poll still works
        pass


def _poll_parent(parent_pid: int) -> None:
    # Re-parented (to init or a subreaper) means the parent is gone.
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    os._exit(1)


def _watch_parent_handle(parent_pid: int) -> None:  # pragma: no cover - Windows only
    import ctypes

    synchronize, infinite = 0x00100000, 0xFFFFFFFF
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(synchronize, False, parent_pid)
    if not handle:  # already gone, or not ours to watch
        os._exit(1)

    def wait() -> None:
        kernel32.WaitForSingleObject(handle, infinite)
        os._exit(1)

    threading.Thread(target=wait, name="parent-watch", daemon=True).start()
