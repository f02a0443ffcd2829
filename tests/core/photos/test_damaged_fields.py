"""A damaged metadata field (XMP, EXIF, IPTC) is skipped with a note; the photo still imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from dayuan_desktop.core.photos import read_photo
from dayuan_desktop.core.photos.xmp import parse_xmp
from tests.core.photos.photokit import exif_bytes, jpeg, save, splice_after_soi, xmp_packet
from tests.helpers import run_cli as run

CAPTION = "防控人员在道路卡口逐一查验过往车辆"


def _with_orientation(value: str) -> bytes:
    packet = xmp_packet(description=CAPTION, creator="马向英").decode("utf-8")
    packet = packet.replace('xmp:CreatorTool="Photo Mechanic 6"',
                            f'xmp:CreatorTool="Photo Mechanic 6" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
                            f'tiff:Orientation="{value}"')
    return packet.encode("utf-8")


def _gb18030_packet() -> bytes:
    text = xmp_packet(description=CAPTION, creator="马向英").decode("utf-8")
    body = text[text.index("<x:xmpmeta"):text.index("<?xpacket end")]
    return ('<?xml version="1.0" encoding="GB18030"?>\n' + body).encode("gb18030")


ORIENTATION_MUTANTS = {"superscript two": "²", "5,000 digits": "7" * 5000, "nine": "9", "arabic digit": "٦"}


@pytest.mark.parametrize("value", ORIENTATION_MUTANTS.values(), ids=ORIENTATION_MUTANTS.keys())
def test_a_damaged_orientation_is_skipped_with_a_note_and_the_rest_is_read(value):
    photo = read_photo(jpeg(1200, 800, xmp=_with_orientation(value)))
    assert photo.metadata.caption == CAPTION and photo.metadata.photographer == "马向英"
    assert photo.metadata.orientation == 1 and (photo.width, photo.height) == (1200, 800)
    assert any("tiff:Orientation ignored" in note for note in photo.notes)
    assert all(len(note) < 200 for note in photo.notes)  # 5,000 digits are not repeated back


def test_a_valid_xmp_orientation_still_turns_the_photo():
    photo = read_photo(jpeg(1200, 800, xmp=_with_orientation("6")))
    assert (photo.width, photo.height) == (800, 1200) and not photo.notes


def test_an_xmp_packet_declaring_gb18030_is_read():
    fields = parse_xmp(_gb18030_packet())
    assert fields.description == CAPTION and fields.creators == ("马向英",)
    photo = read_photo(jpeg(1200, 800, xmp=_gb18030_packet()))
    assert photo.metadata.caption == CAPTION


def test_an_xmp_packet_declaring_an_unknown_encoding_is_skipped_with_a_note():
    packet = _gb18030_packet().replace(b'encoding="GB18030"', b'encoding="X-NO-SUCH"')
    photo = read_photo(jpeg(1200, 800, exif=exif_bytes(artist="王宏伟".encode()), xmp=packet))
    assert photo.metadata.photographer == "王宏伟"  # EXIF still read
    assert any(note.startswith("XMP ignored") for note in photo.notes)


def test_an_xmp_packet_with_wrong_bytes_for_its_encoding_is_skipped_with_a_note():
    packet = _gb18030_packet().replace(b'encoding="GB18030"', b'encoding="Big5"') + b"\xff\xff\xff"
    photo = read_photo(jpeg(1200, 800, xmp=packet))
    assert any(note.startswith("XMP ignored") for note in photo.notes)


def test_damaged_exif_and_iptc_fields_never_stop_a_photo():
    hostile_exif = exif_bytes(orientation=65535, artist=b"\xff\xfe\x00\x81", description="²" * 3,
                              taken="9999:99:99 99:99:99", offset="+99:99")
    photo = read_photo(jpeg(1200, 800, exif=hostile_exif))
    assert photo.metadata.orientation == 1 and photo.metadata.taken_at is None
    iim = b"\x1c\x02\x78\x80\x04\xff\xff\xff\xff"  # an extended dataset claiming 4 GB
    app13 = b"\xff\xed" + (len(iim) + 28).to_bytes(2, "big") + b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + \
        len(iim).to_bytes(4, "big") + iim
    photo = read_photo(splice_after_soi(jpeg(1200, 800), app13))
    assert photo.width == 1200


@pytest.fixture
def mutants(tmp_path: Path) -> list[Path]:
    files = []
    for index, value in enumerate(ORIENTATION_MUTANTS.values()):
        files.append(tmp_path / f"orientation-{index}.jpg")
        files[-1].write_bytes(jpeg(1200, 800, (30 * index, 90, 90), xmp=_with_orientation(value)))
    files.append(tmp_path / "gb18030.jpg")
    files[-1].write_bytes(jpeg(1200, 800, (200, 200, 10), xmp=_gb18030_packet()))
    files.append(tmp_path / "tiff.tif")
    files[-1].write_bytes(save(read_image(jpeg(1200, 800)), "TIFF", tiffinfo={700: _with_orientation("²")}))
    return files


def read_image(data: bytes):
    import io

    from PIL import Image

    return Image.open(io.BytesIO(data))


def test_photo_info_and_photo_add_import_every_mutant_with_a_note(capsys, tmp_path, mutants):
    for path in mutants:
        code, out, err = run(capsys, "photo", "info", str(path))
        assert code == 0 and err == "", (path.name, err)
    db = ["--db", str(tmp_path / "newsroom.sqlite3")]
    assert run(capsys, *db, "sample")[0] == 0
    code, out, err = run(capsys, *db, "photo", "add", "4709", *map(str, mutants))
    assert code == 0, err
    assert f"{len(mutants)} photo(s) added to #4709" in out
    assert out.count("note: XMP tiff:Orientation ignored") == len(ORIENTATION_MUTANTS) + 1
    assert f"to #4709: 图为{CAPTION}。马向英摄" in out  # the GB18030 packet's caption


def _mutants(count: int, seed: int = 15) -> list[bytes]:
    """XMP packets damaged as fuzzers and broken tools do: bytes flipped, cut, doubled, odd values."""
    import random

    rnd = random.Random(seed)
    base = _with_orientation("6")
    odd = ["²", "7" * 5000, "-1", "0x6", "６", "1e3", "", " ", "\u0663", "NaN", "9" * 40]
    packets = []
    for _ in range(count):
        data = bytearray(base)
        kind = rnd.randrange(5)
        if kind == 0:
            for _ in range(rnd.randint(1, 8)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        elif kind == 1:
            data = data[: rnd.randrange(len(data))]
        elif kind == 2:
            start = rnd.randrange(len(data))
            data[start:start] = data[start : start + rnd.randint(1, 200)]
        elif kind == 3:
            data = bytearray(_with_orientation(rnd.choice(odd)))
        else:
            declared = rnd.choice(["GB18030", "Big5", "UTF-16", "x-unknown", "ascii", "latin-1", "GBK"])
            data = bytearray(f'<?xml version="1.0" encoding="{declared}"?>'.encode()) + data
        packets.append(bytes(data))
    return packets


def test_two_hundred_damaged_xmp_packets_never_stop_a_photo():
    image = jpeg(64, 48)
    for number, packet in enumerate(_mutants(200)):
        photo = read_photo(splice_after_soi(image, b"\xff\xe1" + (len(packet) + 31).to_bytes(2, "big")
                                            + b"http://ns.adobe.com/xap/1.0/\x00" + packet)
                           if len(packet) < 65000 else image)
        assert (photo.width, photo.height) in ((64, 48), (48, 64)), number
        assert all(len(note) < 300 for note in photo.notes), number
