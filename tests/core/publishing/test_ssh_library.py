"""The SSH library's load: paramiko without Invoke (a fixed cost of every SFTP publish)."""

from __future__ import annotations

import subprocess
import sys

from dayuan_desktop.core.publishing.runner import FEW_FILES, _Pool, _workers_for
from dayuan_desktop.core.publishing.scan import SiteFile


def test_loading_the_sftp_transport_leaves_invoke_unloaded_but_importable():
    code = ("import sys; from dayuan_desktop.core.publishing import sftp; "
            "assert 'invoke' not in sys.modules, 'invoke loaded'; "
            "import invoke, paramiko.config; print(sftp.paramiko.SSHClient.__name__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "SSHClient"


def test_paramiko_knows_its_version_without_importlib_metadata_which_stays_real_and_importable():
    code = ("import sys; from dayuan_desktop.core.publishing import sftp; "
            "assert 'importlib.metadata' not in sys.modules, 'importlib.metadata loaded'; "
            "import importlib.metadata as m; "
            "assert m.version('paramiko') == sftp.paramiko.__version__, sftp.paramiko.__version__; "
            "print(m.distribution('paramiko').metadata['Name'], sftp.paramiko.transport.Transport._CLIENT_ID)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    name, client_id = result.stdout.split()
    assert name.lower() == "paramiko" and client_id.startswith("paramiko_") and client_id != "paramiko_unknown"


def test_a_handful_of_small_files_goes_over_the_open_connection_only():
    pool = _Pool(lambda: object(), 4, first=object())
    few = [SiteFile(f"a/{n}.html", 12_000, "0" * 64) for n in range(5)]
    many = [SiteFile(f"a/{n}.html", 12_000, "0" * 64) for n in range(FEW_FILES + 1)]
    photos = [SiteFile(f"p/{n}.jpg", 20 << 20, "0" * 64) for n in range(2)]
    assert _workers_for(few, pool) == 1
    assert _workers_for(many, pool) == 4
    assert _workers_for(photos, pool) == 2
