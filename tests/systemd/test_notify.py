"""sd_notify(3) as the real optunad sends it: readiness only once the socket accepts connections, status lines,
watchdog keep-alives that depend on the server answering, reload and shutdown notices, both socket forms."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from sd_harness import Client, Daemon, NotifyListener


def started(daemons: list[Daemon], daemon: Daemon) -> Daemon:
    daemons.append(daemon)
    return daemon.start()


@pytest.mark.parametrize("abstract", [False, True], ids=["path", "abstract"])
def test_ready_only_once_the_socket_accepts_from_the_daemons_own_pid(workdir: Path, daemons: list[Daemon],
                                                                     abstract: bool) -> None:
    listener = NotifyListener(workdir, abstract=abstract)
    daemon = started(daemons, Daemon(workdir, env={"NOTIFY_SOCKET": listener.address}))
    ready = listener.wait_for("READY=1")
    # The moment READY=1 is read, a client is served: no retry, no sleep.
    with Client(daemon.socket_path) as client:
        assert client.call("hello")["protocol"] == 1
    assert ready.pid == daemon.pid
    assert ready.assignments["STATUS"].startswith("ready: socket ")
    # Nothing claimed readiness before: READY=1 is the first message.
    assert listener.messages[0] is ready
    assert daemon.stop() == 0
    listener.close()


def test_status_lines_report_studies_trials_and_requests(workdir: Path, daemons: list[Daemon],
                                                         listener: NotifyListener) -> None:
    daemon = started(daemons, Daemon(workdir, env={"NOTIFY_SOCKET": listener.address}))
    listener.wait_for("READY=1")
    with daemon.client() as client:
        client.call("create_study", study_name="status")
        client.call("ask", study_name="status")
        client.call("ask", study_name="status")
    # The status reporter refreshes every 5 s.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        message = listener.receive(deadline - time.monotonic())
        if message and "STATUS" in message.assignments and "READY" not in message.assignments:
            break
    else:
        pytest.fail(f"no STATUS= update: {[m.text for m in listener.messages]}")
    status = message.assignments["STATUS"]
    assert status.startswith("1 study open, 2 trials running, 0 finished (0.0/s), 3 requests served ("), status
    assert status.endswith("/s), 0 connections"), status
    assert message.pid == daemon.pid
    assert daemon.stop() == 0


def test_stopping_on_sigterm_and_clean_exit(workdir: Path, daemons: list[Daemon], listener: NotifyListener) -> None:
    daemon = started(daemons, Daemon(workdir, env={"NOTIFY_SOCKET": listener.address}))
    listener.wait_for("READY=1")
    daemon.signal(signal.SIGTERM)
    stopping = listener.wait_for("STOPPING=1")
    assert stopping.pid == daemon.pid
    assert daemon.stop() == 0
    assert not os.path.exists(daemon.socket_path), "a socket optunad bound itself is removed at exit"


def watchdog_daemon(workdir: Path, listener: NotifyListener, usec: int) -> Daemon:
    # WATCHDOG_PID must name optunad itself: the shell exports its own pid and then becomes optunad with exec.
    daemon = Daemon(workdir, env={"NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": str(usec)})
    daemon.argv = ["/bin/sh", "-c", 'WATCHDOG_PID=$$ exec "$@"', "sh"] + daemon.argv
    return daemon


def test_watchdog_keepalives_at_half_the_interval(workdir: Path, daemons: list[Daemon],
                                                  listener: NotifyListener) -> None:
    daemon = started(daemons, watchdog_daemon(workdir, listener, 1_000_000))
    listener.wait_for("READY=1")
    pets = [m for m in listener.collect(3.2) if "WATCHDOG=1" in m.text.split("\n")]
    assert 4 <= len(pets) <= 8, [m.text for m in listener.messages]
    assert {m.pid for m in pets} == {daemon.pid}
    assert daemon.stop() == 0


def test_watchdog_stops_when_the_server_no_longer_answers(workdir: Path, daemons: list[Daemon],
                                                          listener: NotifyListener) -> None:
    daemon = started(daemons, watchdog_daemon(workdir, listener, 600_000))
    listener.wait_for("READY=1")
    listener.wait_for("WATCHDOG=1", timeout=5)
    # Clients reach the daemon through its socket path; once the path is gone the probe fails like a client would,
    # and the keep-alives stop so that systemd restarts the unreachable daemon.
    os.unlink(daemon.socket_path)
    time.sleep(0.35)
    later = listener.collect(2.0)
    assert not [m for m in later if "WATCHDOG=1" in m.text.split("\n")], [m.text for m in later]
    assert daemon.process.poll() is None
    daemon.stop()
    assert "watchdog probe got no answer" in daemon.stderr_text()


def test_no_watchdog_for_another_pid(workdir: Path, daemons: list[Daemon], listener: NotifyListener) -> None:
    daemon = started(daemons, Daemon(workdir, env={"NOTIFY_SOCKET": listener.address,
                                                   "WATCHDOG_USEC": "400000", "WATCHDOG_PID": "1"}))
    listener.wait_for("READY=1")
    assert not [m for m in listener.collect(1.0) if "WATCHDOG=1" in m.text]
    assert daemon.stop() == 0


def test_without_notify_socket_nothing_is_sent_and_the_daemon_works(workdir: Path, daemons: list[Daemon]) -> None:
    daemon = started(daemons, Daemon(workdir, env={"WATCHDOG_USEC": "400000"}))
    daemon.wait_listening()
    with daemon.client() as client:
        assert client.call("hello")["protocol"] == 1
    assert daemon.stop() == 0
    assert "watchdog enabled" not in daemon.stderr_text()


def test_an_unreachable_notify_socket_does_not_stop_the_daemon(workdir: Path, daemons: list[Daemon]) -> None:
    daemon = started(daemons, Daemon(workdir, env={"NOTIFY_SOCKET": str(workdir / "nobody-listens.sock")}))
    daemon.wait_listening()
    assert daemon.stop() == 0


def test_sighup_reloads_the_log_level(workdir: Path, daemons: list[Daemon], listener: NotifyListener) -> None:
    config = workdir / "optunad.conf"
    config.write_text("# before the reload\nlog-level = info\n")
    daemon = started(daemons, Daemon(workdir, args=["--config", str(config)],
                                     env={"NOTIFY_SOCKET": listener.address}))
    listener.wait_for("READY=1")
    with daemon.client() as client:
        client.call("get_all_studies")
    assert "debug" not in daemon.stderr_text()

    config.write_text("log-level = debug\nsocket-mode = 0600\n")
    daemon.signal(signal.SIGHUP)
    reloading = listener.wait_for("RELOADING=1")
    assert int(reloading.assignments["MONOTONIC_USEC"]) > 0
    ready = listener.wait_for("READY=1")
    assert ready.pid == daemon.pid
    assert ready.assignments["STATUS"] == "configuration reloaded; log level debug"
    with daemon.client() as client:
        client.call("get_all_studies")
    deadline = time.monotonic() + 5
    while "method=get_all_studies" not in daemon.stderr_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    text = daemon.stderr_text()
    assert "debug" in text and "method=get_all_studies" in text, text
    assert "socket-mode changed to `0600`; it takes effect when optunad restarts" in text
    assert daemon.stop() == 0


def test_a_broken_reload_keeps_the_running_configuration(workdir: Path, daemons: list[Daemon],
                                                         listener: NotifyListener) -> None:
    config = workdir / "optunad.conf"
    config.write_text("log-level = warning\n")
    daemon = started(daemons, Daemon(workdir, args=["--config", str(config)],
                                     env={"NOTIFY_SOCKET": listener.address}))
    listener.wait_for("READY=1")
    config.write_text("log-level = loud\n")
    daemon.signal(signal.SIGHUP)
    listener.wait_for("RELOADING=1")
    ready = listener.wait_for("READY=1")
    assert ready.assignments["STATUS"].startswith("configuration not reloaded: log-level `loud`")
    with daemon.client() as client:
        assert client.call("hello")["protocol"] == 1
    assert daemon.stop() == 0
    assert f"{config}:1" in daemon.stderr_text()
