"""kill -9 at random points of `export`, `import` and `photo add`, and what each kill left behind.

After every kill: the processes the command started must be gone within seconds (the
process table), `db check` must pass, and no article may be half-done (a body referring to
a photo that is not attached, or the reverse). A killed export is then run again to the end
and its folder must equal a fresh export of the same database byte for byte.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from soakkit.cli_runner import CliRunner
from soakkit.procs import marked_env, new_mark, wait_until_gone
from soakkit.site import PHOTO_ARTICLE, build_site, small_jpeg
from soakkit.store_checks import half_done_articles

ORPHAN_GRACE_SECONDS = 5


@dataclass
class KillReport:
    command: str
    runs: int = 0
    killed: int = 0  # the kill came before the command finished
    orphans: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)  # `db check` did not pass
    half_done: list[str] = field(default_factory=list)
    export_mismatches: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)  # a rerun or check said "unexpected error"


def cli(database: Path, home: Path, *args: str) -> list[str]:
    return ["--db", str(database), "--data-dir", str(home), *args]


def kill_after(argv: list[str], env: dict[str, str], delay: float) -> bool:
    """Run the command; SIGKILL it after ``delay`` seconds. True when it was killed, not finished."""
    process = subprocess.Popen([sys.executable, "-m", "dayuan_desktop", *argv], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def timed_run(argv: list[str], env: dict[str, str]) -> float:
    """How long the command takes start to end (the range kills are drawn from)."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "dayuan_desktop", *argv], env=env, capture_output=True, timeout=600)
    return time.monotonic() - started


def _after_kill(report: KillReport, runner: CliRunner, database: Path, home: Path, mark: str, label: str) -> None:
    left = wait_until_gone(mark, ORPHAN_GRACE_SECONDS)
    report.orphans += [f"{label}: pid {p.pid} ({p.command[:80]})" for p in left]
    check = runner.run(cli(database, home, "db", "check"))
    if check.code != 0 or check.hung:
        report.failed_checks.append(f"{label}: {(check.err or check.out).strip()[:200]}")
    if check.crashed:
        report.crashes.append(f"{label}: db check: {check.err.strip()[:200]}")
    report.half_done += [f"{label}: {line}" for line in half_done_articles(database)]


def _tree(folder: Path) -> dict[str, bytes]:
    from dayuan_desktop.core.export.manifest import comparable_site_files

    return comparable_site_files(folder)  # the manifest's last-export record names this run's inodes


def _differences(got: Path, expected: Path) -> list[str]:
    mine, theirs = _tree(got), _tree(expected)
    names = sorted(set(mine) | set(theirs))
    return [name for name in names if mine.get(name) != theirs.get(name)]


def kill_exports(workdir: Path, env: dict[str, str], *, kills: int, rng: random.Random,
                 articles: int = 12) -> KillReport:
    """Kill `export` ``kills`` times (renditions dropped first, so its worker pool runs too)."""
    report = KillReport("export")
    database = build_site(workdir / "export.sqlite3", articles=articles, photos=articles)
    home, site, fresh = workdir / "export-home", workdir / "site", workdir / "fresh-site"
    runner = CliRunner(env, timeout=300)
    try:
        duration = timed_run(cli(database, home, "export", "--out", str(fresh), "--quiet"), env)
        for run in range(kills):
            shutil.rmtree(home / "cache" / "renditions", ignore_errors=True)
            # Without its manifest the site must be written again: the no-op shortcut cannot end the run unkilled.
            (site / ".dayuan-export.json").unlink(missing_ok=True)
            mark = new_mark()
            report.runs += 1
            report.killed += kill_after(cli(database, home, "export", "--out", str(site), "--quiet"),
                                        marked_env(mark, env), rng.uniform(0.1, duration * 1.1))
            _after_kill(report, runner, database, home, mark, f"export kill {run}")
            rerun = runner.run(cli(database, home, "export", "--out", str(site), "--quiet"))
            if rerun.code != 0:
                report.crashes.append(f"export kill {run}: rerun failed: {rerun.err.strip()[:200]}")
            differing = _differences(site, fresh)
            if differing:
                report.export_mismatches.append(f"export kill {run}: {len(differing)} file(s) differ, "
                                                f"e.g. {differing[:3]}")
    finally:
        runner.close()
    return report


def _markdown_batch(folder: Path, first_number: int, files: int, seed: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(files):
        number = first_number + n
        for side in ("a", "b"):
            (folder / f"{number}{side}.jpg").write_bytes(small_jpeg(seed * 1000 + n * 2 + (side == "b")))
        path = folder / f"{number}.md"
        path.write_text(
            f"---\ntitle: 导入测试稿{number}号\nchannel: gsyl/lzgs\nnumber: {number}\nstatus: published\n"
            f"date: 2022-12-13 14:46:28\n---\n\n第一段。\n\n![图为甲](./{number}a.jpg \"记者甲\")\n\n"
            f"第二段。\n\n![图为乙](./{number}b.jpg \"记者乙\")\n", encoding="utf-8")
        paths.append(path)
    return paths


def kill_imports(workdir: Path, env: dict[str, str], *, kills: int, rng: random.Random, files: int = 6) -> KillReport:
    """Kill `import` of a fresh batch of Markdown files (two photos each) ``kills`` times."""
    report = KillReport("import")
    database = build_site(workdir / "import.sqlite3", articles=0)
    home = workdir / "import-home"
    runner = CliRunner(env, timeout=300)
    try:
        first = _markdown_batch(workdir / "import-0", 7000, files, 0)
        duration = timed_run(cli(database, home, "import", *map(str, first)), env)
        for run in range(kills):
            batch = _markdown_batch(workdir / f"import-{run + 1}", 7000 + (run + 1) * 100, files, run + 1)
            mark = new_mark()
            report.runs += 1
            report.killed += kill_after(cli(database, home, "import", *map(str, batch)), marked_env(mark, env),
                                        rng.uniform(0.1, duration * 1.1))
            _after_kill(report, runner, database, home, mark, f"import kill {run}")
    finally:
        runner.close()
    return report


def kill_photo_adds(workdir: Path, env: dict[str, str], *, kills: int, rng: random.Random,
                    per_run: int = 3) -> KillReport:
    """Kill `photo add 4709 FILE…` (fresh files each time) ``kills`` times."""
    report = KillReport("photo add")
    database = build_site(workdir / "photo.sqlite3", articles=0)
    home, files = workdir / "photo-home", workdir / "photo-files"
    files.mkdir(parents=True, exist_ok=True)
    runner = CliRunner(env, timeout=300)

    def fresh(run: int) -> list[str]:
        paths = [files / f"{run}-{n}.jpg" for n in range(per_run)]
        for n, path in enumerate(paths):
            path.write_bytes(small_jpeg(50_000 + run * per_run + n))
        return [str(path) for path in paths]

    try:
        duration = timed_run(cli(database, home, "photo", "add", str(PHOTO_ARTICLE), *fresh(-1)), env)
        for run in range(kills):
            mark = new_mark()
            report.runs += 1
            report.killed += kill_after(cli(database, home, "photo", "add", str(PHOTO_ARTICLE), *fresh(run)),
                                        marked_env(mark, env), rng.uniform(0.1, duration * 1.1))
            _after_kill(report, runner, database, home, mark, f"photo add kill {run}")
    finally:
        runner.close()
    return report
