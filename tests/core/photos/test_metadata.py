"""What a file says about itself: XMP, then IPTC, then EXIF; Chinese text; dates; GPS; hostile blocks."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dayuan_desktop.core.photos import read_photo
from dayuan_desktop.core.photos.iptc import (
    decode_iim_text,
    iim_datasets,
    jpeg_segments,
    parse_iim,
    photoshop_iim,
)
from dayuan_desktop.core.photos.xmp import XmpRefused, build_xmp, parse_xmp
from tests.core.photos.photokit import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    app13,
    exif_bytes,
    iim,
    iptc_block,
    jpeg,
    save,
    splice_after_soi,
    with_iptc,
    xmp_packet,
)

CAPTION = "防控人员在道路卡口逐一查验过往车辆"
BEIJING = ZoneInfo("Asia/Shanghai")


# -- XMP -----------------------------------------------------------------------------------------
def test_xmp_chinese_caption_photographer_credit_rights_keywords_and_date():
    packet = xmp_packet(description=CAPTION, creator="马向英", credit="大同日报", rights="©大同日报社",
                        subjects=("防控", "疫情", "防控"), date="2022-12-13T14:46:28+08:00")
    meta = read_photo(jpeg(xmp=packet)).metadata
    assert (meta.caption, meta.photographer, meta.credit, meta.copyright) == (CAPTION, "马向英", "大同日报", "©大同日报社")
    assert meta.keywords == ("防控", "疫情")  # duplicates dropped, order kept
    assert meta.taken_at == datetime(2022, 12, 13, 6, 46, 28, tzinfo=UTC)
    assert meta.sources["caption"] == "XMP dc:description" and meta.sources["photographer"] == "XMP dc:creator"
    assert meta.sources["credit"] == "XMP photoshop:Credit" and meta.sources["taken_at"] == "XMP"


def test_xmp_alternatives_prefer_x_default_then_chinese():
    def packet(items: str) -> bytes:
        return (
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:description><rdf:Alt>{items}</rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
        ).encode()

    english = '<rdf:li xml:lang="en">Checkpoint</rdf:li>'
    chinese = '<rdf:li xml:lang="zh-CN">卡口</rdf:li>'
    default = '<rdf:li xml:lang="x-default">默认</rdf:li>'
    assert parse_xmp(packet(english + chinese + default)).description == "默认"
    assert parse_xmp(packet(english + chinese)).description == "卡口"
    assert parse_xmp(packet(english)).description == "Checkpoint"


def test_xmp_simple_and_attribute_forms_and_several_creators():
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'photoshop:Credit="新华社"/>'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:creator><rdf:Seq><rdf:li>张三</rdf:li><rdf:li>李四</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    meta = read_photo(jpeg(xmp=packet)).metadata
    assert meta.credit == "新华社"
    assert meta.photographer == "张三、李四"


def test_build_xmp_round_trips_and_escapes():
    packet = build_xmp(caption="A & B <c>", photographer="马向英", copyright="©大院网", credit="大同")
    fields = parse_xmp(packet)
    assert (fields.description, fields.creators, fields.rights, fields.credit) == (
        "A & B <c>", ("马向英",), "©大院网", "大同")
    assert build_xmp(caption="x") == build_xmp(caption="x")  # deterministic


def test_xml_bomb_in_xmp_is_refused_not_expanded():
    started = time.perf_counter()
    with pytest.raises(XmpRefused, match="DTD or entities"):
        parse_xmp(BILLION_LAUGHS)
    photo = read_photo(jpeg(xmp=BILLION_LAUGHS, exif=exif_bytes(artist="马向英".encode())))
    assert time.perf_counter() - started < 2
    assert photo.metadata.caption == "" and "lol" not in photo.metadata.caption
    assert photo.metadata.photographer == "马向英"  # the other sources still count
    assert any("XML bomb" in note for note in photo.notes)


def test_external_entity_in_xmp_is_refused():
    photo = read_photo(jpeg(xmp=EXTERNAL_ENTITY))
    assert photo.metadata.caption == ""
    assert any("XMP ignored" in note for note in photo.notes)


@pytest.mark.parametrize(
    "packet",
    [b"<x:xmpmeta><unclosed>", b"not xml at all \xff\xfe", "<a>\ud800</a>".encode("utf-8", "surrogatepass"),
     b"<a>" + b"x" * (2 * 2**20) + b"</a>"],
    ids=["unclosed", "binary", "bad-utf8", "too-large"],
)
def test_malformed_xmp_is_ignored_with_a_note(packet):
    photo = read_photo(save_png_with_xmp(packet, exif=exif_bytes(description="城墙".encode())))
    assert photo.metadata.caption == "城墙"  # EXIF still read
    assert any(note.startswith("XMP ignored") for note in photo.notes)


def test_deeply_nested_or_empty_xmp_is_read_without_harm():
    nested = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</x:xmpmeta>"
    for packet in (nested, b"\x00\x00\x00"):
        photo = read_photo(jpeg(xmp=packet, exif=exif_bytes(description="城墙".encode())))
        assert photo.metadata.caption == "城墙"


def save_png_with_xmp(packet: bytes, exif: bytes) -> bytes:
    """A PNG (no 64 KB segment limit) whose iTXt XMP chunk holds ``packet`` byte for byte."""
    import struct
    import zlib

    from PIL import Image

    png = save(Image.new("RGB", (900, 600), (10, 120, 30)), "PNG", exif=exif)
    body = b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + packet
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    return png[:33] + chunk + png[33:]  # right after IHDR


# -- IPTC ----------------------------------------------------------------------------------------
def test_iptc_utf8_with_1_90_marker():
    block = iptc_block(CAPTION, "马向英", keywords=("防控", "疫情"), credit="大同日报", copyright="©大同日报社",
                       date="20221213", time="144628+0800")
    meta = read_photo(with_iptc(jpeg(), block)).metadata
    assert (meta.caption, meta.photographer, meta.credit, meta.copyright) == (CAPTION, "马向英", "大同日报", "©大同日报社")
    assert meta.keywords == ("防控", "疫情")
    assert meta.taken_at == datetime(2022, 12, 13, 14, 46, 28, tzinfo=timezone(timedelta(hours=8)))
    assert meta.sources["caption"] == "IPTC 2:120" and meta.sources["photographer"] == "IPTC 2:80"


def test_iptc_without_marker_in_gb18030_and_in_utf8():
    for encoding in ("gb18030", "utf-8"):
        block = iptc_block(CAPTION, "马向英", encoding=encoding, utf8_marker=False)
        meta = read_photo(with_iptc(jpeg(), block)).metadata
        assert (meta.caption, meta.photographer) == (CAPTION, "马向英"), encoding
    assert decode_iim_text("平城区".encode("gbk"), utf8=False) == "平城区"


def test_iptc_resource_with_a_name_and_other_resources_before_it():
    other = b"8BIM" + (0x03ED).to_bytes(2, "big") + b"\x00\x00" + (16).to_bytes(4, "big") + b"\x00" * 16
    block = iptc_block("城墙", "王宏伟")
    segment = app13(block, resource_name=b"IPTC")
    payload = segment[4:]
    head = b"Photoshop 3.0\x00"
    payload = head + other + payload[len(head):]
    data = splice_after_soi(jpeg(), b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload)
    assert photoshop_iim(data) == block
    assert read_photo(data).metadata.caption == "城墙"


def test_iptc_parser_survives_lies_about_lengths():
    assert iim_datasets(b"\x1c\x02\x78\xff\x00short") == []  # length beyond the end
    assert iim_datasets(b"\x1c\x02\x78\x80\x09" + b"\x00" * 20) == []  # absurd extended length
    assert iim_datasets(iim((2, 120, b"ok")) + b"garbage") == [(2, 120, b"ok")]
    extended = b"\x1c\x02\x78\x80\x02\x00\x04" + "城墙".encode()[:4]
    assert iim_datasets(extended) == [(2, 120, "城墙".encode()[:4])]
    assert list(jpeg_segments(b"\xff\xd8\xff\xe1\xff\xff")) == []  # segment longer than the file
    assert list(jpeg_segments(b"not a jpeg")) == []
    assert parse_iim(b"\x1c" * 100).caption == ""
    broken = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\xff\xff\xff\xff"
    data = splice_after_soi(jpeg(), b"\xff\xed" + (len(broken) + 2).to_bytes(2, "big") + broken)
    assert photoshop_iim(data) is None
    assert read_photo(data).metadata.caption == ""


# -- EXIF and the order of the sources ---------------------------------------------------------------
def test_first_found_wins_xmp_then_iptc_then_exif():
    exif = exif_bytes(description="EXIF caption", artist="EXIF artist", copyright="EXIF ©".encode())
    xmp = xmp_packet(description="XMP 说明", creator="XMP 摄影")
    block = iptc_block("IPTC 说明", "IPTC 摄影", copyright="IPTC ©")
    all_three = read_photo(with_iptc(jpeg(exif=exif, xmp=xmp), block)).metadata
    assert (all_three.caption, all_three.photographer, all_three.copyright) == ("XMP 说明", "XMP 摄影", "IPTC ©")
    iptc_exif = read_photo(with_iptc(jpeg(exif=exif), block)).metadata
    assert (iptc_exif.caption, iptc_exif.photographer) == ("IPTC 说明", "IPTC 摄影")
    only_exif = read_photo(jpeg(exif=exif)).metadata
    assert (only_exif.caption, only_exif.photographer, only_exif.copyright) == ("EXIF caption", "EXIF artist", "EXIF ©")
    assert only_exif.sources == {"caption": "EXIF ImageDescription", "photographer": "EXIF Artist",
                                 "copyright": "EXIF Copyright"}


def test_exif_utf8_and_gb18030_text_written_by_phones_is_decoded():
    exif = exif_bytes(description="城墙夜景".encode(), artist="马向英".encode("gb18030"))
    meta = read_photo(jpeg(exif=exif)).metadata
    assert (meta.caption, meta.photographer) == ("城墙夜景", "马向英")


def test_camera_placeholder_description_is_not_a_caption_and_xp_fields_are_a_last_resort():
    exif = exif_bytes(description="OLYMPUS DIGITAL CAMERA", xp={0x9C9B: "云冈石窟", 0x9C9D: "王宏伟", 0x9C9E: "石窟;大同"})
    meta = read_photo(jpeg(exif=exif)).metadata
    assert (meta.caption, meta.photographer, meta.keywords) == ("云冈石窟", "王宏伟", ("石窟", "大同"))
    assert meta.sources["caption"] == "EXIF XPTitle"


def test_dates_exif_with_offset_and_without_it_in_the_newsroom_zone():
    with_offset = read_photo(jpeg(exif=exif_bytes(taken="2022:12:13 14:46:28", offset="+09:00"))).metadata
    assert with_offset.taken_at == datetime(2022, 12, 13, 5, 46, 28, tzinfo=UTC)
    naive = read_photo(jpeg(exif=exif_bytes(taken="2022:12:13 14:46:28"))).metadata
    assert naive.taken_at == datetime(2022, 12, 13, 14, 46, 28, tzinfo=BEIJING)
    elsewhere = read_photo(jpeg(exif=exif_bytes(taken="2022:12:13 14:46:28")), zone="Europe/Berlin").metadata
    assert elsewhere.taken_at == datetime(2022, 12, 13, 13, 46, 28, tzinfo=UTC)
    for junk in ("0000:00:00 00:00:00", "    :  :     :  :  ", "2022:13:45 99:00:00", "1066:10:14 09:00:00"):
        assert read_photo(jpeg(exif=exif_bytes(taken=junk))).metadata.taken_at is None, junk


def test_gps_is_detected_in_exif_and_in_xmp():
    assert read_photo(jpeg(exif=exif_bytes(gps=True))).metadata.gps
    assert read_photo(jpeg(xmp=xmp_packet(gps=True))).metadata.gps
    plain = read_photo(jpeg(exif=exif_bytes(make="Canon"))).metadata
    assert not plain.gps
    assert any("EXIF" in item for item in plain.dropped)


def test_control_characters_and_overlong_values_are_cleaned():
    xmp = xmp_packet(description="  城墙\t夜景\n\n第二行 ", creator="名" * 500)
    meta = read_photo(jpeg(xmp=xmp)).metadata
    assert meta.caption == "城墙 夜景 第二行"
    assert len(meta.photographer) == 200  # the database column's size (PostgreSQL enforces it)
    nul = read_photo(jpeg(exif=exif_bytes(description=b"\xe5\x9f\x8e\x00\x01tail"))).metadata
    assert "\x00" not in nul.caption


def test_png_webp_tiff_carry_xmp_too():
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    packet = xmp_packet(description=CAPTION, creator="马向英")
    image = Image.new("RGB", (900, 600), (10, 120, 30))
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", packet.decode("utf-8"))
    files = {
        "PNG": save(image, "PNG", pnginfo=info),
        "WEBP": save(image, "WEBP", xmp=packet, quality=80),
        "TIFF": save(image, "TIFF", tiffinfo={700: packet}),
    }
    for fmt, data in files.items():
        photo = read_photo(data)
        assert photo.format == fmt
        assert (photo.metadata.caption, photo.metadata.photographer) == (CAPTION, "马向英"), fmt
