"""``dayuan-desktop photo info`` and ``photo add``: outputs, overrides and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from dayuan_desktop.cli import main
from tests.core.photos.photokit import exif_bytes, jpeg, save, xmp_packet
from tests.helpers import run_cli as run

CAPTION = "防控人员在道路卡口逐一查验过往车辆"




@pytest.fixture
def captioned(tmp_path: Path) -> Path:
    path = tmp_path / "checkpoint.jpg"
    path.write_bytes(jpeg(1600, 1200, exif=exif_bytes(gps=True, make="Canon", taken="2022:12:13 14:46:28"),
                          xmp=xmp_packet(description=CAPTION, creator="马向英", rights="©大同日报社")))
    return path


def test_photo_info_shows_what_was_read_the_caption_line_and_the_problems(capsys, captioned):
    code, out, err = run(capsys, "photo", "info", str(captioned))
    assert code == 0, err
    assert f"caption: {CAPTION} (XMP dc:description)" in out
    assert "photographer: 马向英 (XMP dc:creator)" in out
    assert "copyright: ©大同日报社 (XMP dc:rights)" in out
    assert "taken: 2022-12-13 14:46 (EXIF DateTimeOriginal)" in out
    assert f"caption line: 图为{CAPTION}。马向英摄" in out
    assert "problems: 1" in out and "GPS position present" in out
    assert "size: 1600 x 1200 px as shown" in out
    assert "rendition: JPEG 1200 x 900 px" in out
    assert "keeps: caption, photographer, copyright" in out
    assert "drops: GPS position" in out and "other EXIF field" in out


def test_photo_info_lists_every_problem(capsys, tmp_path):
    path = tmp_path / "bare.png"
    path.write_bytes(save(Image.merge("RGB", [Image.effect_noise((640, 480), s) for s in (30, 40, 50)]), "PNG"))
    code, out, _ = run(capsys, "photo", "info", str(path))
    assert code == 0
    assert "caption line: -" in out and "problems: 3" in out
    for message in ("missing caption", "missing photographer", "640 px wide"):
        assert message in out


def test_photo_info_on_a_bad_file_is_one_line_and_exit_1(capsys, tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("不是照片", encoding="utf-8")
    code, out, err = run(capsys, "photo", "info", str(path))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "notes.jpg is not an image file" in err
    code, _, err = run(capsys, "photo", "info", str(tmp_path / "gone.jpg"))
    assert code == 1 and "not found" in err
    heic = tmp_path / "phone.heic"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(100))
    code, _, err = run(capsys, "photo", "info", str(heic))
    assert code == 1 and "HEIC file, which is not supported: convert it to JPEG" in err


@pytest.mark.parametrize("argv", [["photo"], ["photo", "add", "4709"], ["photo", "info"]])
def test_photo_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert "usage: dayuan-desktop photo" in capsys.readouterr().err


def test_photo_add_attaches_to_the_article_and_given_values_override(capsys, database_url, captioned, tmp_path):
    db = ["--db", database_url]
    assert run(capsys, *db, "sample")[0] == 0
    code, out, err = run(capsys, *db, "photo", "add", "4709", str(captioned))
    assert code == 0, err
    assert f"to #4709: 图为{CAPTION}。马向英摄" in out and "problem: GPS position present" in out
    assert "1 photo(s) added to #4709, 1 placed at the end of the body" in out
    code, out, _ = run(capsys, *db, "show", "4709")
    assert f"![图为{CAPTION}。](photo:" in out
    assert CAPTION in out.split("photos:")[1].splitlines()[0]

    other = tmp_path / "other.jpg"
    other.write_bytes(jpeg(1000, 800, (10, 10, 200), xmp=xmp_packet(description="文件里的说明", creator="文件里的名字")))
    code, out, err = run(capsys, *db, "photo", "add", "4709", str(other), "--caption", "编辑写的说明", "--by", "王宏伟")
    assert code == 0, err
    assert "图为编辑写的说明。王宏伟摄" in out and "文件里" not in out
    code, out, _ = run(capsys, *db, "show", "4709")
    assert "编辑写的说明" in out and "![图为编辑写的说明。](photo:" in out


def test_photo_add_with_a_bad_file_stores_nothing(capsys, database_url, captioned, tmp_path):
    db = ["--db", database_url]
    run(capsys, *db, "sample")
    _, before, _ = run(capsys, *db, "show", "4709")
    bad = tmp_path / "cut.jpg"
    bad.write_bytes(captioned.read_bytes()[:2000])
    code, out, err = run(capsys, *db, "photo", "add", "4709", str(captioned), str(bad))
    assert code == 1 and "cut.jpg is damaged" in err and err.count("\n") == 1
    _, after, _ = run(capsys, *db, "show", "4709")
    assert after == before
    code, _, err = run(capsys, *db, "photo", "add", "99999", str(captioned))
    assert code == 1 and "no article" in err
