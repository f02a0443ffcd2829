"""The installer: build the PyInstaller bundle once per session, then use it as an editor would
on a clean machine — a fresh data folder, no Python, no checkout, a clean environment.

Runs by default (CI runs it as root, without a display); skip it locally with
``pytest -m "not bundle"`` or ``DAYUAN_SKIP_BUNDLE=1``. A bundle built from the same sources
(and the same installed packages) is reused, so a second session does not build again.

The checks are plain functions so that :func:`test_a_bundle_missing_a_file_fails_the_checks`
can prove they fail when the bundle lacks a resource.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dayuan_desktop import __version__
from tests.helpers import jpeg_bytes

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "test-bundle"  # gitignored; reused between sessions when the sources match
SAMPLE_TITLE = "党旗飘扬筑起疫情防控“钢铁长城”"
RUN_TIMEOUT = 300  # seconds; the app's own smoke test gives up after 120


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bundle(request):
    """The built bundle (built now, or reused when built from these very sources)."""
    if os.environ.get("DAYUAN_SKIP_BUNDLE"):
        pytest.skip("DAYUAN_SKIP_BUNDLE is set")
    tool = _tool("build_installer")
    try:
        built = tool.build(BUILD / "dist", BUILD / "work")
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    how = "reused (sources unchanged)" if built.reused else f"built in {built.seconds:.0f} s"
    # Into the test run's output (CI logs show the size and build time), past output capturing.
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nbundle: {built.folder} {how}, {built.size_bytes() / 1024**2:.0f} MiB")
    return built


def clean_environment(home: Path, language: str) -> dict[str, str]:
    """What a desktop session gives a freshly installed app: no PYTHONPATH, no venv, no
    DAYUAN_* settings, no sandbox switch (the app must set it itself when run as root)."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": language,
        "LC_ALL": language,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
    }


def run(executable: Path, *args: str, home: Path, language: str = "en_US.UTF-8") -> subprocess.CompletedProcess:
    """Run the bundled executable from inside ``home`` (never from the checkout)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "runtime").mkdir(mode=0o700, exist_ok=True)
    return subprocess.run([str(executable), *args], cwd=home, env=clean_environment(home, language),
                          capture_output=True, text=True, timeout=RUN_TIMEOUT)


def _output(result: subprocess.CompletedProcess) -> str:
    return f"exit code {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr[-4000:]}"


# -- checks (each raises AssertionError when the bundle does not do what an editor needs) -----------
def check_first_run(executable: Path, home: Path, *, chinese: bool) -> dict:
    """Start the window on an empty data folder: sample article open, preview loaded, welcome
    shown with the data folder's path, in Chinese on a Chinese locale; then it is in the database."""
    data = home / "dayuan"
    result = run(executable, "--data-dir", str(data), "--smoke-test", home=home,
                 language="zh_CN.UTF-8" if chinese else "en_US.UTF-8")
    assert result.returncode == 0, _output(result)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] and report["frozen"], report
    assert report["article"]["number"] == 4709, report
    assert report["article"]["title"] == report["article"]["editor_title"] == SAMPLE_TITLE
    assert report["preview_title"].startswith(SAMPLE_TITLE), report  # QtWebEngine loaded the portal page
    assert report["preview_stylesheets"] == [True], report  # … with the portal's CSS
    welcome = report["welcome"]
    assert welcome["visible"], report
    assert str(data / "data" / "dayuan.sqlite3") in welcome["text"]
    assert "Ctrl+E" in welcome["text"]
    if chinese:
        assert report["language"] == "zh_CN", report
        assert report["window_title"] == "大院编辑台"
        assert report["menus"][0] == "文件(&F)"
        # Qt's own dialogs (file chooser) in Chinese too: Qt's translation found inside the bundle.
        assert {"dayuan_zh_CN.qm", "qtbase_zh_CN.qm", "qt_extra_zh_CN.qm"} <= set(report["translations"]), report
        assert "文件 → 导出网站…" in welcome["text"]
    else:
        assert report["language"] == "en", report
        assert report["window_title"] == "Dayuan Desktop"
        assert "File → Export site…" in welcome["text"]
    listed = run(executable, "--data-dir", str(data), "list", home=home)
    assert listed.returncode == 0, _output(listed)
    assert "4709" in listed.stdout and SAMPLE_TITLE in listed.stdout
    return report


def check_export(executable: Path, home: Path) -> Path:
    """Load the sample, add three camera-sized photos, export the site; returns the site folder.

    Four renditions to make is what the export hands to worker processes ("spawn": a frozen
    app starts itself again as the worker, which works only with freeze_support())."""
    data, site = home / "dayuan", home / "site"
    home.mkdir(parents=True, exist_ok=True)
    photos = []
    for n, color in enumerate([(180, 40, 40), (40, 120, 180), (60, 150, 60)]):
        photo = home / f"DSC_{n}.jpg"
        photo.write_bytes(jpeg_bytes(2400, 1600, color))
        photos.append(photo)
    for args in (["sample"], ["photo", "add", "4709", *map(str, photos), "--caption", "检查站", "--by", "记者"],
                 ["export", "--out", str(site), "--quiet"]):
        result = run(executable, "--data-dir", str(data), *args, home=home)
        assert result.returncode == 0, f"{args[0]}: {_output(result)}"
    page = site / "gsyl" / "lzgs" / "4709.html"
    assert page.is_file(), sorted(str(p.relative_to(site)) for p in site.rglob("*"))
    html = page.read_text(encoding="utf-8")
    assert SAMPLE_TITLE in html
    renditions = {path.name for path in site.glob("uploads/*/*/*-1200.jpg")}
    for photo in photos:
        sha = hashlib.sha256(photo.read_bytes()).hexdigest()
        assert any(name.startswith(sha[:16]) for name in renditions), (sha, renditions)
        assert sha[:16] in html
    assert (site / "static" / "portal.css").is_file()
    return site


# -- the bundle as built ---------------------------------------------------------------------------
def test_version_is_printed(bundle, tmp_path):
    result = run(bundle.executable, "--version", home=tmp_path)
    assert result.returncode == 0, _output(result)
    assert result.stdout.strip() == f"dayuan-desktop {__version__}"


def test_first_run_on_a_chinese_desktop(bundle, tmp_path):
    check_first_run(bundle.executable, tmp_path, chinese=True)


def test_first_run_on_an_english_desktop_then_no_welcome(bundle, tmp_path):
    check_first_run(bundle.executable, tmp_path, chinese=False)
    again = run(bundle.executable, "--data-dir", str(tmp_path / "dayuan"), "--smoke-test", home=tmp_path)
    assert again.returncode == 0, _output(again)
    assert json.loads(again.stdout.strip().splitlines()[-1])["welcome"]["visible"] is False


def test_export_with_photos(bundle, tmp_path):
    check_export(bundle.executable, tmp_path)
    log = (tmp_path / "dayuan" / "logs" / "dayuan-desktop.log").read_text(encoding="utf-8")
    assert f"start: dayuan-desktop {__version__}, command export" in log
    assert "bundle " in log and "export finished, exit code 0" in log


def test_tag_suggestions_run_in_the_bundle(bundle, tmp_path):
    data = ["--data-dir", str(tmp_path / "dayuan")]
    loaded = run(bundle.executable, *data, "sample", home=tmp_path)
    assert loaded.returncode == 0, _output(loaded)
    result = run(bundle.executable, *data, "tags", "suggest", "4709", home=tmp_path)
    assert result.returncode == 0, _output(result)  # jieba found its bundled dict.txt and idf.txt
    assert result.stdout.splitlines()[0] == "下沉"


def test_every_resource_is_in_the_bundle(bundle):
    internal = bundle.folder / "_internal"
    expected = {
        Path("resources") / path.relative_to(ROOT / "resources"): path
        for path in (ROOT / "resources").rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
    }
    package = ROOT / "dayuan_desktop"
    for pattern in ("ui/translations/*.qm", "core/migrations/*.py", "core/migrations/versions/*.py"):
        expected.update({Path("dayuan_desktop") / path.relative_to(package): path for path in package.glob(pattern)})
    missing = sorted(str(rel) for rel in expected if not (internal / rel).is_file())
    assert missing == []
    different = sorted(str(rel) for rel, source in expected.items()
                       if (internal / rel).read_bytes() != source.read_bytes())
    assert different == []


def test_qtwebengine_and_the_chinese_locales_are_bundled(bundle):
    qt = bundle.folder / "_internal" / "PySide6" / "Qt"
    assert os.access(qt / "libexec" / "QtWebEngineProcess", os.X_OK)
    assert (qt / "resources" / "qtwebengine_resources.pak").is_file()
    assert (qt / "resources" / "icudtl.dat").is_file()
    locales = {path.name for path in (qt / "translations" / "qtwebengine_locales").iterdir()}
    assert locales == {"en-US.pak", "zh-CN.pak"}
    assert (qt / "translations" / "qtbase_zh_CN.qm").is_file()
    # Modules the app never uses stay out.
    assert not list(qt.glob("lib/libQt6Pdf*")) and not list(qt.glob("lib/libQt6VirtualKeyboard*"))
    assert not list((bundle.folder / "_internal" / "PySide6").glob("QtQuick.*"))


def test_linux_desktop_entry_installs(bundle, tmp_path):
    entry = (bundle.folder / "dayuan-desktop.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=大院编辑台" in entry and "Type=Application" in entry
    data_home = tmp_path / "share"
    result = subprocess.run(["sh", str(bundle.folder / "install-desktop-entry.sh")], capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                            "XDG_DATA_HOME": str(data_home)}, timeout=60)
    assert result.returncode == 0, result.stderr
    installed = (data_home / "applications" / "dayuan-desktop.desktop").read_text(encoding="utf-8")
    lines = dict(line.split("=", 1) for line in installed.splitlines() if "=" in line)
    assert lines["Exec"] == f'"{bundle.executable}"'
    assert Path(lines["Icon"]).is_file()
    assert lines["Name[zh_CN]"] == "大院编辑台"


@pytest.mark.postgres
def test_bundle_works_with_a_postgresql_server(bundle, tmp_path, postgres_url):
    for args in (["sample"], ["list"]):
        result = run(bundle.executable, "--data-dir", str(tmp_path / "dayuan"), "--db", postgres_url, *args,
                     home=tmp_path)
        assert result.returncode == 0, _output(result)
    assert SAMPLE_TITLE in result.stdout


# -- the checks have teeth -------------------------------------------------------------------------
@pytest.mark.parametrize("missing", [
    "resources/templates/portal/article.html",
    "resources/templates/portal/static/portal.css",
    "resources/sample/4709.md",
    "dayuan_desktop/ui/translations/dayuan_zh_CN.qm",
    "dayuan_desktop/core/migrations/versions/0004_search_grams.py",
])
def test_a_bundle_missing_a_file_fails_the_checks(bundle, tmp_path, missing):
    # A copy of the bundle made of hard links (instant, no disk), with one file taken out.
    copy = BUILD / "without" / bundle.folder.name
    shutil.rmtree(copy.parent, ignore_errors=True)
    try:
        shutil.copytree(bundle.folder, copy, symlinks=True, copy_function=os.link)
    except OSError:
        shutil.rmtree(copy.parent, ignore_errors=True)
        shutil.copytree(bundle.folder, copy, symlinks=True)  # another file system: copy for real
    try:
        (copy / "_internal" / missing).unlink()
        executable = copy / bundle.executable.name
        with pytest.raises(AssertionError):
            check_first_run(executable, tmp_path / "first-run", chinese=True)
            check_export(executable, tmp_path / "export")
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)
