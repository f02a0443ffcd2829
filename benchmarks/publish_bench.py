"""Publishing benchmark (issue 18 item 7): a 10,000-article site on loopback SFTP, against rsync.

Run from the repository root (needs sshd, ssh and rsync: tools/setup.sh test installs them)::

    .venv/bin/python benchmarks/publish_bench.py [--articles 10000] [--photos 3000] [--photo-kb 100]
    .venv/bin/python benchmarks/publish_bench.py --site DIR     # publish a real export instead
    .venv/bin/python benchmarks/publish_bench.py --tiny         # seconds, for the smoke test

It starts a throw-away sshd on a loopback port (temporary host and user keys), builds a site
with the export's layout (article pages, paginated channel lists, home, photos, static files,
RSS and sitemap; photo bytes are random, pages are Chinese text linking their photos) unless
``--site`` is given, and in the same run, against the same server:

* first publish: ``dayuan-desktop publish --to sftp://…`` (a real process) into an empty folder,
  against ``rsync -a`` over ssh of the same folder into another empty folder;
* one changed article (its page, its channel's first list page, home, RSS, sitemap rewritten):
  the publish again, against ``rsync -a --checksum`` (target: ≤ 0.5× its time and ≤ 2 s);
  ``--rounds`` times (another article each time), interleaved, with the median.

Figures are reported with PASS/FAIL, never asserted: the script exits 0.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import REPOSITORY, code_version, p, verdict  # noqa: E402

CHANNELS = ["gsyl/lzgs", "gsyl/tzgg", "news/local", "news/china", "culture", "travel", "life", "sports"]
PAGE_SIZE = 20  # articles per list page
TEXT = "亮身份、扬旗帜、树形象，连日来，市区机关广大党员干部奋战在疫情防控一线。"


def build_site(root: Path, articles: int, photos: int, photo_kb: int, seed: int) -> Path:
    """A site folder with the export's layout (see the module docstring)."""
    rng = random.Random(seed)
    site = root / "site"
    photo_paths = [f"uploads/2026/{1 + i % 12:02d}/{rng.getrandbits(64):016x}-1200.jpg" for i in range(photos)]
    for path in photo_paths:
        _write(site / path, rng.randbytes(photo_kb * 1024))
    for i in range(20):
        _write(site / f"static/css/part{i}.css", (f".c{i} {{ color: #{i:06x}; }}\n" * 200).encode())
    by_channel: dict[str, list[int]] = {channel: [] for channel in CHANNELS}
    for number in range(1, articles + 1):
        channel = CHANNELS[number % len(CHANNELS)]
        by_channel[channel].append(number)
        _write(site / f"{channel}/{number}.html", article_page(number, photo_paths, photos and number % 3 == 0))
    for channel, numbers in by_channel.items():
        for page in range(0, len(numbers), PAGE_SIZE):
            name = "index.html" if page == 0 else f"index_{page // PAGE_SIZE + 1}.html"
            links = "".join(f'<li><a href="{n}.html">第{n}号文章</a></li>' for n in numbers[page:page + PAGE_SIZE])
            _write(site / channel / name, f"<html><body><ul>{links}</ul></body></html>".encode())
    touch_feeds(site, articles, "")
    return site


def article_page(number: int, photo_paths: list[str], with_photo: bool, extra: str = "") -> bytes:
    """An article page of ~12 KB (the portal's are 10–15 KB), linking a photo for a third of them."""
    figure = f'<img src="../../{photo_paths[number % len(photo_paths)]}">' if with_photo else ""
    body = "".join(f"<p>{TEXT}第{number}号文章第{k}段。</p>" for k in range(60))
    return f"<html><head><title>第{number}号文章{extra}</title></head><body>{figure}{body}</body></html>".encode()


def touch_feeds(site: Path, articles: int, stamp: str) -> None:
    """Home page, RSS and sitemap (all rewritten when any article changes)."""
    _write(site / "index.html", f"<html><body>首页{stamp}</body></html>".encode())
    _write(site / "rss.xml", "".join(f"<item>{n}{stamp}</item>" for n in range(50)).encode())
    _write(site / "sitemap.xml", "".join(f"<url>{n}</url>" for n in range(articles)).encode() + stamp.encode())


def change_one_article(site: Path, articles: int, number: int) -> None:
    """What the export rewrites when one article's title changes."""
    channel = CHANNELS[number % len(CHANNELS)]
    _write(site / f"{channel}/{number}.html", article_page(number, ["x.jpg"], False, "（改）"))
    list_page = site / channel / "index.html"
    _write(list_page, list_page.read_bytes().replace(b"</ul>", b"<li>changed</li></ul>"))
    touch_feeds(site, articles, f"-changed-{number}")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall seconds of a process run to completion, and its last output line."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
    lines = result.stdout.strip().splitlines()
    return elapsed, lines[-1] if lines else ""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=3_000)
    parser.add_argument("--photo-kb", type=int, default=100)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--site", type=Path, help="publish this (real) export instead of a built site")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--rounds", type=int, default=5, help="one-change rounds, each against rsync --checksum")
    parser.add_argument("--tiny", action="store_true", help="200 articles, 50 photos: the smoke test")
    args = parser.parse_args(argv)
    if args.tiny:
        args.articles, args.photos, args.photo_kb = 200, 50, 20
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dayuan-publish-bench-") as folder:
        run(args, Path(folder), sys.stdout)
    return 0


def run(args: argparse.Namespace, root: Path, out) -> None:
    sys.path.insert(0, str(REPOSITORY))
    from tests.core.publishing.servers import start_sshd

    p(out, f"# publish_bench ({code_version()}; load average {os.getloadavg()[0]:.1f} at the start)")
    site = args.site or build_site(root, args.articles, args.photos, args.photo_kb, args.seed)
    files = sum(1 for path in site.rglob("*") if path.is_file())
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    p(out, f"site: {files:,} files, {size / 1e6:,.1f} MB ({'given' if args.site else 'built'})")
    (root / "sshd").mkdir()
    server = start_sshd(root / "sshd")
    try:
        compare(args, site, root, server, out)
    finally:
        server.stop()


def compare(args: argparse.Namespace, site: Path, root: Path, server, out) -> None:
    ours, theirs = server.folder / "ours", server.folder / "rsync"
    ours.mkdir()
    theirs.mkdir()
    # Bytecode cached (outside the repository) as an installed app has it: pip compiles on install,
    # while a checkout run with PYTHONDONTWRITEBYTECODE recompiles ~30 modules each start (~0.15 s).
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY), "DAYUAN_DATA_DIR": str(root / "user"),
           "PYTHONPYCACHEPREFIX": str(root / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    publish = [sys.executable, "-m", "dayuan_desktop", "publish", "--to", server.url(ours), "--site", str(site),
               "--quiet", "--identity", str(server.user_key), "--accept-host-key", server.fingerprint,
               "--connections", str(args.connections)]
    ssh = (f"ssh -i {server.user_key} -p {server.port} -o UserKnownHostsFile={root / 'rsync_known_hosts'} "
           "-o StrictHostKeyChecking=accept-new -o BatchMode=yes")
    rsync = ["rsync", "-a", "-e", ssh, f"{site}/", f"{server.user}@127.0.0.1:{theirs}/"]
    first, line = timed(publish, env)
    p(out, f"first publish: {first:.2f} s ({line})")
    first_rsync, _ = timed(rsync)
    p(out, f"rsync -a over ssh: {first_rsync:.2f} s; ratio publish/rsync {first / first_rsync:.2f}x")
    ours_times, rsync_times = [], []
    for round_number in range(args.rounds):  # interleaved: a loaded machine slows both alike
        change_one_article(site, args.articles, number=min(4709, args.articles) - round_number)
        again, line = timed(publish, env)
        checksum, _ = timed([*rsync[:1], "--checksum", *rsync[1:]])
        ours_times.append(again)
        rsync_times.append(checksum)
        p(out, f"one changed article, round {round_number + 1}: publish {again:.2f} s ({line}); "
               f"rsync -a --checksum {checksum:.2f} s; ratio {again / checksum:.2f}x "
               f"(load {os.getloadavg()[0]:.1f})")
    again, checksum = statistics.median(ours_times), statistics.median(rsync_times)
    ratio = statistics.median([a / b for a, b in zip(ours_times, rsync_times, strict=True)])
    p(out, f"one changed article, median of {args.rounds}: publish {again:.2f} s, rsync -a --checksum "
           f"{checksum:.2f} s; median ratio publish/rsync {ratio:.2f}x "
           f"(target <= 0.5x: {verdict(ratio <= 0.5)}; <= 2 s: {verdict(again <= 2.0)})")
    start, _ = timed([sys.executable, "-c", "import dayuan_desktop.cli.entry"], env)
    p(out, f"of the publish's time, starting Python and the command line alone: {start:.2f} s")
    in_process(args, site, root, server, ours, out)
    timed([*rsync[:1], "--checksum", *rsync[1:]])  # the rsync copy follows the second change too
    same = _listing(ours) == _listing(site) == _listing(theirs)
    p(out, f"server folders equal the site: {same}")


def in_process(args: argparse.Namespace, site: Path, root: Path, server, ours: Path, out) -> None:
    """Another changed article through the core API in this process (what the window will call)."""
    from dayuan_desktop.core.publishing.site_publish import PublishOptions, publish_site
    from dayuan_desktop.core.publishing.targets import parse_target

    change_one_article(site, args.articles, number=max(1, min(4709, args.articles) - args.rounds))
    options = PublishOptions(data_dir=root / "user" / "data", cache_dir=root / "user" / "cache",
                             identity_files=(str(server.user_key),), connections=args.connections)
    start = time.perf_counter()
    _, report = publish_site(site, parse_target(server.url(ours)), options)
    p(out, f"another changed article through the core API, in process (SSH library loaded in it): "
           f"{time.perf_counter() - start:.2f} s ({report.summary()})")


def _listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")
            if p.is_file() and p.name != ".dayuan-export.json"}


if __name__ == "__main__":
    sys.exit(main())
