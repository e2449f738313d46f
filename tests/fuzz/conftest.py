import os
import pathlib
import socket
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def daemon_binary():
    return os.environ.get("OPTUNAD_BIN", str(ROOT / ".build" / "debug" / "optunad"))


class Daemon:
    """A real optunad on a temporary socket with SQLite storage."""

    def __init__(self, workdir, *extra):
        self.workdir = workdir
        self.socket = os.path.join(workdir, "d.sock")
        self.storage = f"sqlite:///{workdir}/d.db"
        self.extra = extra
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [daemon_binary(), "--socket", self.socket, "--storage", self.storage, "--log-level", "error", *self.extra],
            stderr=subprocess.DEVNULL)
        for _ in range(500):
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.socket)
                s.close()
                return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("optunad did not start")

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self, sig=None):
        if self.proc and self.proc.poll() is None:
            if sig:
                self.proc.send_signal(sig)
            else:
                self.proc.terminate()
            return self.proc.wait(timeout=30)
        return self.proc.returncode if self.proc else None


@pytest.fixture
def daemon():
    with tempfile.TemporaryDirectory(prefix="optunad-fuzz-") as workdir:
        d = Daemon(workdir).start()
        yield d
        d.stop()
