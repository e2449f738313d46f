"""The quick version of `make stress`: 64 connections for 5 s against SQLite, then SIGTERM under load."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_load_then_sigterm_loses_nothing():
    binary = os.environ.get("OPTUNAD_BIN", str(ROOT / ".build" / "debug" / "optunad"))
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "stress.py"), "--optunad", binary, "--connections", "64",
                        "--seconds", "5", "--sigterm-seconds", "2"], capture_output=True, text=True, timeout=300)
    print(r.stdout, r.stderr)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "stress: PASS" in r.stdout
