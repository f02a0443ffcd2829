"""Fuzzed photos through `photo info` and `photo add`: what crashed, hung, or got lost."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from soakkit.cli_runner import CliRunner, Outcome
from soakkit.fuzz import mutants
from soakkit.site import PHOTO_ARTICLE, build_site
from soakkit.store_checks import half_done_articles, photos_of

_ADDED = re.compile(r"^added ([0-9a-f]{12}) ", re.M)


@dataclass
class FuzzReport:
    files: int = 0
    accepted: int = 0  # `photo add` said "added"
    refused: int = 0  # a one-line error, exit 1
    crashes: list[str] = field(default_factory=list)  # "name: command: first line"
    hangs: list[str] = field(default_factory=list)
    multi_line: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # added, but not attached to the article
    half_done: list[str] = field(default_factory=list)  # body and attached photos disagree
    database: Path | None = None
    databases: list[Path] = field(default_factory=list)  # one a lane

    def record(self, name: str, command: str, outcome: Outcome) -> None:
        first = (outcome.err.strip().splitlines() or [""])[0][:160]
        if outcome.hung:
            self.hangs.append(f"{name}: {command}")
        elif outcome.crashed:
            self.crashes.append(f"{name}: {command}: {first}")
        elif outcome.multi_line_error:
            self.multi_line.append(f"{name}: {command}: {outcome.err.strip()[:300]!r}")


def fuzz_photos(workdir: Path, env: dict[str, str], *, seed: int, count: int, timeout: float = 20,
                lanes: int = 2) -> FuzzReport:
    """``count`` mutants of ``seed`` through `photo info` then `photo add` into article 4709.

    ``lanes`` runners work side by side, each on its own database (two `photo add` on one
    article is a race the concurrency check covers, not this one)."""
    from concurrent.futures import ThreadPoolExecutor

    everything = list(mutants(seed, count))
    databases = []
    for lane in range(lanes):  # one after the other: schema creation (Alembic) is not thread-safe
        (workdir / f"lane{lane}").mkdir(parents=True, exist_ok=True)
        databases.append(build_site(workdir / f"lane{lane}" / "newsroom.sqlite3", articles=0))
    with ThreadPoolExecutor(lanes) as pool:
        parts = list(pool.map(lambda lane: _fuzz_lane(databases[lane], env, everything[lane::lanes], timeout),
                              range(lanes)))
    report = FuzzReport()
    for part in parts:
        report.files += part.files
        report.accepted += part.accepted
        report.refused += part.refused
        for name in ("crashes", "hangs", "multi_line", "lost", "half_done"):
            getattr(report, name).extend(getattr(part, name))
    report.databases = [part.database for part in parts]
    return report


def _fuzz_lane(database: Path, env: dict[str, str], lane_mutants: list, timeout: float) -> FuzzReport:
    workdir = database.parent
    files = workdir / "photos"
    files.mkdir(exist_ok=True)
    home = ["--data-dir", str(workdir / "home")]
    report = FuzzReport(database=database)
    added: dict[str, str] = {}  # sha256 prefix → file name
    runner = CliRunner(env, timeout)
    try:
        for mutant in lane_mutants:
            path = files / mutant.name
            path.write_bytes(mutant.data)
            report.files += 1
            report.record(mutant.name, "photo info", runner.run([*home, "photo", "info", str(path)]))
            outcome = runner.run(["--db", str(database), *home, "photo", "add", str(PHOTO_ARTICLE), str(path)])
            report.record(mutant.name, "photo add", outcome)
            found = _ADDED.findall(outcome.out) if outcome.code == 0 else []
            report.accepted += bool(found)
            report.refused += outcome.code == 1 and not outcome.crashed
            added.update({prefix: mutant.name for prefix in found})
    finally:
        runner.close()
    attached = {sha[:12] for sha in photos_of(database, PHOTO_ARTICLE)}
    report.lost = sorted(f"{name} ({prefix})" for prefix, name in added.items() if prefix not in attached)
    report.half_done = half_done_articles(database)
    return report
