"""Generators benchmark (issue 20 item 7): our full export against Hugo and equal-work Pelican.

Run from the repository root (Hugo: ``apt-get install -y hugo``, done by the script when it is
missing and it runs as root; Pelican: installed once with pip, see pelican_baseline.py)::

    .venv/bin/python benchmarks/generators_bench.py [--sizes 500,5000,10000] [--rounds 3]
    .venv/bin/python benchmarks/generators_bench.py --smoke      # seconds, for the smoke test

The same synthetic articles (bench_articles.py: ~2,000 characters of Chinese text, two ``##``
subheadings, one distinct JPEG each, 8 channels under 3 parents) are built once for the
largest size, with the *same Markdown body* for all three generators (only the photo's link
differs: ``photo:<sha256>`` for us, ``{static}/images/…`` for Pelican, ``/images/…`` for Hugo).
Smaller sizes publish only the first N articles of the same store. Photos are 800x533 px
(~40 KB) rather than export_bench's 1600 px: making 10,000 renditions of camera-sized photos
before the run would take a quarter of an hour on two cores, and the generators only copy
or link them.

The three do the same work:

* ours: ``python -m dayuan_desktop export --out DIR --quiet``, a whole process (bytecode
  cached outside the repository as an installed app has it), photo renditions ready in its
  cache as the app keeps them (made when photos come in): article pages, paginated channel
  lists (20 a page; a parent channel lists its children's articles), home, RSS, sitemap,
  renditions hard-linked;
* Hugo: ``hugo --quiet -s SITE -d DIR``, a site made here (:mod:`hugo_site`): one single
  template, one list template paginating sections by 20 (recursively, as ours), taxonomies
  off, one RSS feed (home), sitemap, photos copied from ``static/``;
* Pelican, EQUAL WORK (pelican_baseline.EQUAL_WORK): articles, paginated category lists,
  home, one RSS feed, photos copied; Pelican's defaults (tag, author, archive pages) run once
  per size beside it, for reference only.

Every output goes to a RAM disk (``--workdir``, default under /dev/shm), into an empty folder
each run. Each size runs ``--rounds`` interleaved rounds (ours, Hugo, Pelican, ours, …) after
one untimed warm-up round at the first size; the best of the rounds is compared. Figures are
reported with PASS/FAIL, never asserted: the script exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import REPOSITORY, code_version, p, verdict  # noqa: E402
from generators_data import Corpus, build_corpus, publish_first  # noqa: E402
from hugo_site import ensure_hugo, hugo_version, write_hugo_site  # noqa: E402
from pelican_baseline import (  # noqa: E402
    EQUAL_WORK_SETTINGS,
    PelicanRun,
    count_files,
    ensure_pelican,
    pelican_versions,
    run_pelican,
)

DEFAULT_WORKDIR = Path("/dev/shm/dayuan-generators-bench") if Path("/dev/shm").is_dir() else Path("/tmp/dayuan-generators-bench")
PELICAN_HOME = Path("/tmp/dayuan-export-bench")  # export_bench's default work folder: its Pelican environment is reused
# (generator, size, target, "ratio" direction): Pelican's time / ours >= target; ours / Hugo's <= target.
TARGETS = (("Pelican", 500, 3.0), ("Pelican", 10_000, 6.0), ("Hugo", 5_000, 1.0), ("Hugo", 10_000, 1.0))
GENERATORS = ("ours", "Hugo", "Pelican")


@dataclass
class SizeFigures:
    n: int
    runs: dict[str, list[PelicanRun]] = field(default_factory=dict)
    loads: list[float] = field(default_factory=list)
    pelican_default: PelicanRun | None = None

    def best(self, name: str) -> PelicanRun | None:
        ok = [run for run in self.runs.get(name, []) if run.ok]
        return min(ok, key=lambda run: run.seconds) if ok else None


def child_env(root: Path) -> dict[str, str]:
    """Our export's environment: its own data folder (with the rendition cache), bytecode written outside the repo."""
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY), "DAYUAN_DATA_DIR": str(root / "user"),
           "PYTHONPYCACHEPREFIX": str(root / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(command: list[str], out_dir: Path, env: dict[str, str], cwd: Path | None = None) -> PelicanRun:
    """A whole process run into an empty ``out_dir``: wall seconds, success, the files it left."""
    shutil.rmtree(out_dir, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd)
    seconds = time.perf_counter() - start
    files, pages = count_files(out_dir)
    detail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-8:])
    return PelicanRun(seconds, result.returncode == 0, files, detail, pages)


class Generators:
    """How to run each generator on one size's inputs."""

    def __init__(self, corpus: Corpus, n: int, pelican: Path | None, hugo: str | None) -> None:
        self.corpus, self.n = corpus, n
        self.site_root = corpus.root / f"n{n}"
        shutil.rmtree(self.site_root, ignore_errors=True)
        self.pelican, self.hugo = pelican, hugo
        self.pelican_site = corpus.pelican_site(self.site_root / "pelican", n) if pelican else None
        self.hugo_site = write_hugo_site(corpus, self.site_root / "hugo", n) if hugo else None
        self.env = child_env(corpus.root)

    def names(self) -> list[str]:
        return [name for name in GENERATORS if name == "ours" or (name == "Hugo" and self.hugo)
                or (name == "Pelican" and self.pelican)]

    def run(self, name: str, *, equal_work: bool = True) -> PelicanRun:
        if name == "ours":
            command = [sys.executable, "-m", "dayuan_desktop", "--db", str(self.corpus.db_path), "export",
                       "--out", str(self.site_root / "ours"), "--quiet"]
            return timed(command, self.site_root / "ours", self.env)
        if name == "Hugo":
            assert self.hugo and self.hugo_site
            command = [self.hugo, "--quiet", "-s", str(self.hugo_site), "-d", str(self.site_root / "hugo-out")]
            return timed(command, self.site_root / "hugo-out", self.env)
        assert self.pelican and self.pelican_site
        return run_pelican(self.pelican, self.pelican_site, equal_work=equal_work, env=self.env)

    def clean(self) -> None:
        shutil.rmtree(self.site_root, ignore_errors=True)


def run_size(corpus: Corpus, n: int, args: argparse.Namespace, tools: dict, warm_up: bool, out) -> SizeFigures:
    publish_first(corpus.db_path, n)
    gens = Generators(corpus, n, tools.get("pelican"), tools.get("hugo"))
    figures = SizeFigures(n, {name: [] for name in gens.names()})
    p(out)
    p(out, f"== {n:,} articles ==")
    if warm_up:  # bytecode, compiled templates, the page cache: as on a machine that has run them before
        for name in gens.names():
            run = gens.run(name)
            p(out, f"warm-up (untimed): {name} {run.seconds:,.2f} s, ok={run.ok}")
    for round_no in range(1, args.rounds + 1):
        for name in gens.names():
            figures.loads.append(os.getloadavg()[0])
            run = gens.run(name)
            figures.runs[name].append(run)
            state = "" if run.ok else " FAILED: " + run.detail.replace("\n", " | ")
            p(out, f"round {round_no}: {name:<8} {run.seconds:8.2f} s  {run.files:>7,} files "
                   f"({run.pages:,} without photos){state}")
    if gens.pelican:
        figures.loads.append(os.getloadavg()[0])
        figures.pelican_default = gens.run("Pelican", equal_work=False)
        d = figures.pelican_default
        p(out, f"Pelican with its defaults (1 run, reference only): {d.seconds:,.2f} s, {d.files:,} files "
               f"({d.pages:,} without photos), ok={d.ok}")
    report_size(figures, out)
    if not args.keep:
        gens.clean()
    return figures


def report_size(f: SizeFigures, out) -> None:
    ours = f.best("ours")
    p(out, f"best of {len(f.runs['ours'])}, load average {min(f.loads):.1f}-{max(f.loads):.1f}:")
    for name in f.runs:
        best = f.best(name)
        if best is None:
            p(out, f"  {name:<8} no successful run")
            continue
        p(out, f"  {name:<8} {best.seconds:8.2f} s  {f.n / best.seconds:9,.0f} articles/s  {best.files:>7,} files "
               f"({best.pages:,} without photos)")
    if ours is None:
        return
    hugo, pelican, default = f.best("Hugo"), f.best("Pelican"), f.pelican_default
    if hugo:
        p(out, f"  ours / Hugo's time: {ours.seconds / hugo.seconds:.2f}x")
    if pelican:
        p(out, f"  Pelican's time / ours (equal work): {pelican.seconds / ours.seconds:.2f}x")
    if default and default.ok:
        p(out, f"  Pelican's time / ours (Pelican's defaults, {default.files:,} files; reference only): "
               f"{default.seconds / ours.seconds:.2f}x")


def summary(results: list[SizeFigures], out) -> None:
    p(out)
    p(out, "== Summary: targets of issue 20 item 7 (full export, whole processes, best of the rounds) ==")
    by_n = {f.n: f for f in results}
    for name, n, target in TARGETS:
        f = by_n.get(n)
        ours = f.best("ours") if f else None
        theirs = f.best(name) if f else None
        if ours is None or theirs is None:
            p(out, f"{name:<8} N={n:<7,} not measured  {verdict(None)}")
            continue
        if name == "Pelican":
            ratio = theirs.seconds / ours.seconds
            ok = ratio >= target
            p(out, f"Pelican  N={n:<7,} Pelican's {theirs.seconds:.2f} s / ours {ours.seconds:.2f} s = {ratio:.2f}x "
                   f"{'>=' if ok else '<'} {target:g}x  {verdict(ok)}")
        else:
            ratio = ours.seconds / theirs.seconds
            ok = ratio <= target
            p(out, f"Hugo     N={n:<7,} ours {ours.seconds:.2f} s / Hugo's {theirs.seconds:.2f} s = {ratio:.2f}x "
                   f"{'<=' if ok else '>'} {target:g}x  {verdict(ok)}")
    loads = [load for f in results for load in f.loads]
    if loads:
        p(out, f"machine load: 1-minute load average {min(loads):.1f}-{max(loads):.1f} as the runs started "
               f"({os.cpu_count()} CPUs)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="500,5000,10000", help="article counts, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved timed rounds per size (default 3)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help=f"default {DEFAULT_WORKDIR} (a RAM disk)")
    parser.add_argument("--pelican-home", type=Path, default=PELICAN_HOME,
                        help=f"where Pelican's environment is kept (default {PELICAN_HOME})")
    parser.add_argument("--skip-pelican", action="store_true")
    parser.add_argument("--skip-hugo", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep each size's sites (default: removed after it)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="20 articles, one round: the smoke test")
    args = parser.parse_args(argv)
    args.sizes = sorted({int(part.replace("_", "")) for part in args.sizes.split(",") if part.strip()})
    if args.smoke:
        args.sizes, args.rounds = [20], 1
    if not args.sizes or min(args.sizes) < 2 or args.rounds < 1:
        parser.error("sizes must be >= 2 and rounds >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run(args, sys.stdout)
    return 0


def run(args: argparse.Namespace, out) -> None:
    workdir = args.workdir.expanduser().resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    p(out, "Dayuan Desktop against Hugo and Pelican: full site builds, whole processes")
    p(out, f"  code: {code_version()}; Python {sys.version.split()[0]}; SQLite {sqlite3.sqlite_version}; "
           f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the start; work folder {workdir}")
    tools: dict = {}
    if not args.skip_hugo and (hugo := ensure_hugo(out)):
        tools["hugo"] = hugo
        p(out, f"Hugo: {hugo_version(hugo)}")
    if not args.skip_pelican and (pelican := ensure_pelican(args.pelican_home, out)):
        tools["pelican"] = pelican
        p(out, f"Pelican: {pelican_versions(pelican)}; equal work: {EQUAL_WORK_SETTINGS}")
    corpus = build_corpus(workdir, max(args.sizes), args.seed, out)
    results = []
    for i, n in enumerate(args.sizes):
        results.append(run_size(corpus, n, args, tools, warm_up=(i == 0), out=out))
    summary(results, out)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
