"""List modules over 500 lines and functions over 60 lines in dayuan_desktop/ (the structure limits).

Usage: python tools/size_report.py [FOLDER]   (default: dayuan_desktop)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MODULE_LIMIT = 500
FUNCTION_LIMIT = 60


def oversized(root: Path) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
    """The modules and the functions (with their module) over the limits, longest first."""
    modules, functions = [], []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        if lines > MODULE_LIMIT:
            modules.append((str(path), lines))
        for node in ast.walk(ast.parse(source, str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > FUNCTION_LIMIT:
                    functions.append((f"{path}:{node.lineno}", node.name, length))
    return sorted(modules, key=lambda m: -m[1]), sorted(functions, key=lambda f: -f[2])


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path("dayuan_desktop")
    modules, functions = oversized(root)
    print(f"modules over {MODULE_LIMIT} lines: {len(modules)}")
    for name, lines in modules:
        print(f"  {lines:5} {name}")
    print(f"functions over {FUNCTION_LIMIT} lines: {len(functions)}")
    for where, name, lines in functions:
        print(f"  {lines:5} {name}  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
