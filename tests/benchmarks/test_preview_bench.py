"""Smoke test of benchmarks/preview_bench.py: it runs on tiny photos and prints its figures (no timing asserted)."""

from __future__ import annotations

import re

from tests.benchmarks.conftest import _load


def test_preview_bench_prints_its_figures(monkeypatch, capsys):
    assert _load("preview_bench", monkeypatch).main(["--tiny"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^preview of article 4709 with 2 photos \(1 of 800x600 and the sample's own\)", out, re.M)
    assert re.search(r"^  from the rendition cache \(now\): +median +[\d.]+ ms +best +[\d.]+ ms$", out, re.M)
    assert re.search(r"^  own renditions \(before\): +median +[\d.]+ ms +best +[\d.]+ ms$", out, re.M)
    assert re.search(r"^  own / cache: [\d.]+x \(rounds: 2\)$", out, re.M)


def test_preview_bench_with_a_cache_warmed_by_an_export(monkeypatch, capsys):
    assert _load("preview_bench", monkeypatch).main(["--tiny", "--warm", "export"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^preview of article 4709 with 2 photos .*, cache warmed by export, ", out, re.M)
    assert re.search(r"^  own / cache: [\d.]+x \(rounds: 2\)$", out, re.M)
