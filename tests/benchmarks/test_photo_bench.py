"""Smoke test of benchmarks/photo_bench.py: it runs on tiny photos and prints its figures.

No timing is asserted here; the figures themselves are for people (see the script).
"""

from __future__ import annotations

import re


def test_photo_bench_prints_its_figures(photo_bench, capsys):
    assert photo_bench.main(["--tiny", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^test photo: 600x400 JPEG \(0\.2 MP\), [\d.]+ MB, EXIF \(camera, date\), GPS and XMP", out, re.M)
    assert re.search(r"^full decode: [\d.]+ ms median, [\d.]+ ms best \(600x400 px\)$", out, re.M)
    assert re.search(r"^draft thumbnail: [\d.]+ ms median, [\d.]+ ms best \(make_thumbnail, 256 px, [\d,]+ bytes; "
                     r"draft decode alone", out, re.M)
    assert re.search(r"^  thumbnail / full decode: [\d.]+ \(medians\), [\d.]+ \(best runs\)$", out, re.M)
    assert re.search(r"^thumbnail from the rendition \(as an import makes it\): [\d.]+ ms = [\d.]+x full decode; "
                     r"an import's rendition \+ thumbnail: \d+ ms, against \d+ ms", out, re.M)
    assert re.search(r"^rendition: [\d.]+ ms \(JPEG 600x400, [\d,]+ bytes, GPS removed\)$", out, re.M)
    assert re.search(r"^6 renditions, 1 core: [\d.]+ s", out, re.M)
    assert re.search(r"^6 renditions, 1 core: .*; CPU [\d.]+ s = [\d.]+ of a core obtained$", out, re.M)
    assert re.search(r"^6 renditions, 2 processes: [\d.]+ s .*same bytes as 1 core: True; CPU [\d.]+ s = [\d.]+ cores "
                     r"obtained$", out, re.M)
    assert re.search(r"^  CPU per photo: [\d]+ ms on 1 core, [\d]+ ms with 2 processes .*load average", out, re.M)
    assert re.search(r"^  draft decode alone / full decode: [\d.]+ \(medians\)", out, re.M)
    assert re.search(r"^thumbnail <= 0.25x full decode +[\d.]+x  (PASS|FAIL)$", out, re.M)
    assert re.search(r"^rendition has no GPS +removed  PASS$", out, re.M)
    assert re.search(r"^overall: (PASS|FAIL) \(small test photo", out, re.M)


def test_the_test_photo_is_a_camera_like_jpeg_with_gps(photo_bench):
    from dayuan_desktop.core.photos import read_photo

    photo = read_photo(photo_bench.make_camera_jpeg(640, 480))
    assert (photo.format, photo.width, photo.height) == ("JPEG", 640, 480)
    assert photo.metadata.gps and photo.metadata.photographer == "马向英"
    assert photo_bench.make_camera_jpeg(64, 48, 1) != photo_bench.make_camera_jpeg(64, 48, 2)
