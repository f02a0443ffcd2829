"""Smoke test of benchmarks/generators_bench.py: our export against Hugo and equal-work Pelican.

No timing is asserted; Pelican is never installed here (it needs pip and minutes), Hugo runs
only where it is installed.
"""

from __future__ import annotations

import re
import shutil

import pytest


@pytest.mark.slow
def test_generators_bench_smoke_prints_our_export_and_the_summary(generators_bench, tmp_path, capsys):
    code = generators_bench.main(["--smoke", "--skip-pelican", "--skip-hugo", "--workdir", str(tmp_path / "w")])
    out = capsys.readouterr().out

    assert code == 0
    assert "built 20 articles with a 800x533 JPEG each" in out
    assert "20 renditions made as photos come in" in out
    # Our export ran as a whole process: 20 article pages, 11 channel lists, home, RSS, sitemap, CSS.
    run = re.search(r"^round 1: ours +[\d.]+ s +(\d+) files \((\d+) without photos\)$", out, re.M)
    assert run, out
    assert int(run.group(1)) == int(run.group(2)) + 20 + 1  # one rendition per article, and the manifest
    assert int(run.group(2)) >= 20 + 11 + 3
    assert re.search(r"^Hugo +N=5,000 +not measured  n/a$", out, re.M)
    assert re.search(r"^machine load: 1-minute load average [\d.]+-[\d.]+ as the runs started", out, re.M)
    assert not (tmp_path / "w").exists()  # the RAM disk is given back


def test_the_hugo_site_has_the_same_markdown_as_ours(generators_bench, tmp_path):
    import generators_data
    import hugo_site
    from bench_articles import make_article

    articles = [make_article(1, i) for i in range(3)]
    images = tmp_path / "images"
    images.mkdir()
    names = []
    for i in range(3):
        (images / f"{i:016x}.jpg").write_bytes(b"jpeg")
        names.append(f"{i:016x}.jpg")
    corpus = generators_data.Corpus(tmp_path, tmp_path / "store.sqlite3", articles, names)
    site = hugo_site.write_hugo_site(corpus, tmp_path / "hugo", 2)

    config = (site / "hugo.toml").read_text(encoding="utf-8")
    assert 'disableKinds = ["taxonomy", "term"]' in config and "paginate = 20" in config
    pages = sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md")
    assert [p.stem for p in pages] == sorted(str(a.values["number"]) for a in articles[:2])
    for article, name in zip(articles[:2], names, strict=False):
        text = next(p for p in pages if p.stem == str(article.values["number"])).read_text(encoding="utf-8")
        assert text.split("+++\n", 2)[2] == article.body(f"![{article.caption}](/images/{name})")
    if shutil.which("hugo"):
        import subprocess

        subprocess.run(["hugo", "--quiet", "-s", str(site), "-d", str(tmp_path / "out")], check=True)
        assert len(list((tmp_path / "out").rglob("100*.html"))) == 2
        assert (tmp_path / "out" / "sitemap.xml").is_file() and not (tmp_path / "out" / "tags").exists()
