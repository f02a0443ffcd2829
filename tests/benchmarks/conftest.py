"""Load a benchmark script (they are scripts, not package modules) for its smoke test."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str, monkeypatch):
    spec = importlib.util.spec_from_file_location(f"dayuan_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def export_bench(monkeypatch):
    return _load("export_bench", monkeypatch)


@pytest.fixture
def store_bench(monkeypatch):
    return _load("store_bench", monkeypatch)


@pytest.fixture
def photo_bench(monkeypatch):
    return _load("photo_bench", monkeypatch)


@pytest.fixture
def generators_bench(monkeypatch):
    return _load("generators_bench", monkeypatch)
