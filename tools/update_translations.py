"""Refresh the window's translation files after changing user-visible strings.

    .venv/bin/python tools/update_translations.py

1. ``pyside6-lupdate`` collects every ``tr()`` / ``translate()`` string of ``dayuan_desktop/ui``
   into ``dayuan_desktop/ui/translations/dayuan_zh_CN.ts`` (keeping existing translations;
   new strings are marked unfinished — translate them in Qt Linguist or in the file).
2. ``pyside6-lrelease`` compiles it to ``dayuan_zh_CN.qm``, which ships in the package, and
   ``qt_extra_zh_CN.ts`` (Qt's own strings its shipped Chinese lacks; edited by hand) likewise.
The test suite fails while any string is untranslated or the .qm is older than the .ts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "dayuan_desktop" / "ui"
TS = UI / "translations" / "dayuan_zh_CN.ts"
QT_EXTRA_TS = UI / "translations" / "qt_extra_zh_CN.ts"


def tool(name: str) -> str:
    """A PySide6 tool next to this interpreter (the venv's bin folder)."""
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def ui_sources() -> list[str]:
    """Every Python file of the window, relative to the repository root (stable .ts locations)."""
    return sorted(str(path.relative_to(ROOT)) for path in UI.rglob("*.py"))


def run_lupdate(ts_file: Path, *, extra: tuple[str, ...] = ()) -> None:
    """Update ``ts_file`` from the sources."""
    subprocess.run([tool("pyside6-lupdate"), *ui_sources(), *extra, "-ts", str(ts_file)],
                   cwd=ROOT, check=True, capture_output=True, text=True)


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    """Compile ``ts_file`` into ``qm_file``."""
    subprocess.run([tool("pyside6-lrelease"), str(ts_file), "-qm", str(qm_file)],
                   cwd=ROOT, check=True, capture_output=True, text=True)


def main() -> int:
    run_lupdate(TS, extra=("-no-obsolete", "-locations", "none", "-target-language", "zh_CN"))
    run_lrelease(TS, TS.with_suffix(".qm"))
    run_lrelease(QT_EXTRA_TS, QT_EXTRA_TS.with_suffix(".qm"))
    print(f"updated {TS.relative_to(ROOT)} and {TS.with_suffix('.qm').name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
