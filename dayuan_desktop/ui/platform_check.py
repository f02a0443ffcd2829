"""Before the window starts on X11: are the system libraries of Qt's xcb plugin there?

Installed with pip alone, PySide6 brings Qt but not the X11 helper libraries Debian ships
separately; without ``libxcb-cursor0`` (needed since Qt 6.5) Qt prints a paragraph about
platform plugins and aborts with a core dump. Checked first, the editor gets one line naming
the Debian package to install instead.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from dayuan_desktop.core.errors import DayuanError

# The libraries Qt's xcb plugin links against that a desktop may lack, with their Debian package
# (the same names are in tools/setup.sh). libxcb, libX11 and libxkbcommon come with any X desktop.
XCB_PLUGIN_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


class MissingSystemLibraryError(DayuanError):
    """The window cannot start: a system library of Qt's platform plugin is not installed."""


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """True when Qt will load its xcb (X11) plugin: chosen in ``QT_QPA_PLATFORM``, or left to
    Qt on Linux with an X display and no Wayland session."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen == "xcb"
    return bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def _loads(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return _bundled(library)
    return True


def _bundled(library: str) -> bool:
    # A PyInstaller bundle may carry the library in its own folder, where the loader finds it
    # for Qt but ctypes (by name) does not.
    folder = getattr(sys, "_MEIPASS", None)
    return folder is not None and any(Path(folder).rglob(library))


def missing_packages(libraries: Mapping[str, str] = XCB_PLUGIN_LIBRARIES,
                     loads: Callable[[str], bool] = _loads) -> list[str]:
    """The Debian packages whose libraries cannot be loaded, in the order given."""
    return [package for library, package in libraries.items() if not loads(library)]


def check_platform_libraries(environ: Mapping[str, str], libraries: Mapping[str, str] = XCB_PLUGIN_LIBRARIES) -> None:
    """Raise :class:`MissingSystemLibraryError` (one line naming the packages) when Qt is about to
    load the xcb plugin and a library it needs is missing; otherwise do nothing."""
    if not uses_xcb(environ):
        return
    packages = missing_packages(libraries)
    if packages:
        names = " ".join(packages)
        raise MissingSystemLibraryError(
            f"the window cannot start on X11: Qt's xcb plugin needs system libraries that are not "
            f"installed; install them with: sudo apt-get install {names}"
        )
