"""Command start-up benchmark: whole ``dayuan-desktop`` processes, start to exit (issue 20, item 3).

    .venv/bin/python benchmarks/command_startup_bench.py [--articles 500] [--runs 7] [--workdir DIR]

Builds a SQLite database of ``--articles`` synthetic Chinese articles (``bench_articles``,
published, no photos) through the real store, then times fresh processes of
``python -m dayuan_desktop`` (median of ``--runs``, after one warm-up run each):

* ``--version`` and ``--help`` (target ≤ 0.15 s each);
* ``list`` on that database (target ≤ 0.3 s);
* ``export`` with nothing to do (target ≤ 0.4 s): the site is exported once first, so every
  timed run finds it current.

Two more figures without a target show the floor: a bare interpreter, and importing the
store (SQLAlchemy and the mapped models), which every command that opens the database pays.
Each figure is printed beside its target with PASS/FAIL, with the median CPU time of the
process and the load average (two cores busy with something else double the wall-clock
figures; the CPU times move less). Timings are reported, never asserted:
the script exits 0.
The children write and use bytecode (``__pycache__``) even under ``PYTHONDONTWRITEBYTECODE``,
as an installed app does; the warm-up run writes it.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import REPOSITORY, code_version, p, verdict  # noqa: E402

TARGETS = {"--version": 0.15, "--help": 0.15, "list": 0.30, "export (nothing to do)": 0.40}
# No target: what any command that opens the store pays before its first query (SQLAlchemy and
# the mapped models), beside a bare interpreter.
FLOORS = {"bare python -c pass": ["-c", "pass"],
          "import the store (floor)": ["-c", "import dayuan_desktop.core.store"]}


def build_database(path: Path, count: int) -> None:
    """``count`` published articles through ``Store.create_articles`` (revisions, search index)."""
    sys.path.insert(0, str(REPOSITORY))
    from bench_articles import CHANNELS, make_article

    from dayuan_desktop.core.db import open_database
    from dayuan_desktop.core.store import Store

    database = open_database(str(path), backup_dir=path.parent / "backups")
    store = Store(database, user_name="bench")
    for channel_path, name, _used in CHANNELS:
        store.create_channel(channel_path, name)
    for first in range(0, count, 250):
        batch = []
        for index in range(first, min(count, first + 250)):
            article = make_article(20261203, index, body_chars=1200)
            batch.append({**article.values, "body": article.body("")})
        store.create_articles(batch)
    database.dispose()


def run(command: list[str], env: dict, *, module: bool = True) -> tuple[float, float]:
    """Seconds of one whole process, start to exit, and the CPU seconds it used; raises when it fails.

    The CPU time (user + system) moves less than the wall-clock time when other work shares
    the cores, so both are reported.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    argv = [sys.executable, "-m", "dayuan_desktop", *command] if module else [sys.executable, *command]
    done = subprocess.run(argv, cwd=REPOSITORY, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7, help="processes of each command (median reported; ≥ 5)")
    parser.add_argument("--workdir", type=Path, help="keep the database and site here (default: a temporary folder)")
    args = parser.parse_args()
    runs = max(5, args.runs)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="dayuan-commands-"))
    work.mkdir(parents=True, exist_ok=True)
    db, site, home = work / f"bench-{args.articles}.sqlite3", work / "site", work / "home"
    if not db.exists():
        p(sys.stdout, f"building {args.articles:,} articles in {db} …")
        started = time.perf_counter()
        build_database(db, args.articles)
        p(sys.stdout, f"  built in {time.perf_counter() - started:.1f} s")
    # The child runs this checkout's code, with a data folder of its own (no user settings).
    # Bytecode is written and used as in an installed app: with PYTHONDONTWRITEBYTECODE every
    # process compiles the app's ~200 modules again (~0.1 s that no user pays).
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY), "DAYUAN_DB": str(db)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    common = ["--data-dir", str(home)]
    commands = {
        "--version": ["--version"],
        "--help": ["--help"],
        "list": [*common, "list"],
        "export (nothing to do)": [*common, "export", "--out", str(site), "--quiet"],
    }
    run(commands["export (nothing to do)"], env)  # the first export writes the site; the timed ones find it current

    p(sys.stdout, f"code: {code_version()}; Python {sys.version.split()[0]}; {os.cpu_count()} cores")
    load_before = os.getloadavg()
    figures = {}
    for name, command in commands.items():
        run(command, env)  # warm-up: file cache, .pyc
        figures[name] = [run(command, env) for _ in range(runs)]
    for name, command in FLOORS.items():
        run(command, env, module=False)
        figures[name] = [run(command, env, module=False) for _ in range(runs)]
    load_after = os.getloadavg()
    p(sys.stdout, f"whole processes, median of {runs}, {args.articles:,}-article SQLite database:")
    for name, timings in figures.items():
        seconds = [wall for wall, _cpu in timings]
        median, target = statistics.median(seconds), TARGETS.get(name)
        cpu = statistics.median(cpu for _wall, cpu in timings)
        against = f"target ≤ {target:.2f} s: {verdict(median <= target)}" if target else "no target"
        p(sys.stdout, f"  {name:<24} {median:6.3f} s  ({against}; "
                      f"runs {min(seconds):.3f}–{max(seconds):.3f} s; CPU {cpu:.3f} s)")
    p(sys.stdout, "load average (1, 5, 15 min): before " + ", ".join(f"{v:.2f}" for v in load_before)
      + "; after " + ", ".join(f"{v:.2f}" for v in load_after))
    return 0


if __name__ == "__main__":
    sys.exit(main())
