"""paramiko, loaded without Invoke or importlib.metadata: the SSH library's import is a fixed cost of every SFTP publish.

paramiko's ``config`` module imports Invoke (a task runner that pulls in asyncio, unittest.mock
and a YAML parser) only to run ``Match exec`` lines of an ``ssh_config`` file, which publishing
never reads. Hiding Invoke during the import saved ~0.1 s of CPU per publish here (~40 % of the
import). Invoke stays importable afterwards: only paramiko's own reference to it is missing.

paramiko 5 also computes its ``__version__`` with ``importlib.metadata``, whose import (email,
zipfile, csv…) cost 45–200 ms of a one-file publish that takes ~0.5 s in all. During paramiko's
import a small stand-in answers ``version("paramiko")`` from the name of paramiko's
``.dist-info`` folder; the real module is untouched and importable afterwards.
"""

from __future__ import annotations

import os
import sys
import types


def _installed_version(distribution: str) -> str:
    """The version in ``<distribution>-<version>.dist-info`` beside the package ("unknown" if none)."""
    import importlib.util

    spec = importlib.util.find_spec(distribution)
    folder = os.path.dirname(os.path.dirname(spec.origin)) if spec and spec.origin else ""
    prefix = f"{distribution}-"
    try:
        names = os.listdir(folder)
    except OSError:
        return "unknown"
    for name in names:
        if name.startswith(prefix) and name.endswith(".dist-info"):
            return name[len(prefix):-len(".dist-info")]
    return "unknown"


def _metadata_stand_in() -> types.ModuleType:
    module = types.ModuleType("importlib.metadata")
    module.version = _installed_version
    return module


def _load_paramiko():
    hidden = {}
    if "invoke" not in sys.modules:
        hidden["invoke"] = None  # makes `import invoke` raise ImportError, which paramiko expects
    if "importlib.metadata" not in sys.modules:
        hidden["importlib.metadata"] = _metadata_stand_in()
    sys.modules.update(hidden)
    try:
        import paramiko
    finally:
        for name, stand_in in hidden.items():
            if sys.modules.get(name, False) is stand_in:
                del sys.modules[name]
        import importlib

        if getattr(importlib, "metadata", None) is hidden.get("importlib.metadata", False):
            del importlib.metadata  # the next `from importlib import metadata` loads the real one
    return paramiko


paramiko = _load_paramiko()
