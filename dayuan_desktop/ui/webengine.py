"""Interim: QtWebEngine start-up environment (replaced by the preview work)."""

from __future__ import annotations

import os


def prepare_webengine_environment() -> None:
    """As root, Chromium's sandbox refuses to start; disable it only then."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
