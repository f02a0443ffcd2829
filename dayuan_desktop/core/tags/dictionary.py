"""jieba's word dictionary, loaded once per process without starving the window's thread.

jieba's own ``initialize()`` loads a marshal cache in one C call (100–300 ms with the GIL held,
measured here) or builds the prefix dictionary and then dumps that cache (the same). We build
the prefix dictionary ourselves from ``dict.txt`` in plain Python and pause briefly every few
thousand lines, so a window thread waiting for the GIL gets it within a few milliseconds. The
result is the same ``FREQ``/``total`` jieba's ``gen_pfdict`` makes. ``enable_paddle()`` is never
called (it runs pip).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from pathlib import Path

YIELD_EVERY = 4000  # dictionary lines between pauses: each run of work stays around a few ms
_PAUSE_S = 0.001

_lock = threading.Lock()
_tokenizer = None  # the process's one loaded jieba.Tokenizer
_jieba_idf: dict[str, float] | None = None


class LoadCancelled(Exception):
    """The load was cancelled before it finished (nothing half-loaded is kept)."""


def jieba_data_dir() -> Path:
    """The folder of jieba's ``dict.txt`` (inside a PyInstaller bundle: the bundled copy)."""
    import jieba

    return Path(jieba.__file__).resolve().parent


def loaded_tokenizer():
    """The tokenizer if it is loaded already, else None (never loads)."""
    return _tokenizer


def load_tokenizer(cancel: threading.Event | None = None, progress: Callable[[int, int], None] | None = None):
    """jieba's tokenizer with its dictionary loaded (the first call takes 1–5 s; later ones return at once).

    Run it off the window's thread. ``cancel`` stops the load (``LoadCancelled``); another
    caller then loads again from the start.
    """
    global _tokenizer
    with _lock:  # two jobs asking at once load once
        if _tokenizer is not None:
            return _tokenizer
        import jieba

        tokenizer = jieba.Tokenizer(str(jieba_data_dir() / "dict.txt"))
        freq, total = _read_prefix_dictionary(jieba_data_dir() / "dict.txt", cancel, progress)
        tokenizer.FREQ, tokenizer.total = freq, total
        tokenizer.initialized = True  # jieba's initialize() would load its cache over ours
        _tokenizer = tokenizer
        return tokenizer


def private_tokenizer(cancel: threading.Event | None = None, progress: Callable[[int, int], None] | None = None):
    """A tokenizer of one's own over the loaded dictionary: words added to it (the newsroom's
    tags) change no other user's cuts. Copying the ~500,000 entries takes ~30 ms."""
    import jieba

    shared = load_tokenizer(cancel, progress)
    own = jieba.Tokenizer(shared.dictionary)
    own.FREQ, own.total, own.initialized = dict(shared.FREQ), shared.total, True
    return own


def _read_prefix_dictionary(path: Path, cancel: threading.Event | None, progress) -> tuple[dict[str, int], int]:
    freq: dict[str, int] = {}
    total = 0
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if number % YIELD_EVERY == 0:
            if cancel is not None and cancel.is_set():
                raise LoadCancelled("the dictionary load was cancelled")
            if progress is not None:
                progress(number, len(lines))
            _pause()
        parts = line.split(" ")
        if len(parts) < 2 or not parts[1].isdigit():
            continue
        word, count = parts[0], int(parts[1])
        freq[word] = count
        total += count
        for end in range(1, len(word)):  # every prefix is known, with frequency 0 unless a word
            freq.setdefault(word[:end], 0)
    return freq, total


def _pause() -> None:
    """Let another thread (the window's) take the GIL; a lone thread (the command line) goes on."""
    if threading.active_count() > 1:
        time.sleep(_PAUSE_S)


def jieba_idf(cancel: threading.Event | None = None) -> dict[str, float]:
    """jieba's general-language IDF table (``analyse/idf.txt``), read with the same pauses.

    Used while our own archive is too small to say which words are common.
    """
    global _jieba_idf
    with _lock:
        if _jieba_idf is not None:
            return _jieba_idf
        table: dict[str, float] = {}
        lines = (jieba_data_dir() / "analyse" / "idf.txt").read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if number % YIELD_EVERY == 0:
                if cancel is not None and cancel.is_set():
                    raise LoadCancelled("the dictionary load was cancelled")
                _pause()
            word, _, value = line.partition(" ")
            try:
                table[word] = float(value)
            except ValueError:
                continue
        _jieba_idf = {word: value for word, value in table.items() if math.isfinite(value)}
        return _jieba_idf
