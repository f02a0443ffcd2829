"""Smoke test of benchmarks/export_bench.py: it runs on a tiny site and prints its figures.

No timing is asserted here; the figures themselves are for people (see the script).
"""

from __future__ import annotations

import re

import pytest


@pytest.mark.slow
def test_export_bench_prints_its_figures(export_bench, tmp_path, capsys):
    code = export_bench.main(["--sizes", "30", "--skip-pelican", "--workdir", str(tmp_path)])
    out = capsys.readouterr().out

    assert code == 0
    assert "photos: one distinct JPEG per article, 1600x1067 px" in out
    prepared = re.search(r"^renditions made as photos come in \(prepare_renditions, \d+ processes\): (\d+) in ", out, re.M)
    assert prepared and int(prepared.group(1)) == 30
    ready = re.search(r"^full export into an empty folder, renditions ready: [\d.,]+ articles/s \(30 articles in "
                      r"[\d.,]+ s; \d+ written, 0 unchanged, 0 removed; 0 renditions made, (\d+) hard-linked", out, re.M)
    assert ready and int(ready.group(1)) == 30  # tmp_path: one file system, so every rendition is a link
    assert re.search(r"^full export into an empty folder, empty rendition cache .*; 30 renditions made\)$", out, re.M)
    assert "  same files, byte for byte, as the export with renditions ready: True" in out
    for phase in ("planning", "article pages", "lists, home, feeds, static", "photo renditions", "removals, manifest"):
        assert len(re.findall(rf"^ +{re.escape(phase)} +[\d.]+ s +[\d.]+ %$", out, re.M)) == 2, phase
    assert re.search(r"^  its pages alone: [\d.,]+ articles/s", out, re.M)
    changed = re.search(r"^incremental export, title of article \d+ \(the newest\) changed: [\d.]+ s median of 5 runs "
                        r"\((?:[\d.]+ ){4}[\d.]+ s\), (\d+) written", out, re.M)
    assert changed and int(changed.group(1)) >= 1  # at least its own page
    assert re.search(r"^incremental export, nothing changed: [\d.]+ s, 0 written .*must be 0 written: OK\)$", out, re.M)
    assert re.search(r"^render time: [\d.]+ ms median \(min [\d.]+ ms", out, re.M)
    # The summary: no Pelican, so no ratio; every other target has its verdict.
    for label in ("renditions ready", "renditions made"):
        assert re.search(rf"^full export, {label}, N=30 +[\d.,]+ articles/s; Pelican skipped: no ratio  n/a$",
                         out, re.M)
    assert re.search(r"^incremental, N=30 +[\d.]+ s median of 5 \(max [\d.]+ s\), \d+ written (<=|>) 1 s  (PASS|FAIL) "
                     r"\(the target is for", out, re.M)
    assert re.search(r"^nothing changed, N=30 +[\d.]+ s, 0 written \(must be 0\)  PASS$", out, re.M)
    assert re.search(r"^one article render +[\d.]+ ms (<=|>) 10 ms  (PASS|FAIL)$", out, re.M)
    assert re.search(r"^overall: (PASS|FAIL)", out, re.M)
    # The exported site is really there, with the photo renditions.
    site = tmp_path / "n30" / "site"
    assert (site / "index.html").is_file() and (site / "sitemap.xml").is_file()
    assert len(list((site / "uploads").rglob("*.jpg"))) == 30


def test_synthetic_articles_are_deterministic_and_shaped_as_asked(export_bench):
    first = [export_bench.make_article(7, i) for i in range(3)]
    again = [export_bench.make_article(7, i) for i in range(3)]
    other = [export_bench.make_article(8, i) for i in range(3)]
    assert first == again
    assert first != other
    for article in first:
        body = article.body("![图为说明。](photo:" + "a" * 64 + ")")
        assert body.startswith("![图为说明。](photo:")
        assert body.count("\n## ") == 2
        text = sum(len(p) for part in article.body_parts for p in part)
        assert 1700 <= text <= 2600
        assert article.values["status"] == "published"
    assert export_bench.make_photo(1) != export_bench.make_photo(2)  # one distinct photo per article
