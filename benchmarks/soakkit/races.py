"""Two `photo add` loops on one article at the same time: every photo reported added must be
attached and in the body at the end (issue 15 item 1 lost one in 4 of 4 runs)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from soakkit.cli_runner import CliRunner
from soakkit.site import PHOTO_ARTICLE, small_jpeg
from soakkit.store_checks import half_done_articles, photos_of

_ADDED = re.compile(r"^added ([0-9a-f]{12}) ", re.M)


@dataclass
class RaceReport:
    added: int = 0  # photos the loops were told were added
    attached: int = 0  # photos attached to the article at the end
    lost: list[str] = field(default_factory=list)
    half_done: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # a command's error (a lost race may refuse, one line)
    crashes: list[str] = field(default_factory=list)


def _loop(runner: CliRunner, database: str, home: Path, files: list[Path]) -> list:
    return [runner.run(["--db", database, "--data-dir", str(home), "photo", "add", str(PHOTO_ARTICLE), str(path)])
            for path in files]


def race_photo_adds(database: str | Path, workdir: Path, env: dict[str, str], *, per_loop: int,
                    seed: int = 0) -> RaceReport:
    """Two loops of ``per_loop`` `photo add` each (distinct files) on article 4709 of ``database``
    (already built with :func:`soakkit.site.build_site`)."""
    files = []
    for loop in range(2):
        folder = workdir / f"loop{loop}"
        folder.mkdir(parents=True, exist_ok=True)
        files.append([folder / f"{n}.jpg" for n in range(per_loop)])
        for n, path in enumerate(files[loop]):
            path.write_bytes(small_jpeg(seed * 100_000 + loop * 10_000 + n))
    runners = [CliRunner(env, timeout=120) for _ in range(2)]
    try:
        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(lambda loop: _loop(runners[loop], str(database), workdir / f"home{loop}",
                                                        files[loop]), range(2)))
    finally:
        for runner in runners:
            runner.close()
    report = RaceReport()
    added = set()
    for outcome in (item for loop in outcomes for item in loop):
        found = _ADDED.findall(outcome.out) if outcome.code == 0 else []
        added.update(found)
        if outcome.crashed or outcome.hung:
            report.crashes.append(outcome.err.strip()[:200])
        elif outcome.code != 0:
            report.failures.append(outcome.err.strip()[:200])
    attached = {sha[:12] for sha in photos_of(database, PHOTO_ARTICLE)}
    report.added, report.attached = len(added), len(attached)
    report.lost = sorted(added - attached)
    report.half_done = half_done_articles(database)
    return report
