"""Allow ``python -m dayuan_desktop``; also the bundled executable's entry point (see
``build_installer.spec``)."""

import multiprocessing
import sys

if __name__ == "__main__":
    # Photo renditions run in "spawn" worker processes. In a frozen bundle a worker is this
    # same executable started again with multiprocessing's arguments: freeze_support() turns
    # it into the worker (and exits) before the command line is parsed. Outside a bundle it
    # does nothing.
    multiprocessing.freeze_support()

    from dayuan_desktop.cli import main

    sys.exit(main())
