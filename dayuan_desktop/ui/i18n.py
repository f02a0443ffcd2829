"""The window's language: Simplified Chinese on a Chinese locale (or when chosen), else English.

Source strings are English; ``translations/dayuan_zh_CN.ts`` holds the Chinese, compiled to
``dayuan_zh_CN.qm`` (shipped in the package; rebuilt by ``tools/update_translations.py``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

TRANSLATIONS_DIR = Path(__file__).with_name("translations")
LANGUAGES = ("auto", "zh_CN", "en")

_installed: list[QTranslator] = []


def resolve_language(choice: str | None, system_locale: str | None = None) -> str:
    """``zh_CN`` or ``en`` for a preference of ``auto``, ``zh_CN`` or ``en``."""
    if choice in ("zh_CN", "en"):
        return choice
    name = system_locale if system_locale is not None else QLocale.system().name()
    return "zh_CN" if name.lower().startswith("zh") else "en"


def install_translator(app: QCoreApplication, choice: str | None = "auto") -> str:
    """Install the translation for the chosen language; returns the language in use."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = resolve_language(choice)
    if language == "en":
        return language
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS_DIR / f"dayuan_{language}.qm")):
        app.installTranslator(ours)
        _installed.append(ours)
    qt_own = QTranslator(app)  # Qt's standard buttons and dialogs (OK, Cancel, file dialogs)
    if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    # Installed last, so asked first: Qt strings qtbase's Chinese lacks ("&Look in:").
    qt_extra = QTranslator(app)
    if qt_extra.load(str(TRANSLATIONS_DIR / f"qt_extra_{language}.qm")):
        app.installTranslator(qt_extra)
        _installed.append(qt_extra)
    return language


def installed_translations() -> list[str]:
    """The file names of the translations in use (``dayuan_zh_CN.qm``, ``qtbase_zh_CN.qm``…)."""
    return [Path(translator.filePath()).name for translator in _installed]
