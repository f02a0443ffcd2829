"""Run many `dayuan-desktop` commands in one long-lived subprocess, each with a time limit.

Starting Python and the app costs about a second a command; hundreds of fuzzed files through
`photo info` and `photo add` would take minutes. The child (this file run as a script) reads
one JSON request a line, runs the command line's ``main`` in-process with file descriptors 1
and 2 captured (so C libraries' warnings are seen too), and answers one JSON line. The parent
(:class:`CliRunner`) waits for each answer up to its time limit; a command that hangs or
kills the child is recorded as such and a fresh child takes the next one.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    """What one command did; ``hung``: no answer in time; ``died``: its process ended."""

    code: int
    out: str
    err: str
    hung: bool = False
    died: bool = False

    @property
    def crashed(self) -> bool:
        """A traceback, an 'unexpected error' (a bug, not a refusal), or a dead process."""
        return self.died or "Traceback" in self.err or "unexpected error" in self.err

    @property
    def multi_line_error(self) -> bool:
        return self.code != 0 and len(self.err.strip().splitlines()) > 1


class CliRunner:
    """The parent side: ``run(argv)`` in the child with a time limit."""

    def __init__(self, env: dict[str, str], timeout: float) -> None:
        self.env = env
        self.timeout = timeout
        self._child: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self._child is None or self._child.poll() is not None:
            self._child = subprocess.Popen([sys.executable, __file__], env=self.env, stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return self._child

    def run(self, argv: list[str]) -> Outcome:
        child = self._start()
        assert child.stdin is not None and child.stdout is not None
        try:
            child.stdin.write((json.dumps({"argv": argv}) + "\n").encode())
            child.stdin.flush()
        except BrokenPipeError:
            self.close()
            return Outcome(-1, "", "runner died before the command", died=True)
        ready, _, _ = select.select([child.stdout], [], [], self.timeout)
        if not ready:
            self.close()
            return Outcome(-1, "", f"no answer in {self.timeout} s", hung=True)
        line = child.stdout.readline()
        if not line:
            code = child.wait()
            self._child = None
            return Outcome(code, "", f"the process died (exit {code})", died=True)
        answer = json.loads(line)
        return Outcome(answer["code"], answer["out"], answer["err"])

    def close(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait()
            self._child = None


def _serve() -> None:
    from dayuan_desktop.cli import main

    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    for request in sys.stdin:
        argv = json.loads(request)["argv"]
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            saved = os.dup(1), os.dup(2)
            sys.stdout.flush(), sys.stderr.flush()
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
            except BaseException as exc:  # noqa: BLE001 — reported as a crash, the runner goes on
                import traceback

                traceback.print_exc()
                code = 99 if not isinstance(exc, KeyboardInterrupt) else 130
            finally:
                sys.stdout.flush(), sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0]), os.close(saved[1])
            out.seek(0), err.seek(0)
            answer = {"code": code, "out": out.read().decode("utf-8", "replace"),
                      "err": err.read().decode("utf-8", "replace")}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the package beside benchmarks/
    _serve()
