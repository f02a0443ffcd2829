"""On the article page, the title never runs under the view-count icon (desktop and phone width)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import shiboken6

from dayuan_desktop.core.site import load_site_settings
from dayuan_desktop.ui.preview import PreviewPane
from tests.ui.preview.kit import run_js, sample_store

RENDER_TIMEOUT = 15_000
OVERLAP = """(() => {
  const range = document.createRange();  // the title's text lines, not its (padded) box
  range.selectNodeContents(document.querySelector('.article-title'));
  const lines = Array.from(range.getClientRects());
  const b = document.querySelector('.article-views').getBoundingClientRect();
  const apart = a => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
  return JSON.stringify({apart: lines.length > 0 && lines.every(apart),
                         lines: lines.map(a => [a.left, a.top, a.right, a.bottom]),
                         views: [b.left, b.top, b.right, b.bottom], width: document.documentElement.clientWidth});
})()"""


@pytest.fixture
def pane(qtbot, tmp_path):
    store = sample_store(tmp_path)
    widget = PreviewPane(store, load_site_settings(store.db), tmp_path / "cache")
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget, store
    widget.close()
    shiboken6.delete(widget)
    store.db.dispose()


@pytest.mark.parametrize("title", [
    "党旗飘扬筑起疫情防控“钢铁长城”",  # the sample's: ends right where the icon was
    "山西省太原市迎泽区柳巷街道党员干部下沉一线筑起疫情防控“钢铁长城”守护群众生命安全",  # wraps
])
@pytest.mark.parametrize("phone", [False, True])
def test_title_and_view_count_do_not_overlap(qtbot, pane, title, phone):
    widget, store = pane
    record = replace(store.find_article("4709"), title=title)  # as the editor hands it over while typing
    widget.set_phone_width(phone)
    with qtbot.waitSignal(widget.rendered, timeout=RENDER_TIMEOUT):
        widget.show_article(record)
    result = json.loads(run_js(qtbot, widget.page, OVERLAP))
    assert result["apart"], result
