"""A command whose reader went away (``dayuan-desktop list | head``) ends quietly.

When ``head`` has read its lines it closes the pipe; the next write to stdout raises
``BrokenPipeError``. That is not a failure of the command: the reader simply wanted no more.
The command stops, says nothing, logs no traceback, and exits 0 (as ``git log | head`` does).
"""

from __future__ import annotations

import os
import select
import sys


def stdout_reader_gone() -> bool:
    """True when stdout is a pipe whose reading end is closed.

    A ``BrokenPipeError`` can also come from a socket or a child process's stdin (a database
    server or an upload that died): those are real failures and must still be reported, so
    the pipe itself is asked. Linux and macOS report ``POLLERR`` on a pipe with no readers;
    where ``poll`` is missing (Windows) the error is taken to be stdout's.
    """
    stream = sys.__stdout__
    if stream is None:
        return False
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):
        return False
    if not hasattr(select, "poll"):
        return True
    poller = select.poll()
    poller.register(descriptor, select.POLLOUT)
    return any(events & select.POLLERR for _fd, events in poller.poll(0))


def silence_stdout() -> None:
    """Point stdout at the null device, so the flush at interpreter exit cannot fail again
    (it would print "Exception ignored … BrokenPipeError" otherwise)."""
    stream = sys.__stdout__
    if stream is None:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
