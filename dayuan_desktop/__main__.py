"""Allow ``python -m dayuan_desktop``; also the bundled executable's entry point (see
``build_installer.spec``)."""

import sys

if __name__ == "__main__":
    # Photo renditions run in "spawn" worker processes. In a frozen bundle a worker is this
    # same executable started again with multiprocessing's arguments: freeze_support() turns
    # it into the worker (and exits) before the command line is parsed. Outside a bundle it
    # does nothing, so multiprocessing is not even imported there (~10-20 ms of every command).
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()

    from dayuan_desktop.cli import main

    sys.exit(main())
