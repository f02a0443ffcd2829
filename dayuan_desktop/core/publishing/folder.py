"""Publishing to a folder (a mounted share): copy under a temporary name, then rename."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from dayuan_desktop.core.publishing.connection import FileFailed, part_name
from dayuan_desktop.core.publishing.scan import file_sha256, is_publishable
from dayuan_desktop.core.publishing.targets import PublishError


class FolderConnection:
    """A target folder on this machine or a mounted share."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PublishError(f"cannot create the target folder {self.root}: {exc.strerror}") from None
        if not self.root.is_dir():
            raise PublishError(f"the target {self.root} is not a folder")

    def upload(self, local: Path, path: str) -> None:
        """Copy ``local`` to ``path`` (temporary name, then rename)."""
        final = self.root / path
        temporary = self.root / part_name(path)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(local, temporary)
            os.replace(temporary, final)
        except OSError as exc:
            raise FileFailed(path, f"cannot write it to the target folder ({exc.strerror})") from None

    def delete(self, path: str) -> None:
        """Remove ``path`` (gone already is fine)."""
        try:
            (self.root / path).unlink(missing_ok=True)
        except OSError as exc:
            raise FileFailed(path, f"cannot delete it from the target folder ({exc.strerror})") from None

    def sizes(self) -> dict[str, int]:
        """Every file under the target folder with its size."""
        found = {}
        for folder, _dirs, names in os.walk(self.root):
            relative = os.path.relpath(folder, self.root).replace(os.sep, "/")
            for name in names:
                if is_publishable(name):
                    full = os.path.join(folder, name)
                    found[name if relative == "." else f"{relative}/{name}"] = os.stat(full).st_size
        return found

    def sha256(self, path: str) -> str | None:
        """sha256 of the target's copy, None when missing."""
        try:
            return file_sha256(self.root / path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise FileFailed(path, f"cannot read it back ({exc.strerror})") from None

    def close(self) -> None:
        """Nothing to close."""
