"""Pasting real clipboard data (Word, WeChat, a web page, text, bitmaps) into a real editor.

The photo importer is the real photo pipeline on a real SQLite store: pasted images are
checked and stored, and the body refers to them as ``photo:<sha256>``.
"""

from __future__ import annotations

import base64
import hashlib
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.helpers import jpeg_bytes, png_bytes
from tests.ui.editor.keys import press

DATA = Path(__file__).parent / "data"


def paste(editor, mime: QMimeData) -> list[str]:
    """Paste, and wait until the pasted images are stored and in the body."""
    notices: list[str] = []
    editor.pasteNotice.connect(notices.append)
    editor.text_edit().insertFromMimeData(mime)
    deadline = time.monotonic() + 60
    while editor.is_importing_pasted() and time.monotonic() < deadline:
        QTest.qWait(10)
    return notices


def html_mime(html: str, text: str = "纯文本备份") -> QMimeData:
    mime = QMimeData()
    mime.setHtml(html)
    mime.setText(text)
    return mime


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_word_html_keeps_structure_and_drops_office_junk(editor, photo_importer, tmp_path, ui_store):
    image = png_bytes(64, 48)
    clip = tmp_path / "clip_image002.png"
    clip.write_bytes(image)
    html = (DATA / "word_clipboard.html").read_text(encoding="utf-8")
    editor.set_photo_importer(photo_importer)
    notices = paste(editor, html_mime(html.replace("{IMAGE_FILE_URL}", QUrl.fromLocalFile(str(clip)).toString())))
    assert editor.markdown() == (
        "## 平城区筑起疫情防控“钢铁长城”\n\n"
        "连日来，市区机关广大党员干部**不分昼夜**奋战在一线，*当好“守门员”*。"
        "详见[大院网](https://www.sxdygbjy.com/gsyl/lzgs/4709.html)\n\n"
        "## 党员干部集结下沉\n\n"
        "1. 构建防控管理体系\n2. 提升防控管理能力\n    - 成立临时党支部293个\n\n"
        f"![防控人员查验车辆](photo:{sha(image)})\n"
    )
    assert notices == []
    assert [name for _sha, name in photo_importer.imported] == ["clip_image002.png"]
    assert ui_store.photos.photo_bytes(sha(image)) == image


def test_wechat_article_keeps_emphasis_and_leaves_web_images_out_with_a_notice(editor, photo_importer):
    editor.set_photo_importer(photo_importer)
    notices = paste(editor, html_mime((DATA / "wechat_article.html").read_text(encoding="utf-8")))
    assert editor.markdown() == (
        "为了确保下沉干部真正沉下去，**平城区制定了一系列保障制度**，推动下沉干部*积极提升*自身应变能力。\n\n"
        "**二、党旗飘扬党徽生辉**\n\n"
        "下沉党员干部在防控疫情的同时，热情服务居民。\n\n"
        "阅读原文：[大同发布](https://mp.weixin.qq.com/s/AbCdEfGh)\n"
    )
    assert len(notices) == 1 and "(1)" in notices[0] and "web" in notices[0]
    assert photo_importer.imported == []  # neither the mmbiz photo nor the 1×1 monitor pixel


def test_web_page_drops_scripts_frames_trackers_and_keeps_embedded_image(editor, photo_importer):
    image = png_bytes(320, 240)
    html = (DATA / "web_page.html").read_text(encoding="utf-8")
    editor.set_photo_importer(photo_importer)
    notices = paste(editor, html_mime(html.replace("{PNG_BASE64}", base64.b64encode(image).decode())))
    markdown = editor.markdown()
    assert markdown == (
        "## 小南头街道疫情防控卡口\n\n"
        "在小南头街道疫情防控卡口，市市政综合所的同志们一一查看过往司机的“两码”。\n\n"
        "大家尽量少喝水；**声音沙哑了**，但大家*丝毫*没有放在心上。来源："
        "[新闻网](https://www.example.com/news/1.html?utm_source=x)， 分享，相关阅读。\n\n"
        "> “为抗疫做点事，身体是累点，但心里挺快乐。”\n\n"
        "### 三项措施\n\n"
        "- 劝导居民**戴口罩**\n- 勤洗手、多通风\n    1. 少聚集\n    2. 扫场所码\n\n"
        f"![卡口现场](photo:{sha(image)})\n"
    )
    for junk in ("广告", "dataLayer", "youtube", "javascript", "facebook", "baidu", "隐藏", "color", "class"):
        assert junk not in markdown
    assert [name for _sha, name in photo_importer.imported] == ["卡口现场"]
    # the remote photo is named; the damaged JPEG is counted; the trackers are dropped silently
    assert len(notices) == 1 and "web were left out (1)" in notices[0] and "could not be read" in notices[0]


def test_hostile_html_gives_text_only(editor, photo_importer):
    editor.set_photo_importer(photo_importer)
    hostile = (
        '<p onclick="x()">文<img src=x onerror="alert(1)">字<a href="java&#x09;script:alert(1)">链</a>'
        '<svg><script>alert(2)</script></svg><math><mi>x</mi></math>'
        '<a href=" JAVASCRIPT:alert(3)">二</a><img src="file:///etc/passwd"></p>'
        '<style>p{}</style><template><p>模板</p></template><object data="x.swf">对象</object>'
    )
    notices = paste(editor, html_mime(hostile))
    assert editor.markdown() == "文字链二\n"
    assert photo_importer.imported == []
    assert "could not be read" in notices[0]


def test_absurdly_nested_html_is_pasted_as_its_text(editor):
    paste(editor, html_mime("<div>" * 2000 + "深" + "</div>" * 2000, text="深层嵌套的文字"))
    assert editor.markdown() == "深层嵌套的文字\n"


def test_plain_text_keeps_lines_and_paragraphs(editor):
    mime = QMimeData()
    mime.setText("第一段第一行\r\n第一段第二行\r\n\r\n第二段 *不是强调*\n\n\n# 不是标题\n")
    paste(editor, mime)
    assert editor.markdown() == "第一段第一行  \n第一段第二行\n\n第二段 \\*不是强调\\*\n\n\\# 不是标题\n"


def test_a_huge_plain_paste_loses_nothing_and_is_one_undo_step(editor):
    # About 400,000 characters, 30 long articles; Qt's own layout of that in a shown editor takes seconds.
    paragraphs = [f"第{i}段，平城区疫情防控工作。" * 5 for i in range(3_000)]
    mime = QMimeData()
    mime.setText("\n\n".join(paragraphs))
    paste(editor, mime)
    assert editor.text_edit().document().blockCount() == 3_000
    assert editor.markdown() == "\n\n".join(paragraphs) + "\n"
    editor.text_edit().undo()
    assert editor.markdown() == ""


def test_a_big_html_paste_keeps_every_paragraph(editor):
    html = "".join(f'<p style="color:red"><span style="font-weight:700">第{i}段</span>正文</p>' for i in range(3000))
    paste(editor, html_mime(html))
    assert editor.markdown() == "\n\n".join(f"**第{i}段**正文" for i in range(3000)) + "\n"


def test_paste_replaces_the_selection_and_undoes_in_one_step(editor):
    editor.set_markdown("前文替换后文\n")
    cursor = editor.text_edit().textCursor()
    cursor.setPosition(2)
    cursor.setPosition(4, QTextCursor.MoveMode.KeepAnchor)
    editor.text_edit().setTextCursor(cursor)
    paste(editor, html_mime("<b>新</b><i>内容</i>"))
    # "**新***内容*" would be misread: the writer falls back to inline HTML, which renders the same
    assert editor.markdown() == "前文**新**<em>内容</em>后文\n"
    editor.text_edit().undo()
    assert editor.markdown() == "前文替换后文\n"


def test_a_copied_bitmap_becomes_a_photo(editor, photo_importer):
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("darkgreen"))
    mime = QMimeData()
    mime.setImageData(image)
    editor.set_photo_importer(photo_importer)
    assert paste(editor, mime) == []
    (stored, name), = photo_importer.imported
    assert name == "pasted-image.png"
    assert editor.markdown() == f"![](photo:{stored})\n"


def test_a_copied_jpeg_is_stored_as_it_is_not_decoded(editor, photo_importer):
    original = jpeg_bytes(300, 200)
    mime = QMimeData()
    mime.setData("image/jpeg", original)  # what a browser or photo program offers beside its bitmap
    mime.setData("image/png", png_bytes(30, 20))
    editor.set_photo_importer(photo_importer)
    assert editor.text_edit().canInsertFromMimeData(mime)
    assert paste(editor, mime) == []
    (stored, name), = photo_importer.imported
    assert (stored, name) == (sha(original), "pasted-image.jpg")  # the same bytes, quality and metadata
    assert editor.markdown() == f"![](photo:{stored})\n"


def test_a_copied_photograph_bitmap_is_stored_as_jpeg_and_a_small_one_as_png(editor, photo_importer):
    editor.set_photo_importer(photo_importer)
    for width, height in ((4000, 2500), (400, 250)):  # a camera picture, a screenshot-size picture
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("darkgreen"))
        mime = QMimeData()
        mime.setImageData(image)
        paste(editor, mime)
    assert [name for _sha, name in photo_importer.imported] == ["pasted-image.jpg", "pasted-image.png"]


def test_dropped_image_files_become_photos(editor, photo_importer, tmp_path):
    first, second = tmp_path / "a.jpg", tmp_path / "b.png"
    first.write_bytes(jpeg_bytes(300, 200))
    second.write_bytes(png_bytes(30, 20))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(first)), QUrl.fromLocalFile(str(second))])
    editor.set_photo_importer(photo_importer)
    assert editor.text_edit().canInsertFromMimeData(mime)
    paste(editor, mime)
    assert editor.markdown() == (
        f"![](photo:{sha(first.read_bytes())})\n\n![](photo:{sha(second.read_bytes())})\n"
    )


def test_without_a_photo_store_images_are_left_out_and_said(editor):
    image = png_bytes(20, 20)
    notices = paste(editor, html_mime(f'<p>图<img src="data:image/png;base64,{base64.b64encode(image).decode()}"></p>'))
    assert editor.markdown() == "图\n"
    assert "could not be read" in notices[0]


def test_copy_and_paste_inside_the_editor_keeps_quotes_and_photos(editor):
    body = "> 引用 **重点**\n\n" f"![说明](photo:{'ef' * 32})\n"
    editor.set_markdown(body)
    edit = editor.text_edit()
    edit.selectAll()
    edit.copy()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    press(edit, Qt.Key.Key_Return)
    edit.paste()
    assert editor.markdown() == body + "\n" + body
    assert "text/markdown" in QApplication.clipboard().mimeData().formats()


def test_a_web_table_becomes_a_markdown_table(editor):
    html = (
        '<table class="t" style="border:1px"><thead><tr><th style="color:red">地区</th><th>人数</th></tr></thead>'
        "<tbody><tr><td>平城区</td><td><b>6247</b></td></tr><tr><td>新华|街道</td><td>293</td></tr></tbody></table>"
        "<p>表后</p>"
    )
    paste(editor, html_mime(html))
    assert editor.markdown() == (
        "| 地区 | 人数 |\n| --- | --- |\n| 平城区 | **6247** |\n| 新华\\|街道 | 293 |\n\n表后\n"
    )
