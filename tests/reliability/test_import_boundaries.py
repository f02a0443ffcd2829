"""An import reads photos only from inside the folder of the file being imported (issue 15 item 7)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from soakkit.outside import reads_outside_import_folder

REPO_ROOT = str(Path(__file__).resolve().parents[2])  # the package under test, for subprocesses


@pytest.mark.xfail(strict=False, reason="issue 15 item 7: image lines with ../ or absolute paths are imported: "
                   "being fixed on branch h-import")
def test_image_lines_outside_the_import_folder_are_not_read(tmp_path):
    assert reads_outside_import_folder(tmp_path, {**os.environ, "PYTHONPATH": REPO_ROOT}) == []
