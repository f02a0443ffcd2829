"""Where an imported file may take its images from: its own folder and below, unless allowed.

A Markdown file or a portal page is a document someone else may have written, so the image
paths in it are not trusted: ``![x](/home/me/private.jpg)`` or ``../../secret.jpg`` would
otherwise copy any readable image on the machine into the database (and from there onto
the published site). Symbolic links are resolved before the check, so a link inside the
folder pointing out of it is refused too. ``import --allow-outside`` lifts the rule for a
person who knows their files.
"""

from __future__ import annotations

from pathlib import Path

from dayuan_desktop.core.errors import ValidationError


def image_inside_folder(path: Path, folder: Path, *, what: str, allow_outside: bool = False) -> Path:
    """``path`` with every symbolic link resolved; ValidationError naming it when it lies outside ``folder``."""
    resolved = Path(path).resolve()
    root = Path(folder).resolve()
    if not allow_outside and not resolved.is_relative_to(root):
        raise ValidationError(
            f"{what} points outside the folder of the file being imported: {resolved} is not inside {root} "
            "(images are read only from that folder and below; import --allow-outside reads it anyway)"
        )
    return resolved
