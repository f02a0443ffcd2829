"""QtWebEngine for the preview tests: prepared before pytest-qt creates the QApplication.

This module is imported while tests are collected, before any test runs, so the sandbox
switch (as root) and the shared OpenGL contexts are in place when QtWebEngine starts.
"""

from __future__ import annotations

from dayuan_desktop.ui.webengine import prepare_webengine_environment

prepare_webengine_environment()

import PySide6.QtWebEngineWidgets  # noqa: E402,F401 - must be imported before the QApplication exists
