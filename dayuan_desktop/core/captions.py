"""The portal's house caption style: ``图为……。某某摄``."""

from __future__ import annotations

import re

_TRAILING_PUNCT = "。.!！?？;；,，、 \u3000"
# A byline at the end of a caption is short ("新华社记者 张三摄"); anything longer is prose.
_MAX_BYLINE = 30


def caption_text(caption: str) -> str:
    """The caption as the house style shows it between ``图为`` and ``。``.

    White space collapsed, leading ``图为`` (even doubled) and trailing punctuation removed.
    Its length is what the caption-length check counts.
    """
    text = re.sub(r"\s+", " ", caption or "").strip()
    while text.startswith("图为"):
        text = text[2:].lstrip()
    return text.rstrip(_TRAILING_PUNCT)


def byline_name(photographer: str) -> str:
    """The photographer's name as the byline shows it before ``摄`` (white space collapsed, no ``摄``)."""
    name = re.sub(r"\s+", " ", photographer or "").strip()
    if name.endswith("摄") and len(name) > 1:
        name = name[:-1].rstrip()
    return name


def compose_caption(caption: str, photographer: str = "") -> str:
    """``图为{caption}。{photographer}摄``, normalised.

    No doubled ``图为``, exactly one closing ``。`` after the caption, no stray spaces;
    full-width punctuation inside the caption is kept. An empty caption gives just the
    byline (``某某摄``), an empty photographer just the caption.
    """
    text = caption_text(caption)
    name = byline_name(photographer)
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


def separate_byline(caption: str, photographer: str = "") -> tuple[str, str]:
    """Take a byline the photographer typed into the caption (``……。张三摄``) out of it.

    Captions written in Photo Mechanic often already end with the house byline; composing
    them again would print the byline twice. The byline is moved out when no photographer
    is known, or dropped when it names the known photographer; otherwise nothing changes.
    """
    head, found = split_caption(caption)
    head = head.strip()
    if not found or len(found) > _MAX_BYLINE or not head:
        return caption, photographer
    known = byline_name(photographer)
    if not known:
        return head, found
    if found.replace(" ", "") == known.replace(" ", ""):
        return head, photographer
    return caption, photographer
