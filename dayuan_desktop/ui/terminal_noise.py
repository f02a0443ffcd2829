"""Keep Chromium's and QtWebEngine's start-up chatter out of the editor's terminal.

Started from a terminal, the window printed a dozen lines an editor cannot act on: Vulkan
not found, D-Bus system bus missing, GPU vendor unknown, GPU command buffer failures. They
come three ways, each silenced its own way (all of it stays on with ``--debug``):

* Chromium's own logging (``[pid:tid:…:ERROR:bus.cc]``, also in its GPU and renderer
  processes): the ``--log-level=3`` switch (fatal only) in ``QTWEBENGINE_CHROMIUM_FLAGS``;
* QtWebEngine's logging categories and the pages' console messages (``js``): rules in
  ``QT_LOGGING_RULES`` (read when Qt starts logging, so set before the QApplication; the
  helper processes inherit them);
* Qt's plain ``qWarning`` in the default category (Vulkan, GPU vendor, sandbox notice): a
  message handler that sends the known lines to the support log instead.

Everything else Qt says still reaches stderr, formatted as Qt would.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import MutableMapping

FLAGS_VARIABLE = "QTWEBENGINE_CHROMIUM_FLAGS"
RULES_VARIABLE = "QT_LOGGING_RULES"
QUIET_CHROMIUM_FLAG = "--log-level=3"  # 0 info … 3 fatal
QUIET_RULES = ("js.*=false", "qt.webenginecontext.*=false", "qt.webengine.*=false")

# Lines Qt prints in its default category while QtWebEngine starts without a GPU or D-Bus.
NOISE = re.compile(r"vulkan|Unable to detect GPU vendor|Sandboxing disabled by user", re.IGNORECASE)

_log = logging.getLogger(__name__)


def quiet_environment(environ: MutableMapping[str, str], *, debug: bool) -> dict[str, str]:
    """Set the Chromium switch and Qt logging rules that silence start-up noise (nothing with
    ``debug``); returns what was set. A ``--log-level`` the user chose is kept, and the user's
    own logging rules come after ours, so they win."""
    if debug:
        return {}
    changes: dict[str, str] = {}
    flags = environ.get(FLAGS_VARIABLE, "").split()
    if not any(flag.startswith("--log-level") for flag in flags):
        changes[FLAGS_VARIABLE] = " ".join([*flags, QUIET_CHROMIUM_FLAG])
    rules = [rule for rule in environ.get(RULES_VARIABLE, "").split(";") if rule.strip()]
    if not all(rule in rules for rule in QUIET_RULES):
        changes[RULES_VARIABLE] = ";".join([*QUIET_RULES, *rules])
    environ.update(changes)
    return changes


def is_noise(message: str) -> bool:
    """True for a Qt message that is known start-up chatter of QtWebEngine."""
    return NOISE.search(message) is not None


def install_message_filter(*, debug: bool) -> None:
    """Route Qt's messages: known noise to the support log (at debug level), the rest to
    stderr as Qt's default handler would print them. Does nothing with ``debug``."""
    if debug:
        return
    from PySide6.QtCore import qFormatLogMessage, qInstallMessageHandler

    def handle(message_type, context, message: str) -> None:
        if is_noise(message):
            _log.debug("Qt: %s", message)
            return
        line = qFormatLogMessage(message_type, context, message)
        with contextlib.suppress(OSError):  # no terminal to write to (a windowed start): nothing to lose
            os.write(2, (line + "\n").encode("utf-8", "replace"))

    qInstallMessageHandler(handle)
