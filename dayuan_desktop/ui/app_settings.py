"""This workstation's own settings (export folder, database, language…), typed, over QSettings.

Site-wide texts live in the database (``core.site``) so the whole newsroom shares them;
what is here belongs to one person at one machine. Every read tolerates a missing or
hand-damaged value and falls back to the default, so a bad settings file never stops the
app from starting.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANIZATION = "Dayuan"
APPLICATION = "DayuanDesktop"
LANGUAGES = ("auto", "zh_CN", "en")  # "auto": Chinese on a Chinese system locale, English otherwise

_EXPORT_FOLDER = "export/folder"
_DATABASE = "database/target"
_LANGUAGE = "ui/language"
_PHONE_WIDTH = "preview/phone"  # the key the main window already uses
_DETAILS_FOLDED = "editor/details_folded"
_PHOTOS_SHOWN = "editor/photos_shown"
_USER_NAME = "user/name"
USER_NAME_MAX = 100  # the database keeps 100 characters of a name
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


class SettingsNotSaved(OSError):
    """The settings file could not be written (its folder is read-only, the disk is full…)."""


class AppSettings:
    """Typed access to this workstation's settings.

    ``AppSettings()`` uses the platform's usual place for organisation "Dayuan", application
    "DayuanDesktop"; tests pass ``AppSettings.from_file(path)`` (an INI file).
    """

    def __init__(
        self, settings: QSettings | None = None, *, organization: str = ORGANIZATION, application: str = APPLICATION
    ) -> None:
        self.qsettings = settings if settings is not None else QSettings(organization, application)

    @classmethod
    def from_file(cls, path: str | Path) -> AppSettings:
        """Settings kept in the INI file at ``path`` (created when first saved)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    # -- values ----------------------------------------------------------------------------
    @property
    def export_folder(self) -> Path | None:
        """The folder the last export went to, or None when none was chosen yet."""
        value = self._text(_EXPORT_FOLDER)
        return Path(value) if value else None

    @export_folder.setter
    def export_folder(self, folder: str | Path | None) -> None:
        self._set_text(_EXPORT_FOLDER, str(folder) if folder else "")

    @property
    def database(self) -> str:
        """The database to open at start-up: a SQLite file path or a server URL; "" is the default file."""
        return self._text(_DATABASE)

    @database.setter
    def database(self, target: str | Path | None) -> None:
        self._set_text(_DATABASE, str(target).strip() if target else "")

    @property
    def database_is_server(self) -> bool:
        """True when the configured database is a server URL (PostgreSQL), not a file."""
        return "://" in self.database

    @property
    def language(self) -> str:
        """``auto``, ``zh_CN`` or ``en`` (anything else stored counts as ``auto``)."""
        value = self._text(_LANGUAGE)
        return value if value in LANGUAGES else "auto"

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {value!r}")
        self._set_text(_LANGUAGE, value)

    @property
    def preview_phone_width(self) -> bool:
        """Whether the preview shows the page at phone width."""
        return self._flag(_PHONE_WIDTH, default=False)

    @preview_phone_width.setter
    def preview_phone_width(self, value: bool) -> None:
        self.qsettings.setValue(_PHONE_WIDTH, "true" if value else "false")

    @property
    def details_folded(self) -> bool:
        """Whether the article's details (all fields but title and body) are folded away."""
        return self._flag(_DETAILS_FOLDED, default=False)

    @details_folded.setter
    def details_folded(self, value: bool) -> None:
        self.qsettings.setValue(_DETAILS_FOLDED, "true" if value else "false")

    @property
    def photos_shown(self) -> bool:
        """Whether the side area shows the photo panel (True) or the preview (False)."""
        return self._flag(_PHOTOS_SHOWN, default=False)

    @photos_shown.setter
    def photos_shown(self, value: bool) -> None:
        self.qsettings.setValue(_PHOTOS_SHOWN, "true" if value else "false")

    @property
    def user_name(self) -> str:
        """The name shown in revisions and leases ("" until asked at first start)."""
        return " ".join(self._text(_USER_NAME).split())[:USER_NAME_MAX]

    @user_name.setter
    def user_name(self, value: str) -> None:
        name = " ".join((value or "").split())
        if not name or len(name) > USER_NAME_MAX:
            raise ValueError(f"a user name needs 1–{USER_NAME_MAX} characters")
        self._set_text(_USER_NAME, name)

    # -- storage ---------------------------------------------------------------------------
    def file_name(self) -> str:
        """Where the settings are kept (a file path, or a registry path on Windows)."""
        return self.qsettings.fileName()

    def save(self) -> None:
        """Write pending changes now; raises :class:`SettingsNotSaved` when they could not be."""
        self.qsettings.sync()
        status = self.qsettings.status()
        if status == QSettings.Status.AccessError:
            raise SettingsNotSaved(f"cannot write the settings file {self.file_name()}")
        if status == QSettings.Status.FormatError:
            raise SettingsNotSaved(f"the settings file {self.file_name()} is damaged")

    def _text(self, key: str) -> str:
        value = self.qsettings.value(key, "")
        return value if isinstance(value, str) else ""

    def _set_text(self, key: str, value: str) -> None:
        self.qsettings.setValue(key, value)

    def _flag(self, key: str, *, default: bool) -> bool:
        value = self.qsettings.value(key, None)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        return default
