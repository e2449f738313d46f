"""Socket activation with systemd-socket-activate(1): the client connects before optunad runs and is served, and
the activated path belongs to the activator (optunad neither creates nor removes it). Plain --socket mode too."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import time
from pathlib import Path

from sd_harness import OPTUNAD_BIN, Client, Daemon, NotifyListener


def activated_daemon(workdir: Path, listener: NotifyListener | None = None, name: str = "optunad") -> Daemon:
    path = str(workdir / "activated.sock")
    # systemd-socket-activate passes on only the variables named with -E.
    env = ["-E", f"NOTIFY_SOCKET={listener.address}"] if listener else []
    # --socket names a path optunad must NOT touch when it is handed a socket.
    daemon = Daemon(workdir, prefix=["systemd-socket-activate", "-l", path, f"--fdname={name}", *env])
    daemon.socket_path = path
    return daemon


def wait_for_path(path: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.01)


def test_first_client_connects_before_optunad_runs_and_is_served(workdir: Path, daemons: list[Daemon],
                                                                  listener: NotifyListener) -> None:
    daemon = activated_daemon(workdir, listener)
    daemons.append(daemon)
    daemon.start()
    wait_for_path(daemon.socket_path)
    before = os.stat(daemon.socket_path)
    # systemd-socket-activate only listens; optunad is exec'ed on this first connection.
    client = Client(daemon.socket_path)
    assert not listener.messages
    hello = client.call("hello")
    assert hello["protocol"] == 1
    ready = listener.wait_for("READY=1")
    assert ready.pid == daemon.pid
    assert "passed by systemd" in ready.assignments["STATUS"]
    assert client.call("create_study", study_name="activated")["study_name"] == "activated"
    client.close()
    # Served on the inherited socket: the --socket path given on the command line was never created.
    assert not os.path.exists(workdir / "optunad.sock")
    assert daemon.stop() == 0
    after = os.stat(daemon.socket_path)
    assert (after.st_ino, after.st_dev) == (before.st_ino, before.st_dev), "the activated path was replaced"
    assert stat.S_ISSOCK(after.st_mode)
    assert "listening on the socket passed by systemd" in daemon.stderr_text()


def test_clients_queued_before_start_are_all_answered(workdir: Path, daemons: list[Daemon]) -> None:
    daemon = activated_daemon(workdir)
    daemons.append(daemon)
    daemon.start()
    wait_for_path(daemon.socket_path)
    clients = [Client(daemon.socket_path) for _ in range(5)]
    for client in clients:
        client.send_line(b'{"id":1,"method":"hello"}\n')
    for client in clients:
        assert client.read_line()["result"]["protocol"] == 1
        client.close()
    assert daemon.stop() == 0
    assert os.path.exists(daemon.socket_path)


def test_an_unnamed_socket_is_taken_too(workdir: Path, daemons: list[Daemon]) -> None:
    daemon = activated_daemon(workdir, name="other")
    daemons.append(daemon)
    daemon.start()
    wait_for_path(daemon.socket_path)
    with Client(daemon.socket_path) as client:
        assert client.call("hello")["protocol"] == 1
    assert daemon.stop() == 0


def test_plain_socket_mode_binds_and_removes_its_own_socket(workdir: Path, daemons: list[Daemon]) -> None:
    daemon = Daemon(workdir / "sub" / "dir", args=["--socket-mode", "0600"])
    daemon.directory.mkdir(parents=True)
    daemons.append(daemon)
    daemon.start()
    daemon.wait_listening()
    mode = os.stat(daemon.socket_path).st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600
    assert daemon.stop() == 0
    assert not os.path.exists(daemon.socket_path)


def test_a_second_daemon_on_a_live_socket_refuses_to_start(workdir: Path, daemons: list[Daemon]) -> None:
    first = Daemon(workdir)
    daemons.append(first)
    first.start().wait_listening()
    second = Daemon(workdir)
    second.stderr_path = workdir / "second.stderr"
    daemons.append(second)
    second.start()
    assert second.process.wait(20) != 0
    assert "already listening" in second.stderr_text()
    with first.client() as client:
        assert client.call("hello")["protocol"] == 1
    assert first.stop() == 0


def test_a_passed_descriptor_that_is_not_a_listening_socket_is_a_configuration_error(workdir: Path) -> None:
    left, right = socket.socketpair()
    os.set_inheritable(right.fileno(), True)
    # The child's fd 3 is the socketpair end: connected, not listening.
    script = f'exec 3<&{right.fileno()}; LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"'
    result = subprocess.run(["/bin/bash", "-c", script, "bash", OPTUNAD_BIN, "--storage", "memory:",
                             "--socket", str(workdir / "x.sock"), "--log-target", "stderr"],
                            pass_fds=[right.fileno()], capture_output=True, text=True, timeout=30)
    left.close()
    right.close()
    assert result.returncode == 78, result.stderr
    assert "is not a listening AF_UNIX stream socket" in result.stderr
