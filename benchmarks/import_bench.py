"""Import benchmark (issue 20 item 1): ``dayuan-desktop import`` of generated Markdown articles
(~2,000 Chinese characters, tags, a channel, no photos), whole process, start-up included.

Against, in the same run on the same files: the one-by-one path the command used before (each
file ``import_markdown_file`` on its own: one transaction, ORM statements and an index insert per
file), run as a whole process too. Target: ≥ 500 articles/s at 10,000 on SQLite; PostgreSQL
reported beside it. Rounds are interleaved (new, old, new, old…) and the best is kept; the
load average is printed with each figure (the machine may be shared).

    python benchmarks/import_bench.py                    # 500 and 10,000, SQLite and PostgreSQL
    python benchmarks/import_bench.py --sizes 500 --rounds 3 --no-postgres
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml  # noqa: E402
from bench_articles import SITE_TZ, make_article  # noqa: E402
from bench_common import REPOSITORY, code_version, p, verdict  # noqa: E402

TARGET = 500.0  # articles/s, whole process, 10,000 articles, SQLite
OLD_PATH_UP_TO = 2_000  # the one-by-one path is timed at sizes up to this (10,000 would take ~3 min a round)

ONE_BY_ONE = """
import sys
from pathlib import Path
from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.interchange.markdown_files import import_markdown_file
from dayuan_desktop.core.store import Store
store = Store(open_database(sys.argv[1]), user_name="bench")
store.ensure_search_index()
failed = sum(not import_markdown_file(store, Path(f), create_channels=True).ok for f in sys.argv[2:])
sys.exit(1 if failed else 0)
"""


def write_files(folder: Path, count: int) -> list[Path]:
    """``count`` Markdown files as a newsroom's archive would have them (no number: import gives one)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        article = make_article(20, i)
        v = article.values
        meta = {"title": v["title"], "author": v["author"], "source": v["source"],
                "date": v["published_at"].astimezone(SITE_TZ).isoformat(), "tags": v["tags"],
                "channel": v["channel_path"], "status": "published", "summary": v["summary"]}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        path = folder / f"{i:05d}.md"
        path.write_text(f"---\n{front}---\n\n{article.body('').lstrip()}", encoding="utf-8")
        files.append(path)
    return files


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def timed(command: list[str]) -> tuple[float, float]:
    """Wall time and the CPU time of the command and its worker processes (user + system).

    The CPU time does not depend on what else runs on the machine: on two idle cores the best
    wall time is about half of it (a PostgreSQL server's own CPU is not counted).
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPOSITORY, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command[:6])}…\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    return elapsed, cpu


def new_path(url: str, files: list[Path]) -> list[str]:
    return [sys.executable, "-m", "dayuan_desktop", "--db", url, "import", "--create-channels", *map(str, files)]


def old_path(url: str, files: list[Path]) -> list[str]:
    return [sys.executable, "-c", ONE_BY_ONE, url, *map(str, files)]


class Databases:
    """A fresh database per run: a SQLite file in the work folder, or one on the throw-away server."""

    def __init__(self, work: Path, server_url: str | None) -> None:
        self.work, self.server_url, self.made = work, server_url, 0

    def fresh(self, backend: str) -> str:
        self.made += 1
        if backend == "sqlite":
            return str(self.work / f"run{self.made}.sqlite3")
        import psycopg

        base = self.server_url.rsplit("/", 1)[0]
        with psycopg.connect(base.replace("postgresql://", "postgresql://", 1) + "/postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE run{self.made}")
        return f"postgresql+psycopg://{base.split('://', 1)[1]}/run{self.made}"


def run_size(out, databases: Databases, backend: str, files: list[Path], rounds: int) -> None:
    n = len(files)
    with_old = n <= OLD_PATH_UP_TO
    new_times, old_times, new_cpu = [], [], []
    for _ in range(rounds):
        wall, cpu = timed(new_path(databases.fresh(backend), files))
        new_times.append(wall)
        new_cpu.append(cpu)
        p(out, f"    new  {n:>6,} {backend:<10} {wall:7.2f} s  {n / wall:6.0f}/s  CPU {cpu:6.2f} s "
               f"({cpu * 1000 / n:.2f} ms/article)  load {load()}")
        if with_old:
            wall, cpu = timed(old_path(databases.fresh(backend), files))
            old_times.append(wall)
            p(out, f"    old  {n:>6,} {backend:<10} {wall:7.2f} s  {n / wall:6.0f}/s  CPU {cpu:6.2f} s "
                   f"({cpu * 1000 / n:.2f} ms/article)  load {load()}")
    best = min(new_times)
    rate = n / best
    target = f"target ≥ {TARGET:.0f}/s: {verdict(rate >= TARGET)}" if backend == "sqlite" and n >= 10_000 else ""
    ratio = f", {min(old_times) / best:.1f}× the one-by-one path ({n / min(old_times):.0f}/s)" if old_times else ""
    p(out, f"  {backend:<10} {n:>6,} articles: best {best:.2f} s = {rate:.0f} articles/s{ratio}  {target}")
    if backend != "sqlite":
        return  # the server's own CPU (its trigram index) is not in the figure: no estimate
    idle = 2 * n / min(new_cpu)
    p(out, f"  {'':<10} CPU {min(new_cpu):.2f} s: on two idle cores at best ~{idle:.0f} articles/s (CPU-bound estimate)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 10_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    out = sys.stdout
    work = Path(tempfile.mkdtemp(prefix="import-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    p(out, f"import_bench ({code_version()}), {os.cpu_count()} CPUs, work folder {work}, load {load()}")
    try:
        files = write_files(work / "files", max(args.sizes))
        backends = ["sqlite"] + ([] if args.no_postgres else ["postgresql"])
        if "postgresql" in backends:
            from sync_bench import throwaway_server

            with throwaway_server() as (newsroom_url, _baseline):
                run_all(out, Databases(work, newsroom_url), backends, files, args)
        else:
            run_all(out, Databases(work, None), backends, files, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def run_all(out, databases: Databases, backends: list[str], files: list[Path], args) -> None:
    for size in args.sizes:
        for backend in backends:
            run_size(out, databases, backend, files[:size], args.rounds)


if __name__ == "__main__":
    sys.exit(main())
