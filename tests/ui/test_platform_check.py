"""Before Qt loads its X11 plugin, a missing system library is named in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dayuan_desktop.ui.platform_check import (
    XCB_PLUGIN_LIBRARIES,
    MissingSystemLibraryError,
    check_platform_libraries,
    missing_packages,
    uses_xcb,
)

ROOT = Path(__file__).resolve().parents[2]
ABSENT = {"libxcb-cursor-absent-for-test.so.0": "libxcb-cursor0"}  # a real load that fails


@pytest.mark.parametrize(("environ", "expected"), [
    ({"QT_QPA_PLATFORM": "xcb"}, True),
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, False),
    ({"DISPLAY": ":0"}, True),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, False),
    ({}, False),
])
def test_the_check_runs_only_when_qt_will_load_the_xcb_plugin(environ, expected):
    assert uses_xcb(environ, "linux") is expected
    assert uses_xcb(environ, "win32") is False


def test_a_library_that_does_not_load_names_its_debian_package():
    assert missing_packages(ABSENT) == ["libxcb-cursor0"]
    with pytest.raises(MissingSystemLibraryError) as caught:
        check_platform_libraries({"QT_QPA_PLATFORM": "xcb"}, ABSENT)
    message = str(caught.value)
    assert "\n" not in message and "sudo apt-get install libxcb-cursor0" in message
    check_platform_libraries({"QT_QPA_PLATFORM": "offscreen"}, ABSENT)  # offscreen needs none of them


def test_on_this_machine_every_xcb_library_is_installed():
    # tools/setup.sh installs them; a failure here means its apt line lost one.
    assert missing_packages(XCB_PLUGIN_LIBRARIES) == []
    setup = (ROOT / "tools" / "setup.sh").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for package in XCB_PLUGIN_LIBRARIES.values():
        assert package in setup and package in readme


def test_the_command_prints_one_line_and_exits_1_when_a_library_is_missing(tmp_path):
    # A real process whose check looks for a library that is not there (the rest of the start
    # is the real one): one line on stderr, exit 1, no Qt abort.
    script = (
        "import sys; import dayuan_desktop.ui.platform_check as check;"
        f"check.XCB_PLUGIN_LIBRARIES = {ABSENT!r};"
        "check.check_platform_libraries.__defaults__ = (check.XCB_PLUGIN_LIBRARIES,);"
        "from dayuan_desktop.cli import main; sys.exit(main(['--data-dir', sys.argv[1]]))"
    )
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":99"}
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "data")], env=environ,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "sudo apt-get install libxcb-cursor0" in result.stderr
