#!/bin/sh
# Add Dayuan Desktop to this user's application menu (Linux desktops): writes
# ~/.local/share/applications/dayuan-desktop.desktop and its icon, pointing at this folder.
# Run it again after moving the folder; to remove the entry, delete those two files.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
icon="$data/icons/hicolor/256x256/apps/dayuan-desktop.png"
entry="$data/applications/dayuan-desktop.desktop"
mkdir -p "$data/applications" "$(dirname "$icon")"
cp "$here/dayuan-desktop.png" "$icon"
# The shipped entry says Exec=dayuan-desktop (for a package that puts it on PATH); point it at
# this folder's executable instead, quoted as the desktop entry spec wants: inside the quotes
# ", `, $ and \ get a backslash, then every backslash is doubled (the spec's string escaping),
# and % is doubled (field codes).
quoted="$(printf '%s' "$here/dayuan-desktop" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')"
EXEC_LINE="Exec=\"$quoted\"" ICON_LINE="Icon=$icon" awk '
  /^Exec=/ { print ENVIRON["EXEC_LINE"]; next }
  /^Icon=/ { print ENVIRON["ICON_LINE"]; next }
  { print }' "$here/dayuan-desktop.desktop" > "$entry"
chmod 644 "$entry"
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database "$data/applications" || true
fi
echo "installed $entry"
