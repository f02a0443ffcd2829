"""The export benchmark's baseline: Pelican, in an environment of its own (see export_bench.py).

Installed once into ``<workdir>/pelican-venv`` with pip (the package registry is the only
network these machines reach), then reused; run with its default theme on the same articles.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench_common import p

PELICAN_CONF = """\
AUTHOR = "大院网"
SITENAME = "大院网-山西大院资讯网"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
RELATIVE_URLS = True
DEFAULT_PAGINATION = 20  # as our channel lists (SiteSettings.list_page_size)
STATIC_PATHS = ["images"]
ARTICLE_URL = ARTICLE_SAVE_AS = "{slug}.html"
"""


def ensure_pelican(workdir: Path, out) -> Path | None:
    """Pelican in ``<workdir>/pelican-venv`` (made once, then reused); that environment's Python."""
    venv = workdir / "pelican-venv"
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import pelican, markdown"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        p(out, f"Pelican: reusing {venv}")
        return python
    shutil.rmtree(venv, ignore_errors=True)
    p(out, f"Pelican: installing into {venv} (python -m venv; pip install pelican markdown) ...")
    start = time.perf_counter()
    steps = (
        [sys.executable, "-m", "venv", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "pelican", "markdown"],
    )
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True)
        if result.returncode != 0:
            p(out, f"Pelican: '{' '.join(step[:4])} ...' failed ({result.returncode}); no Pelican baseline")
            for line in (result.stderr or result.stdout).strip().splitlines()[-8:]:
                p(out, f"    {line}")
            return None
    p(out, f"Pelican: installed in {time.perf_counter() - start:,.0f} s")
    return python


def pelican_versions(python: Path) -> str:
    code = "import pelican, markdown, sys; print(pelican.__version__, markdown.__version__, sys.version.split()[0])"
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    if result.returncode != 0:
        return "unknown versions"
    pelican_v, markdown_v, python_v = result.stdout.split()
    return f"Pelican {pelican_v}, Markdown {markdown_v}, Python {python_v}"


@dataclass
class PelicanRun:
    seconds: float
    ok: bool
    files: int
    detail: str = ""


def run_pelican(python: Path, site: Path) -> PelicanRun:
    """``pelican content -o output -s pelicanconf.py`` (as ``python -m pelican``) into an empty folder, wall clock."""
    (site / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    shutil.rmtree(site / "output", ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(
        [str(python), "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
        cwd=site, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - start
    files = sum(1 for f in (site / "output").rglob("*") if f.is_file()) if (site / "output").is_dir() else 0
    detail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-8:])
    return PelicanRun(seconds, result.returncode == 0, files, detail)
