"""The reliability soak: tests/reliability at full size, printing the counts.

    python benchmarks/soak.py                      # 1,000 fuzzed photos, 100 kills each
    python benchmarks/soak.py --photos 100 --kills 5 --race-photos 10
    python benchmarks/soak.py --postgres postgresql://tester@127.0.0.1:5432/soak   # race there too

Prints crashes, hangs, lost photos, half-done commands, orphans and reads outside the import
folder (each should be 0), with the first few examples of each, and the time taken. The
fuzzing, kill and process-table code is shared with the tests (benchmarks/soakkit/).
Exit code 0 when every count is 0, 1 otherwise. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
from soakkit import kills  # noqa: E402
from soakkit.outside import reads_outside_import_folder  # noqa: E402
from soakkit.photo_fuzz import fuzz_photos  # noqa: E402
from soakkit.races import race_photo_adds  # noqa: E402
from soakkit.site import build_site  # noqa: E402


def _examples(items: list[str], shown: int = 3) -> str:
    return "" if not items else "  e.g. " + " | ".join(item[:160] for item in items[:shown])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=1_000, help="fuzzed photo files (default 1000)")
    parser.add_argument("--kills", type=int, default=100, help="kill -9 runs of each command (default 100)")
    parser.add_argument("--race-photos", type=int, default=50, help="photos per concurrent photo-add loop")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database for the race as well")
    parser.add_argument("--workdir", type=Path, help="keep the files here (default: a temporary folder)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dayuan-soak-"))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    rng = random.Random(args.seed)
    started = time.monotonic()
    counts: dict[str, list[str]] = {name: [] for name in (
        "crashes", "hangs", "lost photos", "half-done commands", "orphans", "reads outside the import folder",
        "multi-line errors", "failed db checks", "export mismatches")}

    fuzz = fuzz_photos(workdir / "fuzz", env, seed=args.seed, count=args.photos)
    print(f"fuzzed photos: {fuzz.files} files, {fuzz.accepted} accepted, {fuzz.refused} refused "
          f"({time.monotonic() - started:.0f} s)", flush=True)
    counts["crashes"] += fuzz.crashes
    counts["hangs"] += fuzz.hangs
    counts["lost photos"] += fuzz.lost
    counts["half-done commands"] += fuzz.half_done
    counts["multi-line errors"] += fuzz.multi_line

    for run in (kills.kill_exports, kills.kill_imports, kills.kill_photo_adds):
        report = run(workdir / "kills", env, kills=args.kills, rng=rng)
        print(f"kill -9 during {report.command}: {report.runs} runs, {report.killed} killed before the end "
              f"({time.monotonic() - started:.0f} s)", flush=True)
        counts["orphans"] += report.orphans
        counts["half-done commands"] += report.half_done
        counts["crashes"] += report.crashes
        counts["failed db checks"] += report.failed_checks
        counts["export mismatches"] += report.export_mismatches

    (workdir / "race").mkdir(parents=True, exist_ok=True)
    targets = [("sqlite", build_site(workdir / "race" / "race.sqlite3", articles=0))]
    if args.postgres:
        targets.append(("postgresql", build_site(args.postgres, articles=0)))
    for name, target in targets:
        race = race_photo_adds(target, workdir / "race" / name, env, per_loop=args.race_photos, seed=args.seed)
        print(f"two photo-add loops on {name}: {race.added} reported added, {race.attached} attached, "
              f"{len(race.failures)} refused", flush=True)
        counts["lost photos"] += [f"{name}: {sha}" for sha in race.lost]
        counts["half-done commands"] += [f"{name}: {line}" for line in race.half_done]
        counts["crashes"] += race.crashes

    counts["reads outside the import folder"] += reads_outside_import_folder(workdir / "outside", env)
    print(f"\nsoak finished in {time.monotonic() - started:.0f} s (work folder {workdir})")
    for name, items in counts.items():
        print(f"{name:>34}: {len(items)}{_examples(items)}")
    return 0 if not any(counts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
