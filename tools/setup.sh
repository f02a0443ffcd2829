#!/usr/bin/env bash
# Prepare this checkout to run Dayuan Desktop (mode "app") or its test suite (mode "test"):
# Debian packages (installed when run as root, otherwise listed), .venv, the package in
# editable mode with its Python dependencies. Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"

# Qt widgets and QtWebEngine system libraries, X11/xcb for a real screen, CJK fonts.
app_packages=(libgl1 libegl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3
  libnss3 libasound2 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxkbcommon-x11-0
  libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 fonts-noto-cjk)
# The publishing tests start a real sshd (and compare with rsync over ssh in the benchmark).
test_packages=(xvfb xauth postgresql postgresql-contrib openssh-server openssh-client rsync)
packages=("${app_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for package in "${packages[@]}"; do
    # libasound2 is a virtual package on newer Debian; accept its t64 successor.
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" &&
       ! dpkg-query -W -f='${Status}' "${package}t64" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "setup: installing Debian packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: please install these Debian packages first (as root):" >&2
      echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
      [ "$mode" = test ] && exit 1
    fi
  fi
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python 3.11 or newer is needed ($python is $("$python" --version 2>&1))" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
# Reinstall only when the project's declared dependencies changed.
stamp=.venv/.dayuan-installed
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! .venv/bin/python -c 'import dayuan_desktop' 2>/dev/null; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi
