#!/usr/bin/env bash
# Set up (if needed) and start Dayuan Desktop on the embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh app
exec .venv/bin/dayuan-desktop "$@"
