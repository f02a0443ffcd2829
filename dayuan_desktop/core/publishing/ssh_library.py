"""paramiko, loaded without Invoke: the SSH library's import is a fixed cost of every SFTP publish.

paramiko's ``config`` module imports Invoke (a task runner that pulls in asyncio, unittest.mock
and a YAML parser) only to run ``Match exec`` lines of an ``ssh_config`` file, which publishing
never reads. Hiding Invoke during the import saved ~0.1 s of CPU per publish here (~40 % of the
import). Invoke stays importable afterwards: only paramiko's own reference to it is missing.
"""

from __future__ import annotations

import sys


def _load_paramiko():
    hide = "invoke" not in sys.modules
    if hide:
        sys.modules["invoke"] = None  # makes `import invoke` raise ImportError, which paramiko expects
    try:
        import paramiko
    finally:
        if hide and sys.modules.get("invoke", False) is None:
            del sys.modules["invoke"]
    return paramiko


paramiko = _load_paramiko()
