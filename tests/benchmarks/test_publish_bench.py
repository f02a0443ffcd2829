"""Smoke test of benchmarks/publish_bench.py: a tiny site against a real sshd and rsync."""

from __future__ import annotations

import argparse
import io
import shutil

from tests.benchmarks.conftest import _load
from tests.core.publishing.servers import unavailable


def test_tiny_publish_benchmark_compares_with_rsync_and_ends_with_equal_folders(monkeypatch, tmp_path):
    if not shutil.which("rsync"):
        unavailable("rsync is not installed (apt-get install rsync)")
    bench = _load("publish_bench", monkeypatch)
    out = io.StringIO()
    args = argparse.Namespace(articles=40, photos=5, photo_kb=4, connections=2, site=None, seed=1, tiny=True,
                              rounds=2)
    bench.run(args, tmp_path, out)
    text = out.getvalue()
    assert "first publish:" in text and "rsync -a over ssh:" in text and "rsync -a --checksum " in text
    assert text.count("(5 uploaded, ") == 3  # two rounds and the in-process run: page, list, home, RSS, sitemap
    assert "one changed article, median of 2:" in text
    assert "server folders equal the site: True" in text
