"""The ``dayuan-desktop`` command: every data job without a window.

Exit codes: 0 success, 1 failure, 2 usage. Errors are one line on stderr; a traceback
only with ``--debug``.

``entry`` starts up, dispatches and turns failures into one line; ``parser`` is the
command line's grammar (what ``--help`` prints); the commands live in one module per noun
(``articles``, ``imports``, ``export``, ``photos``, ``channels``, ``db``). The entry module
is not called ``main`` so that ``dayuan_desktop.cli.main`` is always the function.
"""

from dayuan_desktop.cli.entry import main

__all__ = ["main"]
