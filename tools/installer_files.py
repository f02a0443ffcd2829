"""What the installer adds around the bundled app: Windows version information, the Linux
desktop entry (``packaging/linux/``) and its installer script. ``build_installer.spec`` and
the tests use these.

Nothing here imports the app's dependencies; the version is read from the package's
``__init__.py`` as text, so the spec can run before anything else is imported.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "Dayuan Desktop"
BUNDLE_NAME = "DayuanDesktop"  # the one-folder bundle: dist/DayuanDesktop/
EXECUTABLE = "dayuan-desktop"  # the command (on Windows also the console executable)
WINDOWED_EXECUTABLE = "DayuanDesktop"  # Windows: the executable without a console window
DESKTOP_ID = "dayuan-desktop"  # the .desktop file's and the icon's name
ICON_PNG = ROOT / "resources" / "icons" / "dayuan.png"
ICON_ICO = ROOT / "resources" / "icons" / "dayuan.ico"
LINUX_DIR = ROOT / "packaging" / "linux"  # the desktop entry and its installer script


# jieba (tag suggestions) reads these next to its modules; PyInstaller collects only the code.
JIEBA_DATA = ("dict.txt", "analyse/idf.txt")


def jieba_data_files() -> list[tuple[str, str]]:
    """jieba's dictionary and IDF table as (file, folder in the bundle), where jieba looks for them."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise FileNotFoundError("jieba is not installed: pip install jieba")
    package = Path(spec.origin).parent
    return [(str(package / name), str(Path("jieba") / Path(name).parent)) for name in JIEBA_DATA]


def app_version(root: Path = ROOT) -> str:
    """``__version__`` of the package, read without importing it."""
    text = (root / "dayuan_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if match is None:
        raise ValueError("dayuan_desktop/__init__.py has no __version__")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """Windows wants four numbers: ``0.1.0`` → (0, 1, 0, 0); a suffix such as ``rc1`` is dropped."""
    leading = re.match(r"\d+(?:\.\d+)*", version)
    numbers = [int(part) for part in leading.group(0).split(".")[:4]] if leading else []
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def windows_version_info(version: str) -> str:
    """The executable's version resource (Explorer → Properties → Details), from ``__version__``,
    in PyInstaller's version-file format (``EXE(version=FILE)`` reads it, on Windows only)."""
    numbers = version_tuple(version)
    strings = [
        ("CompanyName", "Dayuan"),
        ("FileDescription", f"{APP_NAME} · 大院编辑台"),
        ("FileVersion", version),
        ("InternalName", EXECUTABLE),
        ("LegalCopyright", "© Dayuan"),
        ("OriginalFilename", f"{WINDOWED_EXECUTABLE}.exe"),
        ("ProductName", APP_NAME),
        ("ProductVersion", version),
    ]
    table = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings)
    # 0x0804 is Simplified Chinese, 1200 (0x04B0) the Unicode code page: the string table's
    # name "080404B0" and the Translation entry must agree.
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '080404B0',
        [
{table}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


def write_version_file(path: Path, version: str) -> Path:
    """Write :func:`windows_version_info` to ``path`` (UTF-8, as PyInstaller reads it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(windows_version_info(version), encoding="utf-8")
    return path


def write_linux_files(folder: Path) -> list[Path]:
    """Put the desktop entry, its icon and the script that installs them into the bundle folder."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source, name in ((LINUX_DIR / f"{DESKTOP_ID}.desktop", f"{DESKTOP_ID}.desktop"),
                         (ICON_PNG, f"{DESKTOP_ID}.png"),
                         (LINUX_DIR / "install-desktop-entry.sh", "install-desktop-entry.sh")):
        target = folder / name
        shutil.copyfile(source, target)
        written.append(target)
    (folder / "install-desktop-entry.sh").chmod(0o755)
    return written
