"""Issue 4's "done when", end to end: a JPEG whose XMP holds a Chinese caption and photographer is
imported, ``photo info`` shows the house caption, the exported page shows it, and the exported
rendition has no GPS but names the photographer."""

from __future__ import annotations

import io

from PIL import Image

from dayuan_desktop.cli import main
from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.photos.xmp import parse_xmp
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.visible_text import visible_lines
from tests.core.photos.photokit import GPS, exif_bytes, save, xmp_packet

CAPTION = "平城区新华街道党员干部在小区卡口查验出入人员健康码"
PHOTOGRAPHER = "马向英"
LINE = f"图为{CAPTION}。{PHOTOGRAPHER}摄"


def test_caption_and_photographer_from_xmp_reach_the_page_and_the_rendition(store, database_url, tmp_path, capsys):
    picture = Image.merge("RGB", [Image.effect_noise((3000, 2000), s) for s in (30, 40, 50)])
    path = tmp_path / "DSC_0042.JPG"
    path.write_bytes(save(picture, "JPEG", quality=88, exif=exif_bytes(gps=True, make="NIKON"),
                          xmp=xmp_packet(description=CAPTION, creator=PHOTOGRAPHER)))
    db = ["--db", database_url]

    assert main([*db, "sample"]) == 0
    assert main(["photo", "info", str(path)]) == 0
    info = capsys.readouterr().out
    assert f"caption line: {LINE}" in info and "GPS position present" in info

    assert main([*db, "photo", "add", "4709", str(path)]) == 0
    capsys.readouterr()
    [photo] = [link.photo for link in store.find_article("4709").photos if link.photo.original_name == path.name]
    assert (photo.caption, photo.photographer) == (CAPTION, PHOTOGRAPHER)  # filled in from the file

    out = tmp_path / "site"
    report = SiteExporter(store, SiteSettings(), out, workers=1).run()
    assert not report.warnings
    html = (out / "gsyl" / "lzgs" / "4709.html").read_text(encoding="utf-8")
    assert visible_lines(html).count(LINE) == 2  # the image's alt text, then the caption line

    [rendition] = [p for p in (out / "uploads").rglob("*") if p.is_file() and photo.web_name.split("/")[-1] in p.name]
    with Image.open(io.BytesIO(rendition.read_bytes())) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and 0x8825 not in exif  # no GPS
        assert 0x010F not in exif  # no camera data
        assert exif[0x013B].encode("latin-1").decode("utf-8") == PHOTOGRAPHER  # EXIF Artist
        xmp = parse_xmp(image.info["xmp"])
        assert xmp.creators == (PHOTOGRAPHER,) and xmp.description == CAPTION and not xmp.gps
        assert max(image.size) == 1200
    assert str(GPS[2][0]) not in info  # photo info never prints the position itself
