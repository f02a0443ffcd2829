"""Build the one-folder bundle (``build_installer.spec``) and say where it is, how big, how long.

    .venv/bin/python tools/build_installer.py            # → dist/DayuanDesktop/
    .venv/bin/python tools/build_installer.py --force    # rebuild even if nothing changed

PyInstaller is installed into this interpreter's environment when it is missing. A bundle
whose sources have not changed since it was built (same package, resources, spec, Python
and installed packages: see :func:`source_fingerprint`) is reused, not built again; the
test suite's bundle test relies on that to build once.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import installer_files  # noqa: E402

SPEC = ROOT / "build_installer.spec"
DEFAULT_DIST = ROOT / "dist"
DEFAULT_WORK = ROOT / "build" / "pyinstaller"
PYINSTALLER_REQUIREMENT = "pyinstaller>=6.10"
# What goes into the bundle, or decides how it is built.
SOURCES = ("dayuan_desktop", "resources", "packaging", "build_installer.spec", "tools/installer_files.py",
           "tools/build_installer.py", "pyproject.toml")


@dataclass(frozen=True)
class Bundle:
    """A built bundle."""

    folder: Path  # dist/DayuanDesktop
    executable: Path  # the command-line executable inside it
    seconds: float  # build time (0 when reused)
    reused: bool

    def size_bytes(self) -> int:
        """Bytes of every file in the folder (what ``du`` counts, without block rounding)."""
        return sum(path.stat().st_size for path in self.folder.rglob("*") if path.is_file() and not path.is_symlink())


def executable_path(folder: Path) -> Path:
    """The command-line executable in a bundle folder."""
    return folder / (installer_files.EXECUTABLE + (".exe" if sys.platform == "win32" else ""))


def fingerprint_file(folder: Path) -> Path:
    """Beside the bundle folder (not in it, so it never ships): what the bundle was built from."""
    return folder.with_name(f".{folder.name}.fingerprint")


def source_fingerprint() -> str:
    """A hash of every input of the build: the files in :data:`SOURCES` (not caches or hidden
    files), the Python version and every installed distribution's name and version."""
    digest = hashlib.sha256()
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            relative = file.relative_to(ROOT)
            if any(part == "__pycache__" or part.startswith(".") for part in relative.parts):
                continue  # caches (.ruff_cache changes on every lint), never bundled
            digest.update(str(relative).encode() + b"\0" + file.read_bytes() + b"\0")
    digest.update(sys.version.encode())
    # A set: the same distribution can be seen twice (the checkout's egg-info when the current
    # folder is on sys.path), which must not change the fingerprint.
    packages = sorted({f"{dist.metadata['Name'].lower()}=={dist.version}" for dist in importlib.metadata.distributions()})
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()


def ensure_pyinstaller() -> None:
    """Install PyInstaller into this environment if it is not there (it is in the dev extras)."""
    if importlib.util.find_spec("PyInstaller") is None:
        print(f"build_installer: installing {PYINSTALLER_REQUIREMENT}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", PYINSTALLER_REQUIREMENT], check=True)


def build(dist: Path = DEFAULT_DIST, work: Path = DEFAULT_WORK, *, force: bool = False,
          log_file: Path | None = None) -> Bundle:
    """Build the bundle into ``dist`` (reusing one built from the same sources unless ``force``).

    PyInstaller's output goes to ``log_file`` (default: ``work/build.log``); a failed build
    raises ``RuntimeError`` with its last lines.
    """
    folder = Path(dist) / installer_files.BUNDLE_NAME
    fingerprint = source_fingerprint()
    stamp = fingerprint_file(folder)
    if not force and stamp.is_file() and stamp.read_text().strip() == fingerprint and executable_path(folder).is_file():
        return Bundle(folder, executable_path(folder), 0.0, True)
    ensure_pyinstaller()
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    log_file = log_file or work / "build.log"
    stamp.unlink(missing_ok=True)
    if folder.exists():
        shutil.rmtree(folder)  # PyInstaller would ask; a half-old folder must never be reused
    environment = {**os.environ, "PYTHONHASHSEED": "0"}  # reproducible module archive
    started = time.perf_counter()
    with open(log_file, "w", encoding="utf-8") as output:
        result = subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist), "--workpath", str(work),
             str(SPEC)],
            cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, env=environment,
        )
    seconds = time.perf_counter() - started
    if result.returncode != 0 or not executable_path(folder).is_file():
        tail = "".join(Path(log_file).read_text(encoding="utf-8", errors="replace").splitlines(True)[-40:])
        raise RuntimeError(f"PyInstaller failed (exit code {result.returncode}); see {log_file}:\n{tail}")
    stamp.write_text(fingerprint + "\n")
    return Bundle(folder, executable_path(folder), seconds, False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST, help="where the bundle folder goes (default dist/)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="PyInstaller's work folder")
    parser.add_argument("--force", action="store_true", help="build even if the sources did not change")
    args = parser.parse_args()
    try:
        bundle = build(args.dist, args.work, force=args.force)
    except RuntimeError as exc:
        print(f"build_installer: {exc}", file=sys.stderr)
        return 1
    how = "unchanged sources, reused" if bundle.reused else f"built in {bundle.seconds:.0f} s"
    print(f"{bundle.folder} ({how}, {bundle.size_bytes() / 1024**2:.0f} MiB)")
    print(f"start it with: {bundle.executable}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
