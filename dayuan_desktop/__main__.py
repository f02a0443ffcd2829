"""Allow ``python -m dayuan_desktop``."""

import sys

from dayuan_desktop.cli import main

sys.exit(main())
