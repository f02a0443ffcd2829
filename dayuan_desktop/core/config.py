"""Settings: one typed object whose folders can be injected (tests point them at a temp dir).

Nothing is read or created at import time; call :func:`load_settings`.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

APP_NAME = "DayuanDesktop"
APP_AUTHOR = "Dayuan"


@dataclass(frozen=True)
class Settings:
    """Where the app keeps things, and who is at the keyboard."""

    data_dir: Path
    cache_dir: Path
    log_dir: Path
    user_name: str = field(default_factory=lambda: _login_name())
    site_timezone: str = "Asia/Shanghai"

    @property
    def default_database_path(self) -> Path:
        """The embedded SQLite file used when no other database is configured."""
        return self.data_dir / "dayuan.sqlite3"

    @property
    def backup_dir(self) -> Path:
        """Where automatic backups (before a schema upgrade) are written."""
        return self.data_dir / "backups"


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) or no login
        return "editor"


def load_settings(data_dir: Path | None = None) -> Settings:
    """Settings for this user; ``DAYUAN_DATA_DIR`` (or ``data_dir``) moves every folder under one root."""
    root = data_dir or (Path(os.environ["DAYUAN_DATA_DIR"]) if os.environ.get("DAYUAN_DATA_DIR") else None)
    if root is not None:
        root = Path(root)
        return Settings(data_dir=root / "data", cache_dir=root / "cache", log_dir=root / "logs")
    import platformdirs

    return Settings(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
    )


def with_user_name(settings: Settings, name: str) -> Settings:
    """The same settings for another user name (``--user``, or the name the window asked for)."""
    from dataclasses import replace

    from dayuan_desktop.core.errors import ValidationError

    cleaned = " ".join(str(name).split())
    if not cleaned or len(cleaned) > 100 or not cleaned.isprintable():
        raise ValidationError("a user name needs 1–100 printable characters")
    return replace(settings, user_name=cleaned)
