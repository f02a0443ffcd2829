"""Every visible string of the window has a Simplified Chinese translation, compiled and used."""

from __future__ import annotations

import importlib.util
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dayuan_desktop.ui import i18n

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "dayuan_desktop" / "ui" / "translations" / "dayuan_zh_CN.ts"


def _tools():
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "tools" / "update_translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _untranslated(ts_file: Path) -> list[str]:
    problems = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            forms = [form.text for form in translation.iter("numerusform")] or [translation.text]
            if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(forms):
                problems.append(f"{context.findtext('name')}: {source!r}")
    return problems


def test_every_string_in_the_sources_is_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    _tools().run_lupdate(fresh, extra=("-no-obsolete", "-locations", "none"))  # adds strings new in the code
    assert _untranslated(fresh) == []


def test_the_shipped_qm_is_compiled_from_the_current_ts(tmp_path):
    compiled = tmp_path / "check.qm"
    _tools().run_lrelease(TS, compiled)
    assert compiled.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run tools/update_translations.py"


@pytest.mark.parametrize(("choice", "system", "expected"), [
    ("auto", "zh_CN", "zh_CN"), ("auto", "zh_TW", "zh_CN"), ("auto", "en_US", "en"), ("auto", "de_DE", "en"),
    ("en", "zh_CN", "en"), ("zh_CN", "en_US", "zh_CN"), (None, "zh_CN", "zh_CN"), ("klingon", "en_GB", "en"),
])
def test_language_choice(choice, system, expected):
    assert i18n.resolve_language(choice, system) == expected


def test_the_window_speaks_chinese_with_the_translation_installed(qtbot, qapp, tmp_path):
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QSettings, Qt

    from dayuan_desktop.core.config import load_settings
    from dayuan_desktop.ui.main_window import MainWindow

    assert i18n.install_translator(qapp, "zh_CN") == "zh_CN"
    try:
        window = MainWindow(load_settings(tmp_path), ZoneInfo("Asia/Shanghai"),
                            QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.build()
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus == ["文件(&F)", "编辑(&E)", "格式(&O)", "文章(&A)", "视图(&V)", "帮助(&H)"]
        assert window.article_list.model.headerData(1, Qt.Orientation.Horizontal) == "标题"
        assert window.article_list.status_filter.itemText(1) == "草稿"
        assert window.save_action.text() == "保存(&S)"
        published = window.article_list.status_filter.findData("published")
        assert window.article_list.status_filter.itemText(published) == "已发布"  # the status, not the column
        assert window.article_list.model.headerData(6, Qt.Orientation.Horizontal) == "发布时间"
    finally:
        i18n.install_translator(qapp, "en")


def test_the_shipped_qt_extra_qm_is_compiled_from_its_ts(tmp_path):
    extra = TS.with_name("qt_extra_zh_CN.ts")
    compiled = tmp_path / "extra.qm"
    _tools().run_lrelease(extra, compiled)
    assert compiled.read_bytes() == extra.with_suffix(".qm").read_bytes(), "run tools/update_translations.py"


def test_qts_own_file_chooser_speaks_chinese(qtbot, qapp):
    # Qt's own dialogs come from Qt's qtbase_zh_CN.qm (found through QLibraryInfo, shipped in the
    # bundle: tests/test_bundle.py) plus qt_extra_zh_CN.qm for the labels it lacks.
    from PySide6.QtCore import QLibraryInfo
    from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

    qt_translations = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (qt_translations / "qtbase_zh_CN.qm").is_file()
    assert i18n.install_translator(qapp, "zh_CN") == "zh_CN"
    try:
        dialog = QFileDialog(None, "x")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = sorted(label.text() for label in dialog.findChildren(QLabel) if label.text())
        assert labels == ["文件名称(&N)：", "文件类型(&T)：", "查找范围(&L)："]
        buttons = {button.text() for button in dialog.findChildren(QPushButton)}
        assert {"打开(&O)", "取消"} <= buttons
    finally:
        i18n.install_translator(qapp, "en")
