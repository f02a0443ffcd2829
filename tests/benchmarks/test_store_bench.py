"""Smoke test of benchmarks/store_bench.py: it runs on a small database and prints its figures.

No timing is asserted here; the figures themselves are for people (see the script).
"""

from __future__ import annotations

import re

import pytest


@pytest.mark.slow
def test_store_bench_prints_its_figures(store_bench, tmp_path, capsys):
    db = tmp_path / "bench.sqlite3"
    code = store_bench.main(["--articles", "300", "--db", str(db), "--runs", "2", "--scan-runs", "1"])
    out = capsys.readouterr().out

    assert code == 0
    assert db.exists()  # a --db file is kept
    assert re.search(r"^insert throughput: [\d,]+ articles/s \(300 articles in [\d.,]+ s\)$", out, re.M)
    assert re.search(r"^first list page, first call after opening: [\d.,]+ ms \(50 rows, total 300\)$", out, re.M)
    for length in (1, 2, 4):
        lines = re.findall(rf"^search {length}-char +(\w[\w-]*) .* matching .* index .* scan .* scan/index .*$", out, re.M)
        assert {"common", "middling", "rare", "absent"} <= set(lines), (length, lines)
    # The benchmark's own correctness check: the index finds what the substring scan finds.
    assert "index results equal the scan's: yes, for every query" in out
    assert re.search(r"^index build time: [\d.,]+ s \(300 articles", out, re.M)
    for label in ("raw text size", "index size after inserts", "index size after rebuild", "articles table size",
                  "revisions table size", "whole file size"):
        assert re.search(rf"^{label}: [\d.,]+ [KMG]?B", out, re.M), label
    assert re.search(r"^index/text after rebuild +[\d.]+x (<=|>) 1.5x +(PASS|FAIL)$", out, re.M)
    assert re.search(r"^overall: (PASS|FAIL)", out, re.M)

    # Measuring again on the same database: the same queries and counts, no insert, no rebuild.
    matching = re.findall(r"^search .* matching +([\d,]+) ", out, re.M)
    code = store_bench.main(["--articles", "300", "--reuse", str(db), "--runs", "2", "--scan-runs", "1"])
    again = capsys.readouterr().out
    assert code == 0
    assert re.findall(r"^search .* matching +([\d,]+) ", again, re.M) == matching
    assert "insert throughput        not measured (database reused)" in again
    assert "index build time" not in again and "index build              not run (database reused)" in again
    assert "index results equal the scan's: yes, for every query" in again
    assert re.search(r"^index/text as built +[\d.]+x (<=|>) 1.5x +(PASS|FAIL)$", again, re.M)
    with pytest.raises(SystemExit):  # another seed's generator did not build it: refused, not mismeasured
        store_bench.main(["--articles", "300", "--seed", "2", "--reuse", str(db), "--runs", "1", "--scan-runs", "1"])


def test_store_bench_refuses_an_existing_database(store_bench, tmp_path):
    db = tmp_path / "old.sqlite3"
    db.write_bytes(b"keep me")
    with pytest.raises(SystemExit) as exc:
        store_bench.main(["--articles", "10", "--db", str(db)])
    assert exc.value.code == 2
    assert db.read_bytes() == b"keep me"


def test_synthetic_articles_are_deterministic_for_a_seed(store_bench):
    first = [store_bench.ArticleGenerator(7).article(i) for i in range(3)]
    again = [store_bench.ArticleGenerator(7).article(i) for i in range(3)]
    other = [store_bench.ArticleGenerator(8).article(i) for i in range(3)]
    assert first == again
    assert first != other
    for values in first:
        assert 1600 <= len(values["body"]) <= 3000
        assert 1 <= len(values["tags"]) <= 3
        assert values["published_at"] is None or values["published_at"].tzinfo is not None
