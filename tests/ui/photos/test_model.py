"""The photo list model: order, lead, thumbnails, drag to reorder, file drops; the model tester."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, Qt, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QAbstractItemModelTester

from dayuan_desktop.ui.photos.model import LeadRole, PhotoListModel, ShaRole


def _records(store, count: int):
    return [store.photos.add_photo(bytes([n]) * 30, format="JPEG", width=1200, height=800, caption=f"图为第{n}张。",
                            photographer="李明", original_name=f"p{n}.jpg") for n in range(count)]


def test_model_passes_the_tester_through_every_change(qapp, ui_store):
    records = _records(ui_store, 4)
    model = PhotoListModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_photos(records, lead=records[1].sha256)
    assert model.rowCount() == 4 and model.shas() == [r.sha256 for r in records]
    assert [model.data(model.index(r), LeadRole) for r in range(4)] == [False, True, False, False]
    assert model.data(model.index(1)).startswith("★ Lead")
    assert model.data(model.index(0), ShaRole) == records[0].sha256
    assert "图为第0张。李明摄" in model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert model.move_photo(0, 3)  # the first photo goes before the last
    assert model.shas() == [records[i].sha256 for i in (1, 2, 0, 3)]
    assert model.move_photo(3, 0)
    assert model.shas() == [records[i].sha256 for i in (3, 1, 2, 0)]
    model.set_lead(records[2].sha256)
    assert model.lead() == records[2].sha256
    model.remove_photo(records[2].sha256)
    assert model.lead() == records[3].sha256  # the first photo leads when the lead is gone
    model.append_photos([records[2], records[0]])  # a photo already listed is not listed twice
    assert model.rowCount() == 4
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    model.set_thumbnail(records[0].sha256, image)
    assert model.has_thumbnail(records[0].sha256)
    pixmap = model.data(model.index(model.row_of(records[0].sha256)), Qt.ItemDataRole.DecorationRole)
    assert max(pixmap.width(), pixmap.height()) == 128
    model.set_problem_count(records[0].sha256, 2)
    assert "⚠" in model.data(model.index(model.row_of(records[0].sha256)))
    model.set_photos([])
    assert model.rowCount() == 0 and model.lead() is None


def test_dragging_a_photo_reorders_and_file_drops_are_passed_on(qapp, ui_store, tmp_path):
    records = _records(ui_store, 3)
    model = PhotoListModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_photos(records)
    orders, drops = [], []
    model.orderChanged.connect(orders.append)
    model.filesDropped.connect(drops.append)
    data = model.mimeData([model.index(2)])
    assert model.canDropMimeData(data, Qt.DropAction.CopyAction, 0, 0, QModelIndex())
    # The view removes nothing afterwards: the move is the model's own.
    assert not model.dropMimeData(data, Qt.DropAction.CopyAction, 0, 0, QModelIndex())
    assert orders == [[records[i].sha256 for i in (2, 0, 1)]]
    assert model.supportedDragActions() == Qt.DropAction.CopyAction

    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.jpg")), QUrl("https://example.com/b.jpg")])
    assert model.canDropMimeData(files, Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    assert model.dropMimeData(files, Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    assert drops == [[str(tmp_path / "a.jpg")]]  # web addresses are never fetched
    assert model.rowCount() == 3


def test_library_model_has_no_lead_and_takes_no_reorder(qapp, ui_store):
    records = _records(ui_store, 2)
    model = PhotoListModel(reorderable=False)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_photos(records)
    assert not model.data(model.index(0), LeadRole)
    assert not model.canDropMimeData(model.mimeData([model.index(1)]), Qt.DropAction.CopyAction, 0, 0,
                                     QModelIndex())
