"""core/ never imports Qt: the command line, CI and worker processes use it without a display."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import dayuan_desktop.core

CORE = Path(dayuan_desktop.core.__file__).parent
BANNED = ("PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "shiboken2")


def qt_imports(source: str, filename: str = "<source>") -> list[str]:
    """Every Qt module a piece of Python source imports (statically or by name)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        found += [f"{filename}:{node.lineno} {name}" for name in names if name.split(".")[0] in BANNED]
    return found


def test_the_checker_sees_every_way_of_importing_qt():
    source = (
        "import PySide6\nfrom PySide6.QtCore import QObject\nimport PyQt6.QtWidgets as w\n"
        "import shiboken6\nimportlib.import_module('PySide6.QtGui')\n__import__('PyQt5')\n"
        "import os\nfrom . import PySide6_like\n"
    )
    assert len(qt_imports(source)) == 6


def test_core_never_imports_qt():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) >= 10 and CORE / "store.py" in files
    offenders = [hit for path in files for hit in qt_imports(path.read_text(encoding="utf-8"), str(path))]
    assert offenders == []


def test_importing_all_of_core_loads_no_qt():
    modules = sorted(
        ".".join(path.relative_to(CORE.parent.parent).with_suffix("").parts)
        for path in CORE.rglob("*.py")
        if "migrations" not in path.parts and path.name != "__main__.py"
    )
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {BANNED!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
