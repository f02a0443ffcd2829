"""What QtWebEngine needs before it starts: no sandbox as root, quieter GPU use without a screen.

Chromium's sandbox refuses to run as root (CI and some containers run the app as root), and
QtWebEngine reads its switches from the environment only once, when the first web view or
profile starts. So :func:`prepare_webengine_environment` must run before that, best before
the ``QApplication`` is created. Outside root the sandbox stays on.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping

SANDBOX_VARIABLE = "QTWEBENGINE_DISABLE_SANDBOX"
FLAGS_VARIABLE = "QTWEBENGINE_CHROMIUM_FLAGS"
# Without a screen there is no GPU to use; asking Chromium not to try saves a failing GPU
# process start and a screenful of warnings per run.
_OFFSCREEN_FLAGS = ("--disable-gpu",)


def _effective_uid() -> int | None:
    geteuid = getattr(os, "geteuid", None)  # Windows has no uids and no root
    return geteuid() if geteuid is not None else None


def webengine_environment(environ: Mapping[str, str], euid: int | None) -> dict[str, str]:
    """The variables to set (name → new value) for a process with this environment and uid.

    Pure: nothing is changed. A value the user set already is kept as it is, except that
    the offscreen flags are appended to their Chromium flags when missing.
    """
    changes: dict[str, str] = {}
    if euid == 0 and SANDBOX_VARIABLE not in environ:
        changes[SANDBOX_VARIABLE] = "1"
    if environ.get("QT_QPA_PLATFORM", "").split(":")[0] == "offscreen":
        flags = environ.get(FLAGS_VARIABLE, "").split()
        missing = [flag for flag in _OFFSCREEN_FLAGS if flag not in flags]
        if missing:
            changes[FLAGS_VARIABLE] = " ".join([*flags, *missing])
    return changes


def prepare_webengine_environment(
    environ: MutableMapping[str, str] | None = None, *, euid: int | None = None
) -> dict[str, str]:
    """Set what QtWebEngine needs in ``environ`` (default ``os.environ``); returns what was set.

    Call it once at start-up, before the ``QApplication`` exists and before any web view.
    ``euid`` defaults to this process's effective uid (tests pass one).
    """
    target = os.environ if environ is None else environ
    changes = webengine_environment(target, _effective_uid() if euid is None else euid)
    target.update(changes)
    if environ is None:
        _share_gl_contexts()
    return changes


def _share_gl_contexts() -> None:
    # QtWebEngineWidgets needs this attribute before the application object is created
    # (importing the module sets it too; this keeps start-up free of that import's cost).
    from PySide6.QtCore import QCoreApplication, Qt

    if QCoreApplication.instance() is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
