"""Fixtures for the Python client's tests: a real optunad on a temporary socket.

The binary is ``$OPTUNAD_BIN``, by default ``.build/debug/optunad`` at the repository root.  One
daemon (in-memory storage) serves the whole session; tests that restart a daemon or need SQLite use
:func:`start_daemon`.  The client package is imported from ``protocol/python`` in this tree.
"""

from __future__ import annotations

import os
import pathlib
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Iterator

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "protocol" / "python"))

import optunad  # noqa: E402


def optunad_binary() -> str:
    return os.environ.get("OPTUNAD_BIN") or str(REPO / ".build" / "debug" / "optunad")


@pytest.fixture(scope="session")
def optunactl_bin() -> str:
    """The optunactl binary: ``$OPTUNACTL_BIN``, by default ``.build/debug/optunactl`` at the repository root."""
    path = os.environ.get("OPTUNACTL_BIN") or str(REPO / ".build" / "debug" / "optunactl")
    if not os.access(path, os.X_OK):
        pytest.fail(f"optunactl binary not found at {path}: build it (swift build --product optunactl) or set "
                    "OPTUNACTL_BIN")
    return path


class Daemon:
    """A running optunad: its socket path, storage URL, log file and process."""

    def __init__(self, directory: pathlib.Path, storage: str = "memory:", socket_path: str | None = None) -> None:
        self.directory = directory
        self.socket = socket_path or str(directory / f"optunad-{secrets.token_hex(4)}.sock")
        self.storage = storage
        self.log_path = directory / f"optunad-{secrets.token_hex(4)}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20.0) -> Daemon:
        binary = optunad_binary()
        if not os.access(binary, os.X_OK):
            pytest.fail(f"optunad binary not found at {binary}: build it (swift build --product optunad) or set "
                        "OPTUNAD_BIN")
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [binary, "--socket", self.socket, "--storage", self.storage, "--log-level", "warning"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"optunad exited with {self.process.returncode}:\n{self.log()}")
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.connect(self.socket)
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"optunad did not listen on {self.socket} within {timeout}s:\n{self.log()}")

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


@pytest.fixture(scope="session")
def daemon_dir() -> Iterator[pathlib.Path]:
    # Short paths: a socket path must fit in 107 bytes.
    with tempfile.TemporaryDirectory(prefix="optd-", dir="/tmp") as d:
        yield pathlib.Path(d)


@pytest.fixture(scope="session")
def daemon(daemon_dir: pathlib.Path) -> Iterator[Daemon]:
    """The session's daemon (in-memory storage)."""
    d = Daemon(daemon_dir).start()
    yield d
    d.stop()


@pytest.fixture(scope="session")
def hello(daemon: Daemon) -> dict:
    """The daemon's ``hello`` result (samplers, pruners, methods it serves)."""
    return optunad.Client(daemon.socket).hello()


@pytest.fixture
def socket_env(daemon: Daemon, monkeypatch: pytest.MonkeyPatch) -> str:
    """Points ``$OPTUNAD_SOCKET`` at the session's daemon, so calls without ``socket=`` reach it."""
    monkeypatch.setenv("OPTUNAD_SOCKET", daemon.socket)
    return daemon.socket


@pytest.fixture
def study_name(request: pytest.FixtureRequest) -> str:
    """A study name no other test uses."""
    return f"{request.node.name[:80]}-{secrets.token_hex(4)}"


@pytest.fixture
def start_daemon(daemon_dir: pathlib.Path) -> Iterator:
    """Starts extra daemons (``start_daemon(storage=..., socket_path=...)``); all are stopped after the test."""
    started: list[Daemon] = []

    def start(storage: str = "memory:", socket_path: str | None = None) -> Daemon:
        d = Daemon(daemon_dir, storage=storage, socket_path=socket_path).start()
        started.append(d)
        return d

    yield start
    for d in started:
        d.stop()


@pytest.fixture(autouse=True)
def _quiet_logging() -> Iterator[None]:
    # Keep per-trial INFO lines out of the test output, and restore the level tests may change.
    optunad.logging.set_verbosity(optunad.logging.WARNING)
    yield
    optunad.logging.set_verbosity(optunad.logging.WARNING)


class Requirements:
    """Skips a test when the daemon does not serve a component or method yet (they land one by one)."""

    def __init__(self, hello: dict) -> None:
        self.hello = hello

    def sampler(self, type_name: str) -> None:
        if type_name not in self.hello.get("samplers", []):
            pytest.skip(f"optunad does not serve the {type_name!r} sampler yet (it has {self.hello.get('samplers')})")

    def pruner(self, type_name: str) -> None:
        if type_name not in self.hello.get("pruners", []):
            pytest.skip(f"optunad does not serve the {type_name!r} pruner yet (it has {self.hello.get('pruners')})")

    def method(self, name: str) -> None:
        if name not in self.hello.get("methods", []):
            pytest.skip(f"optunad does not have the {name!r} method yet")


@pytest.fixture
def requires(hello: dict) -> Requirements:
    """``requires.sampler("tpe")``, ``requires.pruner("median")``, ``requires.method("heartbeat")``."""
    return Requirements(hello)
