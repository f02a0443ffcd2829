"""The portal's house caption style: ``图为……。某某摄``."""

from __future__ import annotations

import re

_TRAILING_PUNCT = "。.!！?？;；,，、 \u3000"


def compose_caption(caption: str, photographer: str = "") -> str:
    """``图为{caption}。{photographer}摄``, normalised.

    No doubled ``图为``, exactly one closing ``。`` after the caption, no stray spaces;
    full-width punctuation inside the caption is kept. An empty caption gives just the
    byline (``某某摄``), an empty photographer just the caption.
    """
    text = re.sub(r"\s+", " ", caption or "").strip()
    while text.startswith("图为"):
        text = text[2:].lstrip()
    text = text.rstrip(_TRAILING_PUNCT)
    name = re.sub(r"\s+", " ", photographer or "").strip()
    if name.endswith("摄") and len(name) > 1:
        name = name[:-1].rstrip()
    composed = f"图为{text}。" if text else ""
    return composed + (f"{name}摄" if name else "")


def split_caption(line: str) -> tuple[str, str]:
    """The inverse of :func:`compose_caption`: (caption, photographer) from a caption line."""
    text = line.strip()
    photographer = ""
    head, sep, tail = text.rpartition("。")
    if sep and tail.endswith("摄") and len(tail) > 1:
        text, photographer = head, tail[:-1].strip()
    elif not sep and text.endswith("摄") and not text.startswith("图为"):
        return "", text[:-1].strip()
    if text.startswith("图为"):
        text = text[2:]
    return text.rstrip(_TRAILING_PUNCT), photographer
