"""The export benchmark's baseline: Pelican, in an environment of its own (see export_bench.py).

Installed once into ``<workdir>/pelican-venv`` with pip (the package registry is the only
network these machines reach), then reused; run with its default theme on the same articles.

By default Pelican writes far more than our export: a page per tag, per author, per category
index, archives and Atom feeds (~17,000 files for 5,000 articles against our ~5,500), so a
ratio against it flatters us. The baseline is therefore **equal work** (:data:`EQUAL_WORK`):
article pages, paginated category lists (our channel lists), the home page and one RSS feed,
~5,250 files for 5,000 articles. The default configuration is still run beside it
(:data:`PELICAN_DEFAULT`) and its ratio may be printed next to the equal-work one, never instead.
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
PELICAN_DEFAULT = PELICAN_CONF  # Pelican's own defaults otherwise: tag, author, archive pages, Atom feeds
# What our export writes and no more: no tag/author/category-index/archive pages, one RSS feed.
EQUAL_WORK = PELICAN_CONF + """\
DIRECT_TEMPLATES = []
PAGINATED_TEMPLATES = {"category": None}
TAG_SAVE_AS = TAGS_SAVE_AS = AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = ARCHIVES_SAVE_AS = ""
FEED_ALL_RSS = "rss.xml"
"""
EQUAL_WORK_SETTINGS = ("DIRECT_TEMPLATES=[], PAGINATED_TEMPLATES={'category': None}, TAG_SAVE_AS = TAGS_SAVE_AS = "
                       "AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = ARCHIVES_SAVE_AS = '', "
                       "FEED_ALL_RSS='rss.xml'")


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
    pages: int = 0  # files other than photos


def count_files(folder: Path) -> tuple[int, int]:
    """Files in a site folder: all of them, and those that are not photos (.jpg) nor our manifest."""
    if not folder.is_dir():
        return 0, 0
    files = [f for f in folder.rglob("*") if f.is_file()]
    pages = sum(1 for f in files if f.suffix != ".jpg" and f.name != ".dayuan-export.json")
    return len(files), pages


def run_pelican(python: Path, site: Path, *, equal_work: bool = True, env: dict[str, str] | None = None) -> PelicanRun:
    """``pelican content -o output -s pelicanconf.py`` (as ``python -m pelican``) into an empty folder, wall clock.

    ``equal_work``: the configuration that writes what our export writes (:data:`EQUAL_WORK`);
    otherwise Pelican's defaults (:data:`PELICAN_DEFAULT`).
    """
    (site / "pelicanconf.py").write_text(EQUAL_WORK if equal_work else PELICAN_DEFAULT, encoding="utf-8")
    shutil.rmtree(site / "output", ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(
        [str(python), "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
        cwd=site, capture_output=True, text=True, env=env,
    )
    seconds = time.perf_counter() - start
    files, pages = count_files(site / "output")
    detail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-8:])
    return PelicanRun(seconds, result.returncode == 0, files, detail, pages)
