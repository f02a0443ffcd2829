"""libtiff's own warnings and errors go to the support log, not to the terminal.

libtiff (inside Pillow) prints what it finds wrong in a TIFF straight to the process's
stderr ("LZWDecode: Not enough data at scanline 0", "TIFFFetchNormalTag: Incorrect count
…"), so a damaged TIFF gave two or three lines where the command promises one, and the
window's terminal filled with them. Its handlers are global to the library: this replaces
them, once per process, with one that formats the message (with the C library's
``vsnprintf``) and logs it. Where that cannot be done (another Pillow build, no libtiff),
nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger("dayuan_desktop.libtiff")
_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p)
log.addHandler(logging.NullHandler())  # never printed by logging's last-resort handler when no log is set up
_kept: list = []  # the installed callbacks: they must live as long as the library may call them


def _formatter():
    """``vsnprintf`` of the C library, or None (then the unformatted message is logged)."""
    name = "msvcrt" if sys.platform == "win32" else ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else ctypes.CDLL(None)
        function = getattr(libc, "_vsnprintf" if sys.platform == "win32" else "vsnprintf")
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
    function.restype = ctypes.c_int
    return function


def _handler(level: int, vsnprintf):
    def handle(module: bytes | None, fmt: bytes | None, arguments: int | None) -> None:
        try:
            text = (fmt or b"").decode("utf-8", "replace")
            if vsnprintf is not None and fmt and arguments:
                buffer = ctypes.create_string_buffer(1024)
                vsnprintf(buffer, len(buffer), fmt, arguments)
                text = buffer.value.decode("utf-8", "replace")
            where = (module or b"").decode("utf-8", "replace")
            log.log(level, "libtiff: %s%s", f"{where}: " if where else "", text)
        except Exception:  # noqa: BLE001 - never let an exception unwind into C
            pass

    return _HANDLER(handle)


def route_libtiff_messages() -> bool:
    """Send libtiff's warnings and errors to the log (idempotent); False when not possible here."""
    if _kept:
        return True
    try:
        from PIL import _imaging

        library = ctypes.CDLL(_imaging.__file__)  # its dependencies (libtiff) are searched too
        set_warning, set_error = library.TIFFSetWarningHandler, library.TIFFSetErrorHandler
    except (ImportError, OSError, AttributeError):
        return False
    vsnprintf = _formatter()
    warning, error = _handler(logging.INFO, vsnprintf), _handler(logging.WARNING, vsnprintf)
    for setter in (set_warning, set_error):
        setter.argtypes = [_HANDLER]
        setter.restype = ctypes.c_void_p
    set_warning(warning)
    set_error(error)
    _kept.extend([warning, error])
    return True
