"""journald: structured entries a user can filter on, found with journalctl; a missing journal and a stalled one
(SIGSTOPped journald) never slow the daemon down.

The tests that start systemd-journald need root and consent (CI=true or OPTUNAD_TEST_JOURNALD=1)."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

import pytest

from sd_harness import Daemon, Journald


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_a_trials_life_is_in_the_journal_with_its_fields(workdir: Path, daemons: list[Daemon],
                                                         journald: Journald) -> None:
    # --log-target auto picks the journal because JOURNAL_STREAM names the daemon's standard error.
    daemon = Daemon(workdir, log_target="auto", journal_stream=True)
    daemons.append(daemon)
    daemon.start().wait_listening()
    study = unique("resnet")
    with daemon.client() as client:
        client.call("create_study", study_name=study)
        trial = client.call("ask", study_name=study,
                            search_space={"lr": {"type": "float", "low": 1e-4, "high": 1e-1, "log": True}})
        client.call("tell", trial_id=trial["trial_id"], value=0.25)
    entries = Journald.entries(f"OPTUNAD_STUDY={study}", f"_PID={daemon.pid}",
                               until=lambda found: len(found) >= 2)
    assert daemon.stop() == 0
    messages = [entry["MESSAGE"] for entry in entries]
    assert messages == [f"study {study} created", f"trial 0 of study {study} finished: COMPLETE with values [0.25]"]
    created, finished = entries
    assert created["OPTUNAD_METHOD"] == "create_study"
    assert finished["OPTUNAD_METHOD"] == "tell"
    assert finished["OPTUNAD_TRIAL"] == str(trial["trial_id"])
    assert finished["OPTUNAD_TRIAL_NUMBER"] == "0"
    assert finished["OPTUNAD_STATE"] == "COMPLETE"
    assert finished["PRIORITY"] == "6"
    assert finished["SYSLOG_IDENTIFIER"] == "optunad"
    assert finished["OPTUNAD_CLIENT_PID"] == str(os.getpid())
    assert finished["OPTUNAD_CLIENT_UID"] == str(os.getuid())
    assert finished["CODE_FILE"].endswith("Dispatcher+Lifecycle.swift")
    assert int(finished["CODE_LINE"]) > 0
    assert finished["_PID"] == str(daemon.pid)
    # Lifecycle entries without a study are there too, and nothing went to standard error.
    ready = Journald.entries("SYSLOG_IDENTIFIER=optunad", f"_PID={daemon.pid}", "MESSAGE=ready")
    assert ready and ready[0]["OPTUNAD_STORAGE"] == "memory"
    assert daemon.stderr_text() == ""


def test_without_a_journal_the_daemon_answers_promptly(workdir: Path, daemons: list[Daemon]) -> None:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("hiding the journal socket needs root and unshare(1)")
    # A private mount namespace with an empty /run/systemd: no journal socket at all.
    daemon = Daemon(workdir, log_target="journal", args=["--log-level", "debug"],
                    prefix=["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                            'mount -t tmpfs none /run/systemd && exec "$@"', "sh"])
    daemons.append(daemon)
    daemon.start().wait_listening()
    assert_prompt(daemon)
    assert daemon.stop() == 0
    assert daemon.stderr_text() == ""


def assert_prompt(daemon: Daemon, requests: int = 6000) -> None:
    """Pipelines `requests` hello calls on one connection (each logs an entry at debug) plus one trial; the whole
    exchange must finish well within what a blocked logger would take."""
    started = time.monotonic()
    with daemon.client() as client:
        client.send_line(b'{"id":1,"method":"hello"}\n' * requests)
        for _ in range(requests):
            assert client.read_line()["result"]["protocol"] == 1
        study = unique("prompt")
        client.call("create_study", study_name=study)
        trial = client.call("ask", study_name=study)
        client.call("tell", trial_id=trial["trial_id"], value=1.0)
    elapsed = time.monotonic() - started
    assert elapsed < 20, f"{requests} requests took {elapsed:.1f} s"


def test_a_stalled_journald_costs_entries_not_latency(workdir: Path, daemons: list[Daemon],
                                                      journald: Journald) -> None:
    if not journald.owned:
        pytest.skip("a journald this test did not start is not suspended")
    daemon = Daemon(workdir, log_target="journal", args=["--log-level", "debug"])
    daemons.append(daemon)
    daemon.start().wait_listening()
    journald.suspend()
    try:
        assert_prompt(daemon)
    finally:
        journald.resume()
    # The next entry after the gap reports how many were dropped while journald did not read.
    time.sleep(0.5)
    with daemon.client() as client:
        client.call("hello")
    dropped = Journald.entries(f"_PID={daemon.pid}", "PRIORITY=4", timeout=20,
                               until=lambda found: bool([e for e in found if "OPTUNAD_DROPPED" in e]))
    dropped = [entry for entry in dropped if "OPTUNAD_DROPPED" in entry]
    assert dropped and int(dropped[0]["OPTUNAD_DROPPED"]) > 0, dropped
    assert dropped[0]["PRIORITY"] == "4"
    assert daemon.stop() == 0


def test_the_daemon_stops_promptly_while_journald_is_stalled(workdir: Path, daemons: list[Daemon],
                                                             journald: Journald) -> None:
    if not journald.owned:
        pytest.skip("a journald this test did not start is not suspended")
    daemon = Daemon(workdir, log_target="journal", args=["--log-level", "debug"])
    daemons.append(daemon)
    daemon.start().wait_listening()
    journald.suspend()
    try:
        with daemon.client() as client:
            client.send_line(b'{"id":1,"method":"hello"}\n' * 200)
            for _ in range(200):
                client.read_line()
        started = time.monotonic()
        assert daemon.stop() == 0
        # The exit waits at most 2 s for the journal, then leaves the stuck entries behind.
        assert time.monotonic() - started < 8
    finally:
        journald.resume()
