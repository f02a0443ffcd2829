"""What the photo panel says about an import, in Chinese: progress, new and known photos, reasons."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.photos.importing import import_photo, read_photo
from dayuan_desktop.ui import i18n
from dayuan_desktop.ui.photos.import_report import reason_text
from dayuan_desktop.ui.photos.panel import PhotoPanel
from tests.ui.photos.photofiles import broken_files, captioned_jpeg, comment_segment, splice_after_soi


@pytest.fixture
def chinese(qapp):
    assert i18n.install_translator(qapp, "zh_CN") == "zh_CN"
    yield
    i18n.install_translator(qapp, "en")


@pytest.fixture
def panel(qtbot, ui_store, tmp_path, chinese):
    widget = PhotoPanel()
    qtbot.addWidget(widget)
    widget.set_store(ui_store, tmp_path / "cache")
    article = ui_store.create_article(title="图片新闻", body="正文。\n")
    widget.set_article(ui_store.get_article(article.id))
    widget.resize(700, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _import(qtbot, panel, files) -> tuple[object, str]:
    messages: list[str] = []
    panel.message.connect(messages.append)
    with qtbot.waitSignal(panel.importFinished, timeout=60_000) as blocker:
        panel.import_files(files)
    return blocker.args[0], messages[-1]


def _six_photos(tmp_path):
    base = captioned_jpeg(tmp_path / "base.jpg", "太原汾河公园", "李明").read_bytes()
    paths = []
    for n in range(6):
        path = tmp_path / f"DSC_{n:04d}.jpg"
        path.write_bytes(splice_after_soi(base, comment_segment(f"frame {n}")))
        paths.append(path)
    return paths


def test_six_files_one_already_in_the_library_are_counted_apart(qtbot, panel, ui_store, tmp_path):
    photos = _six_photos(tmp_path)
    import_photo(ui_store, read_photo(photos[0]))  # the library has it already (not this article)
    outcome, message = _import(qtbot, panel, photos)
    assert message == "已导入 5 张新图片；1 张已在图片库中，已直接添加"
    assert panel.model.rowCount() == 6
    _outcome, again = _import(qtbot, panel, photos[:2])  # both are in this article already
    assert again == "2 张已在本文中"


def test_files_that_cannot_be_imported_say_why_in_chinese(qtbot, panel, tmp_path):
    _outcome, message = _import(qtbot, panel, broken_files(tmp_path))
    assert message == "2 张未导入"
    lines = panel.failures.text().splitlines()
    assert lines[0] == "未导入："
    assert lines[1].startswith("truncated.jpg：图片已损坏，无法读取")
    assert lines[2].startswith("notes.jpg：不是大院编辑台能读取的图片")
    assert "damaged" not in panel.failures.text() and "not an image" not in panel.failures.text()


def test_core_reasons_are_translated_and_an_unknown_one_is_kept(chinese, tmp_path):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    heic = tmp_path / "phone.jpg"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)
    reasons = {}
    for path in (empty, heic, tmp_path / "gone.jpg", tmp_path):
        with pytest.raises(DayuanError) as caught:
            read_photo(path)
        reasons[path.name] = reason_text(path.name, str(caught.value))
    assert reasons["empty.jpg"] == "文件是空的（0 字节）"
    assert reasons["phone.jpg"].startswith("不支持 ") and reasons["phone.jpg"].endswith("格式，请先转换为 JPEG")
    assert reasons["gone.jpg"].startswith("文件已不在原处（")
    assert reasons[tmp_path.name] == "不是文件（而是文件夹或设备）"
    assert reason_text("x.jpg", "No space left on device") == "No space left on device"  # not lost


def test_the_progress_line_is_never_cut_off(qtbot, panel):
    long_name = "IMG_20221213_144612_" + "大同古城墙" * 12 + ".jpg"
    panel.resize(480, 420)  # the panel's width at 1366×768
    panel.progress_row.start(6)
    panel.progress_row.update_progress(1, 6, long_name)
    qtbot.waitUntil(lambda: panel.progress_row.label.width() > 100)
    label = panel.progress_row.label
    assert label.text().startswith("正在导入第 2 张，共 6 张：IMG_")
    assert label.text().endswith(".jpg") and "…" in label.text()  # shortened in the middle only
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    assert label.toolTip().endswith(long_name)
