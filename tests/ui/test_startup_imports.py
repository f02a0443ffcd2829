"""The window paints before the database layer loads: keep SQLAlchemy out of the first imports."""

from __future__ import annotations

import subprocess
import sys

from dayuan_desktop.ui.labels import STATUS_ORDER, status_label


def test_building_the_main_window_does_not_import_sqlalchemy():
    code = (
        "import sys\n"
        "import dayuan_desktop.ui.app, dayuan_desktop.ui.main_window\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'markdown', 'PIL'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_every_status_has_a_label(qapp):
    assert [status_label(s) for s in STATUS_ORDER] == ["Draft", "In review", "Ready", "Published", "Withdrawn"]
