"""What the installer puts around the app, checked without building it: version information,
the icon, the desktop entry and the script that installs it."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from dayuan_desktop import __version__

ROOT = Path(__file__).resolve().parents[1]


def _installer_files():
    spec = importlib.util.spec_from_file_location("installer_files", ROOT / "tools" / "installer_files.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["installer_files"] = module
    spec.loader.exec_module(module)
    return module


files = _installer_files()


def test_the_version_comes_from_the_package():
    assert files.app_version() == __version__


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.0.1rc1", (2, 0, 1, 0)), ("3.1.4.1.5", (3, 1, 4, 1)),
    ("1.0.0+local", (1, 0, 0, 0)),
])
def test_windows_version_numbers(version, numbers):
    assert files.version_tuple(version) == numbers


def test_windows_version_information(tmp_path):
    # PyInstaller evaluates the file with its version classes (on Windows only: its reader needs
    # pefile); here the same expression is evaluated with stand-ins that return what they get.
    path = files.write_version_file(tmp_path / "version_info.txt", __version__)
    stand_ins = {
        "VSVersionInfo": lambda ffi, kids: {"fixed": ffi, "strings": kids[0], "translation": kids[1]},
        "FixedFileInfo": lambda **fields: fields,
        "StringFileInfo": lambda tables: dict(tables),
        "StringTable": lambda name, structs: (name, dict(structs)),
        "StringStruct": lambda key, value: (key, value),
        "VarFileInfo": lambda structs: dict(structs),
        "VarStruct": lambda name, values: (name, values),
    }
    info = eval(path.read_text(encoding="utf-8"), stand_ins)  # noqa: S307 - the file we just generated
    assert info["fixed"]["filevers"] == info["fixed"]["prodvers"] == files.version_tuple(__version__)
    strings = info["strings"]["080404B0"]  # Simplified Chinese, Unicode
    assert strings["ProductVersion"] == strings["FileVersion"] == __version__
    assert strings["ProductName"] == "Dayuan Desktop"
    assert strings["OriginalFilename"] == "DayuanDesktop.exe"
    assert info["translation"] == {"Translation": [0x0804, 1200]}


def test_the_icons_are_square_and_the_ico_holds_every_size():
    png = Image.open(files.ICON_PNG)
    assert png.size == (256, 256) and png.mode == "RGBA"
    ico = Image.open(files.ICON_ICO)
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])


def _entry(text: str) -> dict[str, str]:
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def test_the_desktop_entry_has_what_menus_need():
    entry = _entry((files.LINUX_DIR / "dayuan-desktop.desktop").read_text(encoding="utf-8"))
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Dayuan Desktop" and entry["Name[zh_CN]"] == "大院编辑台"
    assert entry["Exec"] == "dayuan-desktop" and entry["Icon"] == "dayuan-desktop"
    assert entry["Categories"].endswith(";") and entry["Terminal"] == "false"
    validator = shutil.which("desktop-file-validate")
    if validator:  # (not installed everywhere)
        result = subprocess.run([validator, str(files.LINUX_DIR / "dayuan-desktop.desktop")],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_installing_the_entry_quotes_an_awkward_folder(tmp_path):
    bundle = tmp_path / "My Apps" / "50% $off" / "DayuanDesktop"
    files.write_linux_files(bundle)
    data_home = tmp_path / "share"
    result = subprocess.run(["sh", str(bundle / "install-desktop-entry.sh")], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(data_home)},
                            timeout=60)
    assert result.returncode == 0, result.stderr
    entry = _entry((data_home / "applications" / "dayuan-desktop.desktop").read_text(encoding="utf-8"))
    # Spec: inside quotes "$" is written "\$", and the string escaping doubles the backslash; "%" is "%%".
    assert entry["Exec"] == f'"{tmp_path}/My Apps/50%% \\\\$off/DayuanDesktop/dayuan-desktop"'
    assert Path(entry["Icon"]).read_bytes() == files.ICON_PNG.read_bytes()
    assert entry["Name[zh_CN]"] == "大院编辑台"


def test_jiebas_dictionary_and_idf_table_go_into_the_bundle_where_jieba_looks():
    import jieba

    package = Path(jieba.__file__).parent
    found = dict(files.jieba_data_files())
    assert found == {str(package / "dict.txt"): "jieba", str(package / "analyse" / "idf.txt"): "jieba/analyse"}
    assert all(Path(path).stat().st_size > 1_000_000 for path in found)  # the real tables, not stubs
    assert "installer_files.jieba_data_files()" in (ROOT / "build_installer.spec").read_text(encoding="utf-8")
