#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite: lint, then pytest (SQLite and a real
# PostgreSQL server that the tests start themselves; Qt tests offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh test
echo "== ruff check"
.venv/bin/ruff check .
echo "== pytest"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec .venv/bin/python -m pytest -q "$@"
