"""Web renditions: size, orientation, sRGB, format, no GPS or camera data, credit as XMP/EXIF, determinism."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.export.rendition_bytes import RENDITION_FORMAT_VERSION, make_rendition
from dayuan_desktop.core.photos import RenditionText, make_renditions, make_web_rendition
from dayuan_desktop.core.photos.xmp import parse_xmp
from tests.core.photos.photokit import (
    corner_marked,
    exif_bytes,
    iptc_block,
    jpeg,
    near,
    rgb_icc_profile,
    save,
    stored_for_orientation,
    swapped_primaries_profile,
    with_iptc,
    xmp_packet,
)

CAPTION = "防控人员在道路卡口逐一查验过往车辆"


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def colour_noise(width: int, height: int) -> Image.Image:
    """A photograph-like picture: thousands of colours."""
    return Image.merge("RGB", [Image.effect_noise((width, height), sigma) for sigma in (40, 50, 60)])


def camera_jpeg(width: int = 4000, height: int = 3000, **exif) -> bytes:
    noise = Image.effect_noise((width // 8, height // 8), 40).convert("RGB").resize((width, height))
    return save(noise, "JPEG", quality=90, comment=b"secret note",
                exif=exif_bytes(gps=True, make="Canon", artist="马向英".encode(), **exif),
                xmp=xmp_packet(description=CAPTION, creator="马向英", rights="©大同日报社", gps=True))


def test_rendition_has_no_gps_and_names_the_photographer_in_xmp_and_exif():
    rendition = make_web_rendition(camera_jpeg())
    image = opened(rendition.data)
    exif = image.getexif()
    assert 0x8825 not in exif and not exif.get_ifd(0x8825)  # no GPS IFD
    assert 0x010F not in exif  # no camera make
    assert set(exif) == {0x013B, 0x8298}  # Artist and Copyright only
    assert exif[0x013B].encode("latin-1").decode("utf-8") == "马向英"  # UTF-8 in the ASCII field
    assert exif[0x8298].encode("latin-1").decode("utf-8") == "©大同日报社"
    fields = parse_xmp(image.info["xmp"])
    assert (fields.description, fields.creators, fields.rights) == (CAPTION, ("马向英",), "©大同日报社")
    assert not fields.gps and b"GPSLatitude" not in rendition.data
    assert "comment" not in image.info and b"secret note" not in rendition.data
    assert "icc_profile" not in image.info


def test_rendition_texts_can_be_given():
    text = RenditionText(caption="新的说明", photographer="王宏伟", copyright="©大院网", credit="大院网")
    image = opened(make_web_rendition(camera_jpeg(1600, 1200), text=text).data)
    fields = parse_xmp(image.info["xmp"])
    assert (fields.description, fields.creators, fields.rights, fields.credit) == (
        "新的说明", ("王宏伟",), "©大院网", "大院网")


def test_iptc_only_credit_travels_as_xmp():
    data = with_iptc(jpeg(), iptc_block(CAPTION, "马向英", copyright="©大同日报社"))
    fields = parse_xmp(opened(make_web_rendition(data).data).info["xmp"])
    assert (fields.description, fields.creators, fields.rights) == (CAPTION, ("马向英",), "©大同日报社")


def test_rendition_is_deterministic():
    original = camera_jpeg(2000, 1500)
    assert make_web_rendition(original).data == make_web_rendition(original).data
    png = save(Image.new("RGBA", (900, 600), (20, 90, 160, 128)), "PNG")
    assert make_web_rendition(png).data == make_web_rendition(png).data


def test_rendition_is_a_progressive_jpeg_1200_on_the_long_side_by_default_and_configurable():
    landscape = opened(make_web_rendition(camera_jpeg(4000, 3000)).data)
    assert landscape.format == "JPEG" and landscape.size == (1200, 900)
    assert landscape.info.get("progressive") or landscape.info.get("progression")
    portrait = opened(make_web_rendition(camera_jpeg(3000, 4000)).data)
    assert portrait.size == (900, 1200)
    assert opened(make_web_rendition(camera_jpeg(4000, 3000), long_side=800).data).size == (800, 600)
    small = make_web_rendition(jpeg(640, 480))
    assert (small.width, small.height) == (640, 480)  # never enlarged
    with pytest.raises(ValidationError):
        make_web_rendition(jpeg(), long_side=0)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_rendition_and_thumbnail_follow_exif_orientation(orientation):
    from dayuan_desktop.core.photos import make_thumbnail

    upright = corner_marked(400, 300)  # red top-left quarter
    stored = stored_for_orientation(upright, orientation)
    data = save(stored, "JPEG", quality=95, exif=exif_bytes(orientation=orientation))
    for image in (opened(make_web_rendition(data).data), opened(make_thumbnail(data))):
        width, height = image.size
        assert width > height  # upright again: landscape
        assert near(image.convert("RGB").getpixel((width // 8, height // 8)), (255, 0, 0), 40), orientation
        assert near(image.convert("RGB").getpixel((width - 5, height - 5)), (128, 128, 128), 40), orientation
        assert 0x0112 not in image.getexif()  # the pixels are upright; no orientation to apply twice


def test_cmyk_input_becomes_srgb():
    rendition = make_web_rendition(jpeg(900, 600, (0, 255, 255, 0), mode="CMYK"))
    image = opened(rendition.data)
    assert image.mode == "RGB" and "icc_profile" not in image.info
    assert near(image.getpixel((450, 300)), (255, 0, 0), 30)


def test_cmyk_input_with_a_broken_profile_still_becomes_srgb():
    data = jpeg(900, 600, (0, 255, 255, 0), mode="CMYK", icc_profile=b"not a profile" * 20)
    image = opened(make_web_rendition(data).data)
    assert image.mode == "RGB" and near(image.getpixel((450, 300)), (255, 0, 0), 30)


def test_icc_profiled_input_is_converted_to_srgb():
    # In this profile the first channel is sRGB's blue: colour management must turn (255, 0, 0) blue.
    data = jpeg(900, 600, (255, 0, 0), icc_profile=swapped_primaries_profile())
    image = opened(make_web_rendition(data).data)
    assert "icc_profile" not in image.info
    assert near(image.getpixel((450, 300)), (0, 0, 255), 30)


def test_srgb_profiled_input_is_left_alone():
    from tests.core.photos.photokit import SRGB_D50

    srgb_named = rgb_icc_profile(SRGB_D50["red"], SRGB_D50["green"], SRGB_D50["blue"], "sRGB IEC61966-2.1")
    image = opened(make_web_rendition(jpeg(900, 600, (200, 100, 50), icc_profile=srgb_named)).data)
    assert near(image.getpixel((450, 300)), (200, 100, 50), 12)


def test_png_with_transparency_and_graphics_stay_png_photos_become_jpeg():
    transparent = make_web_rendition(save(Image.new("RGBA", (2400, 1200), (20, 90, 160, 100)), "PNG"))
    assert transparent.format == "PNG" and transparent.extension == ".png"
    image = opened(transparent.data)
    assert image.mode == "RGBA" and image.size == (1200, 600) and image.getpixel((5, 5))[3] == 100
    assert parse_xmp(image.info["xmp"]) is not None
    chart = Image.new("P", (1000, 700))
    chart.putpalette([0, 0, 0, 255, 255, 255, 200, 0, 0] + [0] * 759)
    chart.paste(2, (100, 100, 500, 500))
    assert make_web_rendition(save(chart, "PNG")).format == "PNG"
    keyed = Image.new("RGB", (1000, 700), (255, 255, 255))
    keyed.paste((200, 0, 0), (100, 100, 400, 400))
    keyed_png = opened(make_web_rendition(save(keyed, "PNG", transparency=(255, 255, 255))).data)
    assert keyed_png.format == "PNG" and keyed_png.getpixel((900, 600))[3] == 0  # the colour key stays clear
    photo_png = colour_noise(1000, 700)
    assert make_web_rendition(save(photo_png, "PNG")).format == "JPEG"
    opaque_rgba = colour_noise(1000, 700).convert("RGBA")
    assert make_web_rendition(save(opaque_rgba, "PNG")).format == "JPEG"  # alpha present but unused


def test_export_uses_the_photo_pipeline():
    original = camera_jpeg(3000, 4000)
    assert make_rendition(original, 1200) == make_web_rendition(original, long_side=1200).data
    assert RENDITION_FORMAT_VERSION >= 2  # old renditions (width-bound, GPS-unaware) are made again


def test_many_renditions_on_all_cores_match_one_core_and_report_progress():
    originals = [camera_jpeg(1600, 1200)] + [jpeg(1000 + i, 700, (i * 40, 80, 120)) for i in range(5)]
    originals.append(b"not a photo")
    seen: list[tuple[int, int]] = []
    parallel = make_renditions(originals, long_side=600, workers=2, progress=lambda done, total: seen.append((done, total)))
    serial = make_renditions(originals, long_side=600, workers=1)
    assert [r.data for r in parallel[:-1]] == [r.data for r in serial[:-1]]
    assert isinstance(parallel[-1], ValidationError) and "not an image" in str(parallel[-1])
    assert seen == [(i, len(originals)) for i in range(1, len(originals) + 1)]
    assert all(max(r.width, r.height) <= 600 for r in parallel[:-1])
    with_text = make_renditions([(originals[1], RenditionText(photographer="王宏伟"))], workers=1)
    assert parse_xmp(opened(with_text[0].data).info["xmp"]).creators == ("王宏伟",)
