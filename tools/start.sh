#!/usr/bin/env bash
# Set up (if needed) and start Dayuan Desktop on the embedded SQLite database.
# Without arguments it opens the window (first run: the sample article 4709 is loaded);
# with arguments it runs that command line instead, e.g. `bash tools/start.sh export --out site`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh app
if [ $# -eq 0 ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "start: no display here (DISPLAY is not set). Start it from a desktop session, or on a" >&2
  echo "       headless machine under a virtual screen: xvfb-run -a bash tools/start.sh" >&2
  exit 1
fi
exec .venv/bin/dayuan-desktop "$@"
