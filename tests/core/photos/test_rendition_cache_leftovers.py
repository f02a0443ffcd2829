"""Temporary files a killed process leaves in the rendition cache are removed by the next export
once they are old enough that no running process can still be writing them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from dayuan_desktop.core.photos import RenditionCache
from dayuan_desktop.core.photos.rendition_cache import STALE_TEMPORARY_SECONDS, TEMP_PREFIX
from tests.helpers import run_cli as run

KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from dayuan_desktop.core.photos import rendition_cache
    # Killed between writing the temporary file and renaming it, as a kill -9 can land.
    rendition_cache.os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
    shard = Path(sys.argv[1]) / "renditions" / "ab"
    shard.mkdir(parents=True, exist_ok=True)
    rendition_cache._write_atomically(shard / ("ab" * 32 + ".img"), b"half a photo" * 1000)
""")


def _leftovers(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "renditions").glob(f"*/{TEMP_PREFIX}*"))


def _killed_writer(cache_dir: Path) -> Path:
    result = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(cache_dir)], timeout=120)
    assert result.returncode == -9
    [left] = [path for path in _leftovers(cache_dir) if path.stat().st_mtime > time.time() - 600]
    return left


def test_export_removes_what_a_killed_writer_left_and_keeps_a_fresh_one(tmp_path, capsys):
    data = tmp_path / "data"
    cache_dir = data / "cache"
    old = _killed_writer(cache_dir)
    long_ago = time.time() - STALE_TEMPORARY_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    fresh = _killed_writer(cache_dir)  # as if another export were writing it right now
    arg = ["--db", str(tmp_path / "n.sqlite3"), "--data-dir", str(data)]
    assert run(capsys, *arg, "sample")[0] == 0
    code, _, err = run(capsys, *arg, "export", "--quiet", "--out", str(tmp_path / "site"))
    assert code == 0, err
    assert not old.exists() and fresh.exists()
    assert _leftovers(cache_dir) == [fresh]


def test_tidying_a_missing_cache_or_a_linked_leftover_does_nothing_harmful(tmp_path):
    assert RenditionCache(tmp_path / "nowhere").remove_stale_temporaries() == 0
    shard = tmp_path / "renditions" / "cd"
    shard.mkdir(parents=True)
    keep = tmp_path / "keep.txt"
    keep.write_text("not the cache's", encoding="utf-8")
    (shard / f"{TEMP_PREFIX}link").symlink_to(keep)
    os.utime(shard / f"{TEMP_PREFIX}link", (0, 0), follow_symlinks=False)
    assert RenditionCache(tmp_path).remove_stale_temporaries() == 0
    assert keep.read_text(encoding="utf-8") == "not the cache's"
