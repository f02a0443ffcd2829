"""The WebEngine start-up helper: the sandbox is turned off for root only, flags added offscreen."""

from __future__ import annotations

import os

from dayuan_desktop.ui.webengine import (
    FLAGS_VARIABLE,
    SANDBOX_VARIABLE,
    prepare_webengine_environment,
    webengine_environment,
)


def test_as_root_the_sandbox_is_disabled():
    environ = {"QT_QPA_PLATFORM": "xcb"}
    changed = prepare_webengine_environment(environ, euid=0)
    assert environ[SANDBOX_VARIABLE] == "1"
    assert changed == {SANDBOX_VARIABLE: "1"}


def test_as_an_ordinary_user_the_sandbox_stays_on():
    environ = {"QT_QPA_PLATFORM": "xcb"}
    assert prepare_webengine_environment(environ, euid=1000) == {}
    assert SANDBOX_VARIABLE not in environ


def test_a_value_the_user_set_is_kept():
    environ = {SANDBOX_VARIABLE: "0"}
    prepare_webengine_environment(environ, euid=0)
    assert environ[SANDBOX_VARIABLE] == "0"


def test_offscreen_adds_disable_gpu_once_and_keeps_the_users_flags():
    environ = {"QT_QPA_PLATFORM": "offscreen", FLAGS_VARIABLE: "--lang=zh-CN"}
    prepare_webengine_environment(environ, euid=1000)
    assert environ[FLAGS_VARIABLE] == "--lang=zh-CN --disable-gpu"
    assert prepare_webengine_environment(environ, euid=1000) == {}  # a second call changes nothing
    assert webengine_environment({"QT_QPA_PLATFORM": "xcb"}, 1000) == {}  # a real screen: no flags


def test_without_arguments_it_changes_this_process_according_to_its_own_uid(monkeypatch):
    monkeypatch.delenv(SANDBOX_VARIABLE, raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    changed = prepare_webengine_environment()
    if os.geteuid() == 0:
        assert os.environ[SANDBOX_VARIABLE] == "1" and changed == {SANDBOX_VARIABLE: "1"}
    else:
        assert SANDBOX_VARIABLE not in os.environ and changed == {}
