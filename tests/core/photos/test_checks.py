"""House caption style from what a file says, and the problems list an editor must see."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.captions import caption_text, compose_caption, separate_byline
from dayuan_desktop.core.photos import photo_problems, read_photo
from tests.core.photos.photokit import exif_bytes, jpeg, xmp_packet


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


def test_a_good_photo_has_no_problems():
    assert photo_problems("防控人员查验车辆", "马向英", 1200) == []


@pytest.mark.parametrize(
    ("caption", "photographer", "width", "gps", "expected"),
    [
        ("", "马向英", 1200, False, ["missing_caption"]),
        ("图为。", "马向英", 1200, False, ["missing_caption"]),  # nothing left once normalised
        ("车辆", "  ", 1200, False, ["missing_photographer"]),
        ("车" * 120, "马向英", 1200, False, []),
        ("图为" + "车" * 120 + "。", "马向英", 1200, False, []),  # 图为 and 。 are not counted
        ("车" * 121, "马向英", 1200, False, ["caption_too_long"]),
        ("车辆", "马向英", 799, False, ["too_narrow"]),
        ("车辆", "马向英", 800, False, []),
        ("车辆", "马向英", 1200, True, ["gps_present"]),
        ("", "", 640, True, ["missing_caption", "missing_photographer", "too_narrow", "gps_present"]),
    ],
)
def test_problems(caption, photographer, width, gps, expected):
    assert codes(photo_problems(caption, photographer, width, gps=gps)) == expected


def test_messages_say_what_is_wrong():
    [long] = photo_problems("车" * 130, "马向英", 1200)
    assert "130 characters" in long.message and "120" in long.message
    [narrow] = photo_problems("车辆", "马向英", 640)
    assert "640 px" in narrow.message and "800" in narrow.message
    [gps] = photo_problems("车辆", "马向英", 1200, gps=True)
    assert "GPS" in gps.message and "removed" in gps.message


def test_width_checked_is_the_width_as_shown():
    # 1000 x 700 stored, turned by EXIF orientation 6: shown 700 wide, too narrow.
    photo = read_photo(jpeg(1000, 700, exif=exif_bytes(orientation=6)))
    assert (photo.width, photo.height) == (700, 1000)
    assert "too_narrow" in codes(photo.problems("车辆", "马向英"))


@pytest.mark.parametrize(
    ("caption", "photographer", "expected"),
    [
        ("防控人员查验车辆。马向英摄", "", ("防控人员查验车辆", "马向英")),
        ("图为防控人员查验车辆。马向英 摄", "马向英", ("防控人员查验车辆", "马向英")),
        ("防控人员查验车辆。马向英摄", "王宏伟", ("防控人员查验车辆。马向英摄", "王宏伟")),  # not ours to decide
        ("防控人员查验车辆", "马向英", ("防控人员查验车辆", "马向英")),
        ("图为记者在拍摄", "", ("图为记者在拍摄", "")),
        ("马向英摄", "", ("马向英摄", "")),
    ],
)
def test_separate_byline(caption, photographer, expected):
    assert separate_byline(caption, photographer) == expected


def test_composed_caption_from_a_file_whose_caption_already_has_the_byline():
    photo = read_photo(jpeg(xmp=xmp_packet(description="图为 防控人员查验车辆。马向英摄 ")))
    assert photo.composed_caption() == "图为防控人员查验车辆。马向英摄"  # the byline is not printed twice
    assert photo.text() == ("防控人员查验车辆", "马向英")
    # A photographer given by the editor overrides the file's, the byline inside its caption included.
    assert photo.composed_caption(photographer="王宏伟") == "图为防控人员查验车辆。王宏伟摄"


def test_caption_text_is_what_the_house_style_prints():
    assert caption_text("图为图为 车辆。。") == "车辆"
    assert compose_caption(caption_text("图为 车辆！"), "马向英") == "图为车辆。马向英摄"
