"""Configuration: flags > environment > configuration file > defaults, checked with `optunad --check-config`,
which prints the effective settings and exits 0, or names the bad setting and its source and exits 78."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from sd_harness import OPTUNAD_BIN, Daemon



def setting_keys() -> list[str]:
    """The configuration keys: every long option of `optunad --help` but the ones that are not settings."""
    text = subprocess.run([OPTUNAD_BIN, "--help"], capture_output=True, text=True, timeout=30).stdout
    options = re.findall(r"^  (?:-\w, )?--([a-z][a-z0-9-]*)", text, re.M)
    return [o for o in options if o not in ("config", "check-config", "version", "help")]


def check_config(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPTUNAD_")}
    base.update(env or {})
    return subprocess.run([OPTUNAD_BIN, "--check-config", *args], env=base, capture_output=True, text=True,
                          timeout=30)


def effective(output: str) -> dict[str, tuple[str, str]]:
    """`key = value` lines with the `# source` comment above each."""
    settings, source = {}, ""
    for line in output.splitlines():
        if line.startswith("# "):
            source = line[2:]
        elif " = " in line:
            key, value = line.split(" = ", 1)
            settings[key] = (value, source)
    return settings


def test_flags_beat_environment_beat_file_beat_defaults(tmp_path: Path) -> None:
    config = tmp_path / "optunad.conf"
    config.write_text("# a comment\n\n  log-level = debug\nsync=full\nsocket-mode = 0640\nstorage = memory:\n"
                      'socket = " /tmp/with spaces.sock"\n')
    result = check_config("--config", str(config), "--log-level", "error",
                          env={"OPTUNAD_LOG_LEVEL": "warning", "OPTUNAD_SYNC": "normal"})
    assert result.returncode == 0, result.stderr
    settings = effective(result.stdout)
    # Every flag that is a setting is a key of the file, in the order of --help.
    assert list(settings) == setting_keys()
    assert setting_keys()[:7] == ["socket", "storage", "sync", "socket-mode", "max-request-bytes", "log-level",
                                  "log-target"]
    assert settings["log-level"] == ("error", "flag --log-level")
    assert settings["sync"] == ("normal", "environment OPTUNAD_SYNC")
    assert settings["socket-mode"] == ("0640", f"{config}:5")
    assert settings["storage"] == ("memory:", f"{config}:6")
    assert settings["socket"] == ('" /tmp/with spaces.sock"', f"{config}:7")
    assert settings["max-request-bytes"] == ("1048576", "default")
    assert settings["log-target"] == ("auto", "default")


def test_the_printed_configuration_reads_back_the_same(tmp_path: Path) -> None:
    first = check_config("--storage", "memory:", "--socket", "/tmp/x.sock", "--log-level", "notice")
    config = tmp_path / "copy.conf"
    config.write_text(first.stdout)
    second = check_config("--config", str(config))
    assert second.returncode == 0, second.stderr
    assert {k: v for k, (v, _) in effective(second.stdout).items()} == \
        {k: v for k, (v, _) in effective(first.stdout).items()}


def test_the_systemd_directories_choose_the_default_paths() -> None:
    result = check_config(env={"RUNTIME_DIRECTORY": "/run/optunad", "STATE_DIRECTORY": "/var/lib/optunad",
                               "OPTUNAD_CONFIG": "/nonexistent/optunad.conf"})
    # An explicitly named configuration file must exist.
    assert result.returncode == 78
    assert "cannot read /nonexistent/optunad.conf" in result.stderr
    result = check_config(env={"RUNTIME_DIRECTORY": "/run/optunad", "STATE_DIRECTORY": "/var/lib/optunad"})
    assert result.returncode == 0, result.stderr
    settings = effective(result.stdout)
    assert settings["socket"] == ("/run/optunad/optunad.sock", "default")
    assert settings["storage"] == ("sqlite:////var/lib/optunad/optunad.db", "default")


@pytest.mark.parametrize("text, message", [
    ("log-level = info\nsockt = /tmp/a.sock\n", ":2: unknown key `sockt` (known keys: socket, storage,"),
    ("log-level\n", ":1: expected `key = value`, got `log-level`"),
    ("sync = full\n# again\nsync = normal\n", ":3: `sync` was already set on line 1"),
    ("sync = sometimes\n", "sync `sometimes` (from {config}:1) must be normal or full"),
    ("socket-mode = 0999\n", "socket-mode `0999` (from {config}:1) must be octal permission bits"),
    ("max-request-bytes = 12\n", "max-request-bytes `12` (from {config}:1) must be a whole number of bytes"),
    ("log-target = syslog\n", "log-target `syslog` (from {config}:1) must be one of auto, journal, stderr"),
    ("storage = postgres://db\n", "storage `postgres://db` (from {config}:1) is not a storage URL"),
    ("event-loops = 0\n", "event-loops `0` (from {config}:1) must be auto or a whole number from 1 to 1024"),
], ids=["unknown-key", "no-equals", "duplicate", "sync", "mode", "bytes", "target", "storage", "loops"])
def test_a_bad_file_names_the_line_and_exits_78(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "optunad.conf"
    config.write_text(text)
    result = check_config("--config", str(config))
    assert result.returncode == 78
    assert result.stdout == ""
    assert message.format(config=config) in result.stderr
    if message.startswith(":"):
        assert f"{config}{message}" in result.stderr


def test_a_bad_environment_value_names_the_variable() -> None:
    result = check_config(env={"OPTUNAD_LOG_LEVEL": "loud"})
    assert result.returncode == 78
    assert "log-level `loud` (from environment OPTUNAD_LOG_LEVEL) must be one of trace, debug" in result.stderr


def test_the_daemon_refuses_to_start_with_a_bad_configuration(tmp_path: Path) -> None:
    result = subprocess.run([OPTUNAD_BIN, "--storage", "memory:", "--socket", str(tmp_path / "s.sock"),
                             "--sync", "never"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 78
    assert "sync `never` (from flag --sync) must be normal or full" in result.stderr
    assert not (tmp_path / "s.sock").exists()


def event_loop_threads(tmp_path: Path, *args: str) -> int:
    """Starts optunad with `args` and counts its event loop threads."""
    daemon = Daemon(tmp_path, list(args)).start()
    try:
        daemon.wait_listening()
        names = [(Path(f"/proc/{daemon.pid}/task") / t / "comm").read_text().strip()
                 for t in os.listdir(f"/proc/{daemon.pid}/task")]
        return sum(1 for n in names if n.startswith("NIO-ELT"))
    finally:
        daemon.stop()


def test_event_loops_sets_the_number_of_loop_threads(tmp_path: Path) -> None:
    assert event_loop_threads(tmp_path, "--event-loops", "3") == 3
    cores = len(os.sched_getaffinity(0))
    assert 1 <= event_loop_threads(tmp_path, "--event-loops", "auto") <= max(1, cores // 2)
    result = check_config("--event-loops", "2")
    assert effective(result.stdout)["event-loops"] == ("2", "flag --event-loops")


def test_busy_poll_is_a_bounded_number_of_microseconds() -> None:
    assert effective(check_config().stdout)["busy-poll"] == ("100", "default")
    result = check_config(env={"OPTUNAD_BUSY_POLL": "0"})
    assert effective(result.stdout)["busy-poll"] == ("0", "environment OPTUNAD_BUSY_POLL")
    result = check_config("--busy-poll", "20000")
    assert result.returncode == 78
    assert "busy-poll `20000` (from flag --busy-poll) must be a whole number from 0 to 10000" in result.stderr


def cpu_after_two_requests(tmp_path: Path, busy_poll: str) -> tuple[float, str]:
    """Seconds of CPU optunad uses in the 300 ms after answering two requests in quick succession, and its log."""
    directory = tmp_path / f"poll-{busy_poll}"
    directory.mkdir()
    daemon = Daemon(directory, ["--busy-poll", busy_poll]).start()
    try:
        daemon.wait_listening()
        time.sleep(0.3)

        def on_cpu() -> float:
            return sum(int((Path(f"/proc/{daemon.pid}/task") / t / "schedstat").read_text().split()[0])
                       for t in os.listdir(f"/proc/{daemon.pid}/task")) / 1e9

        with daemon.client() as client:
            for _ in range(2):
                client.call("hello")
            before = on_cpu()
            time.sleep(0.3)
            return on_cpu() - before, daemon.stderr_text()
    finally:
        daemon.stop()


def test_busy_poll_keeps_a_loop_polling_after_a_quick_request_and_zero_turns_it_off(tmp_path: Path) -> None:
    # The second request follows the first within the budget, so after answering it the loop polls for the whole
    # 10 ms budget (nothing else arrives), then sleeps: about 10 ms of CPU. Without busy polling it sleeps at once.
    polled, log = cpu_after_two_requests(tmp_path, "10000")
    assert "busy polling off" not in log
    assert '"busy_poll_us":"10000"' in log or "busy_poll_us=10000" in log
    assert 0.005 <= polled < 0.1
    slept, _ = cpu_after_two_requests(tmp_path, "0")
    assert slept < 0.003
