"""The support log: one rotating file in the user log folder that an editor can send to support.

It records each start (version, command, frozen or not, folders), the database opened,
failed jobs and commands, and every uncaught exception with its traceback. The file never
grows past ``MAX_BYTES`` × (``BACKUP_COUNT`` + 1). Nothing is configured at import time;
:func:`configure_logging` is called once the folders are known (the CLI does it).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from pathlib import Path

from dayuan_desktop.core.secrets import mask_secrets

LOG_FILE_NAME = "dayuan-desktop.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
LOGGER_NAME = "dayuan_desktop"
_FORMAT = "%(asctime)s %(levelname)-7s [%(threadName)s] %(name)s: %(message)s"

log = logging.getLogger(LOGGER_NAME)
_handler: logging.handlers.RotatingFileHandler | None = None


def log_file(log_dir: Path) -> Path:
    """The current log file in ``log_dir`` (older ones are ``….log.1`` to ``….log.5``)."""
    return Path(log_dir) / LOG_FILE_NAME


def configure_logging(log_dir: Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUP_COUNT) -> Path | None:
    """Write this process's log to ``log_dir`` (rotating), and log uncaught exceptions there.

    Calling it again moves the log to the new folder (the previous file is closed). Returns
    the log file, or None when the folder cannot be written: the app then runs without a log
    file rather than not at all.
    """
    global _handler
    path = log_file(log_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _PrivateRotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                              encoding="utf-8", delay=False)
    except OSError as exc:
        print(f"dayuan-desktop: warning: no log file ({exc})", file=sys.stderr)
        return None
    handler.setFormatter(MaskingFormatter(_FORMAT))
    handler.setLevel(logging.INFO)
    stop_logging()
    # On the root logger, so warnings from the libraries (SQLAlchemy, Alembic, Pillow) land here too.
    logging.getLogger().addHandler(handler)
    _handler = handler
    logging.captureWarnings(True)  # Python warnings (Pillow's "Corrupt EXIF data"…) too, never on stderr
    log.setLevel(logging.INFO)
    _install_exception_hooks()
    return path


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files only their owner can read (0600): they name the newsroom's articles, folders and servers."""

    def _open(self):
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if os.name == "posix":
            os.fchmod(descriptor, 0o600)  # a log written by an older version was 0644
        return open(descriptor, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115


def stop_logging() -> None:
    """Close the log file (the exception hooks stay, and log nowhere until configured again)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None


def current_log_file() -> Path | None:
    """The file this process logs to, if :func:`configure_logging` succeeded."""
    return Path(_handler.baseFilename) if _handler is not None else None


def hide_password(target: str) -> str:
    """A database path or URL with any password replaced by ``***`` (for the log and messages)."""
    return mask_secrets(target)


class MaskingFormatter(logging.Formatter):
    """Formats a record, traceback included, then hides every password in it.

    On the handler rather than at each call, so a library's warning or an exception message
    that echoes a connection string is masked as well as the app's own lines.
    """

    def format(self, record: logging.LogRecord) -> str:
        return mask_secrets(super().format(record))


def log_uncaught(exc_type, exc_value, exc_traceback) -> None:
    """Record an exception nothing caught (the hooks below call this)."""
    if issubclass(exc_type, KeyboardInterrupt):
        return
    log.critical("uncaught exception", exc_info=(exc_type, exc_value, exc_traceback))


def _install_exception_hooks() -> None:
    # Chained, so the usual traceback on stderr (and Qt's handling of errors in slots, which
    # goes through sys.excepthook) stays as it was. Installed once per process.
    if getattr(sys.excepthook, "_dayuan_logs", False):
        return
    previous_hook = sys.excepthook

    def excepthook(exc_type, exc_value, exc_traceback) -> None:
        log_uncaught(exc_type, exc_value, exc_traceback)
        if previous_hook is not None and sys.stderr is not None:  # a windowed Windows exe has no stderr
            previous_hook(exc_type, exc_value, exc_traceback)

    excepthook._dayuan_logs = True  # type: ignore[attr-defined]
    sys.excepthook = excepthook

    previous_thread_hook = threading.excepthook

    def thread_excepthook(args) -> None:
        if args.exc_type is not None and not issubclass(args.exc_type, SystemExit):
            log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)
        if sys.stderr is not None:
            previous_thread_hook(args)

    threading.excepthook = thread_excepthook
