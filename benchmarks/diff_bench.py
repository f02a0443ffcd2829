"""How long the history's comparison takes (core.revision_compare + the HTML the view draws).

    python benchmarks/diff_bench.py

Articles of Chinese text (random characters from the commonest 200, paragraphs of 80–400
characters): a typical edit (a few words changed in three paragraphs, one paragraph added),
every paragraph edited, and one 200,000-character paragraph rewritten whole (the bound). The
baseline in the same run is difflib's line diff of the same two texts (what a plain text
history would show: whole lines, no characters marked). No targets: the figures say what the
UI thread is spared (the comparison runs as a job).
"""

from __future__ import annotations

import difflib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_common import code_version, p  # noqa: E402

from dayuan_desktop.core.revision_compare import compare_versions  # noqa: E402
from dayuan_desktop.ui.history.diff_html import Labels, comparison_html  # noqa: E402

ALPHABET = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
            "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把")
LABELS = Labels({}, "正文", "%1 段未改动", "相同", "整段", "%1 段未画")


def article(rng: random.Random, chars: int) -> list[str]:
    paras, total = [], 0
    while total < chars:
        para = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(80, 400)))
        paras.append(para)
        total += len(para)
    return paras


def timed(work, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def case(name: str, old: str, new: str, repeat: int) -> None:
    ours = timed(lambda: comparison_html(compare_versions({"body": old}, {"body": new}), LABELS), repeat)
    base = timed(lambda: list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="")), repeat)
    bounded = compare_versions({"body": old}, {"body": new}).body.bounded
    p(sys.stdout, f"{name:<52} {len(old):>8,} chars  {ours:8.1f} ms   line diff {base:7.1f} ms"
                  f"   ratio {ours / base if base else float('inf'):6.1f}x{'   (bounded)' if bounded else ''}")


def main() -> int:
    rng = random.Random(19)
    p(sys.stdout, f"diff_bench ({code_version()}), best of 3")
    for size in (2_000, 20_000, 200_000):
        old = article(rng, size)
        new = list(old)
        for i in rng.sample(range(len(new)), min(3, len(new))):
            new[i] = new[i][:20] + "改动的字" + new[i][26:]
        new.insert(len(new) // 2, "新增的一段。")
        case(f"typical edit (3 paragraphs, 1 added), {size:,}", "\n".join(old), "\n".join(new), 3)
    old = article(rng, 200_000)
    every = [para[:10] + "改" + para[11:60] + "字" + para[61:] for para in old]
    case("every paragraph edited, 200,000", "\n".join(old), "\n".join(every), 3)
    one, other = "".join(article(rng, 200_000)), "".join(article(rng, 200_000))
    case("one 200,000-char paragraph rewritten (bounded)", one, other, 3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
