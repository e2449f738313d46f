"""Helpers for the systemd integration tests: the real optunad binary, a stand-in for the service manager's notify
socket, a JSON-RPC client, and a hand-started systemd-journald.

None of these tests needs systemd as PID 1. The end-to-end test under a real systemd is e2e.sh. (A module of its
own rather than conftest.py, so that running these tests together with tests/python never mixes up the two
directories' helpers.)
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

OPTUNAD_BIN = os.environ.get("OPTUNAD_BIN", str(Path(__file__).resolve().parents[2] / ".build/debug/optunad"))
JOURNALD = "/lib/systemd/systemd-journald"
JOURNAL_SOCKET = "/run/systemd/journal/socket"


@dataclass(frozen=True)
class Notification:
    """One sd_notify datagram: its text and the sender's pid as the kernel reported it (SCM_CREDENTIALS)."""

    text: str
    pid: int
    received_at: float

    @property
    def assignments(self) -> dict[str, str]:
        return dict(line.split("=", 1) for line in self.text.split("\n") if "=" in line)


class NotifyListener:
    """A datagram socket standing in for systemd's notify socket, bound with SO_PASSCRED so every message carries
    the sender's credentials."""

    def __init__(self, directory: Path, abstract: bool = False) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        if abstract:
            name = f"optunad-test-{uuid.uuid4().hex}"
            self.sock.bind("\0" + name)
            self.address = "@" + name
        else:
            path = directory / "notify.sock"
            self.sock.bind(str(path))
            self.address = str(path)
        self.messages: list[Notification] = []

    def close(self) -> None:
        self.sock.close()

    def receive(self, timeout: float) -> Notification | None:
        ready, _, _ = select.select([self.sock], [], [], max(timeout, 0))
        if not ready:
            return None
        data, ancillary, _, _ = self.sock.recvmsg(65536, socket.CMSG_SPACE(12))
        pid = -1
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid, _uid, _gid = struct.unpack("iII", payload[:12])
        message = Notification(data.decode(), pid, time.monotonic())
        self.messages.append(message)
        return message

    def wait_for(self, assignment: str, timeout: float = 20.0) -> Notification:
        """Receives until a message containing the line `assignment` (e.g. "READY=1") arrives."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(deadline - time.monotonic())
            if message is None:
                raise AssertionError(
                    f"no {assignment} within {timeout} s; got {[m.text for m in self.messages]}")
            if assignment in message.text.split("\n"):
                return message

    def collect(self, seconds: float) -> list[Notification]:
        """Everything that arrives within `seconds`."""
        deadline = time.monotonic() + seconds
        out = []
        while (message := self.receive(deadline - time.monotonic())) is not None:
            out.append(message)
        return out


class Client:
    """One connection to optunad, one JSON line out and one in per call."""

    def __init__(self, path: str, timeout: float = 10.0) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buffer = b""
        self.next_id = 1

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send_line(self, payload: bytes) -> None:
        self.sock.sendall(payload)

    def read_line(self) -> dict:
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("optunad closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def call(self, method: str, **params: object) -> object:
        request = {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}
        self.next_id += 1
        self.send_line(json.dumps(request).encode() + b"\n")
        answer = self.read_line()
        if "error" in answer:
            raise AssertionError(f"{method} failed: {answer['error']}")
        return answer["result"]


class Daemon:
    """The real optunad binary, started with a private socket, in-memory storage unless told otherwise, and its
    standard error in a file."""

    def __init__(self, directory: Path, args: list[str] | None = None, env: dict[str, str] | None = None,
                 prefix: list[str] | None = None, storage: str = "memory:", log_target: str = "stderr",
                 journal_stream: bool = False) -> None:
        self.directory = directory
        self.socket_path = str(directory / "optunad.sock")
        self.stderr_path = directory / "optunad.stderr"
        self.journal_stream = journal_stream
        base = ["--socket", self.socket_path, "--storage", storage, "--log-target", log_target]
        self.argv = (prefix or []) + [OPTUNAD_BIN] + base + (args or [])
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("OPTUNAD_", "NOTIFY_SOCKET", "WATCHDOG_", "LISTEN_", "JOURNAL_STREAM"))}
        self.env.update(env or {})
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> "Daemon":
        self.stderr = open(self.stderr_path, "wb")
        if self.journal_stream:
            # Pretend standard error is a journal stream, as systemd's JOURNAL_STREAM=DEVICE:INODE says it is.
            status = os.fstat(self.stderr.fileno())
            self.env["JOURNAL_STREAM"] = f"{status.st_dev}:{status.st_ino}"
        self.process = subprocess.Popen(self.argv, env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=self.stderr, stderr=self.stderr)
        return self

    def wait_listening(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.stderr_text()
            try:
                with Client(self.socket_path) as client:
                    client.call("hello")
                return
            except OSError:
                time.sleep(0.02)
        raise AssertionError(f"optunad did not listen within {timeout} s: {self.stderr_text()}")

    def client(self) -> Client:
        return Client(self.socket_path)

    def signal(self, number: int) -> None:
        assert self.process is not None
        self.process.send_signal(number)

    def stop(self, timeout: float = 15.0) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"optunad did not stop within {timeout} s: {self.stderr_text()}")
        self.stderr.close()
        return code

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""


def journald_refusal() -> str | None:
    """Why a test may not start systemd-journald here, or None."""
    if os.environ.get("CI") != "true" and os.environ.get("OPTUNAD_TEST_JOURNALD") != "1":
        return "set CI=true or OPTUNAD_TEST_JOURNALD=1 to let the tests start systemd-journald"
    if os.geteuid() != 0:
        return "starting systemd-journald needs root"
    if not os.access(JOURNALD, os.X_OK):
        return f"{JOURNALD} is not installed"
    return None


def journal_answers() -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        probe.connect(JOURNAL_SOCKET)
        return True
    except OSError:
        return False
    finally:
        probe.close()


class Journald:
    """systemd-journald started by hand (or the one already running, which is then never signalled)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        if journal_answers():
            return
        os.makedirs("/run/systemd/journal", exist_ok=True)
        self.process = subprocess.Popen([JOURNALD], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while not journal_answers():
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError("systemd-journald did not start")
            time.sleep(0.01)

    @property
    def owned(self) -> bool:
        return self.process is not None

    def suspend(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            self.process.wait(10)

    @staticmethod
    def entries(*matches: str, timeout: float = 10.0, until=lambda entries: bool(entries)) -> list[dict]:
        """`journalctl -o json MATCH…`, retried until `until(entries)` holds or `timeout` passes."""
        deadline = time.monotonic() + timeout
        while True:
            output = subprocess.run(["journalctl", "--no-pager", "-o", "json", *matches],
                                    capture_output=True, text=True, check=False).stdout
            entries = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
            if until(entries) or time.monotonic() > deadline:
                return entries
            time.sleep(0.05)


