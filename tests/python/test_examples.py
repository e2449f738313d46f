"""The shell recipes in protocol/examples, run against the live daemon."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pytest

import optunad
from optunad.trial import TrialState

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "protocol" / "examples"

pytestmark = pytest.mark.skipif(
    shutil.which("jq") is None or (shutil.which("socat") is None and shutil.which("nc") is None),
    reason="the shell recipes need jq and socat (or nc -U)")


def run_script(name: str, *args: str, socket: str, env: dict | None = None, timeout: float = 120):
    full_env = {**os.environ, "OPTUNAD_SOCKET": socket, **(env or {})}
    return subprocess.run(["bash", str(EXAMPLES / name), *args], env=full_env, capture_output=True, text=True,
                          timeout=timeout)


def test_pipelined_session(daemon, study_name) -> None:
    result = run_script("pipelined-session.sh", study_name, "25", socket=daemon.socket)
    assert result.returncode == 0, result.stderr
    assert f"study {study_name}: 25 trials told in 2 round trips, 25 COMPLETE" in result.stdout
    study = optunad.load_study(study_name=study_name, socket=daemon.socket)
    trials = study.trials
    assert len(trials) == 25 and all(t.state == TrialState.COMPLETE for t in trials)
    for t in trials:
        assert t.value == pytest.approx((t.params["x"] - 2) ** 2 + (t.params["layers"] - 3) ** 2)
    best = study.best_trial
    assert f"best: trial {best.number} value" in result.stdout


def test_pruned_training_without_pruner_completes_every_trial(daemon, study_name) -> None:
    result = run_script("pruned-training.sh", study_name, "6", "4", socket=daemon.socket, env={"PRUNER": "nop"})
    assert result.returncode == 0, result.stderr
    assert "0 of 6 trials pruned" in result.stdout
    trials = optunad.load_study(study_name=study_name, socket=daemon.socket).trials
    assert [t.state for t in trials] == [TrialState.COMPLETE] * 6
    assert all(sorted(t.intermediate_values) == [0, 1, 2, 3] for t in trials)


def test_pruned_training_with_median_pruner_prunes(daemon, study_name, requires) -> None:
    requires.pruner("median")
    result = run_script("pruned-training.sh", study_name, "15", "10", socket=daemon.socket)
    assert result.returncode == 0, result.stderr
    trials = optunad.load_study(study_name=study_name, socket=daemon.socket).trials
    pruned = [t for t in trials if t.state == TrialState.PRUNED]
    assert pruned, result.stdout
    assert f"{len(pruned)} of 15 trials pruned" in result.stdout
    for t in pruned:
        assert t.last_step is not None and t.last_step < 9


def test_scripts_fail_cleanly_without_a_daemon(daemon_dir) -> None:
    result = run_script("pipelined-session.sh", socket=str(daemon_dir / "absent.sock"))
    assert result.returncode != 0
    assert "no socket at" in result.stderr


def test_refused_requests_report_kind_and_fail(daemon) -> None:
    result = run_script("pruned-training.sh", socket=daemon.socket, env={"PRUNER": "no-such-pruner"})
    assert result.returncode == 1
    assert "optunad: invalid_params:" in result.stderr


def test_tune_command_with_optunactl_run(daemon, optunactl_bin, study_name, hello) -> None:
    pruner = "median" if "median" in hello["pruners"] else "nop"
    result = run_script("tune-command.sh", study_name, "8", socket=daemon.socket,
                        env={"OPTUNACTL": optunactl_bin, "PRUNER": pruner})
    assert result.returncode == 0, result.stderr
    trials = optunad.load_study(study_name=study_name, socket=daemon.socket).trials
    assert len(trials) == 8
    assert all(t.state in (TrialState.COMPLETE, TrialState.PRUNED) for t in trials)
    assert "8 trial(s) run" in result.stdout
