"""An import reads photos only from inside the folder of the file being imported (issue 15 item 7)."""

from __future__ import annotations

import os
from pathlib import Path

from soakkit.outside import reads_outside_import_folder

REPO_ROOT = str(Path(__file__).resolve().parents[2])  # the package under test, for subprocesses


def test_image_lines_outside_the_import_folder_are_not_read(tmp_path):
    assert reads_outside_import_folder(tmp_path, {**os.environ, "PYTHONPATH": REPO_ROOT}) == []
