"""ui/ never reaches past core's functions into the database layer: no SQLAlchemy, no ORM
models, no ``core.db``. The window stays quick to paint and cannot touch rows behind the
store's back. (The reverse of tests/core/test_layering.py.)"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import dayuan_desktop.ui

UI = Path(dayuan_desktop.ui.__file__).parent
BANNED = ("sqlalchemy", "alembic", "dayuan_desktop.core.models", "dayuan_desktop.core.db")

# These load core's export, render or site-settings pipeline when imported, which brings
# SQLAlchemy with it; the main window imports them only when they are first used.
LOADED_ON_DEMAND = (
    "dayuan_desktop.ui.export_dialog",
    "dayuan_desktop.ui.preferences",
    "dayuan_desktop.ui.preview",
    "dayuan_desktop.ui.preview.offline",
    "dayuan_desktop.ui.preview.pane",
    "dayuan_desktop.ui.preview.screenshot",
)


def _is_banned(name: str) -> bool:
    return any(name == banned or name.startswith(banned + ".") for banned in BANNED)


def database_imports(source: str, filename: str = "<source>") -> list[str]:
    """Every import of the database layer in a piece of Python source (at any depth, including
    imports inside functions and ``TYPE_CHECKING`` blocks, and ``from core import db``)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        banned = [name for name in names if _is_banned(name)]
        if banned:  # one finding per import statement
            found.append(f"{filename}:{node.lineno} {banned[0]}")
    return found


def ui_modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(UI.parent.parent).with_suffix("").parts).removesuffix(".__init__")
        for path in UI.rglob("*.py")
    )


def test_the_checker_sees_every_way_of_importing_the_database_layer():
    source = (
        "import sqlalchemy\nfrom sqlalchemy.orm import Session\nfrom dayuan_desktop.core.db import Database\n"
        "from dayuan_desktop.core import db\nimport dayuan_desktop.core.models as m\n"
        "def later():\n    from dayuan_desktop.core.models import Article\n"
        "importlib.import_module('sqlalchemy.exc')\n"
        "from dayuan_desktop.core.records import ArticleRecord\nfrom dayuan_desktop.core import dbx\n"
        "import sqlalchemy_like\n"
    )
    assert len(database_imports(source)) == 7


def test_ui_never_imports_the_database_layer():
    files = sorted(UI.rglob("*.py"))
    assert len(files) >= 30 and UI / "main_window.py" in files
    offenders = [hit for path in files for hit in database_imports(path.read_text(encoding="utf-8"), str(path))]
    assert offenders == []


def test_importing_the_ui_loads_no_sqlalchemy_outside_the_on_demand_modules():
    modules = [name for name in ui_modules() if name not in LOADED_ON_DEMAND]
    assert "dayuan_desktop.ui.main_window" in modules and "dayuan_desktop.ui.autosave" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic'))\n"
        "    if heavy:\n"
        "        print(name, heavy[0])\n"
        "        break\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_records_and_enums_load_without_sqlalchemy():
    script = (
        "import sys\n"
        "from dayuan_desktop.core.enums import ArticleStatus, RevisionKind\n"
        "from dayuan_desktop.core.records import ArticleRecord, PhotoRecord\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
