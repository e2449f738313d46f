"""`optunactl run`: tuning a command with no code, against the live daemon."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import textwrap

import pytest

import optunad
from optunad.trial import TrialState

REPO = pathlib.Path(__file__).resolve().parents[2]
TOY = REPO / "protocol" / "examples" / "train-toy.sh"


@pytest.fixture
def ctl(daemon, optunactl_bin):
    def run(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
        env = {**os.environ, "OPTUNAD_SOCKET": daemon.socket}
        return subprocess.run([optunactl_bin, *args], env=env, capture_output=True, text=True, timeout=timeout,
                              **kwargs)

    return run


def load(daemon, name: str) -> optunad.Study:
    return optunad.load_study(study_name=name, socket=daemon.socket)


def script(tmp_path: pathlib.Path, body: str) -> str:
    path = tmp_path / "cmd.py"
    path.write_text(textwrap.dedent(body))
    return str(path)


def test_run_substitutes_exports_reports_and_tells(ctl, daemon, study_name, tmp_path) -> None:
    cmd = script(tmp_path, """
        import os, sys
        lr, layers = float(sys.argv[1]), int(sys.argv[2])
        assert os.environ["OPTUNA_PARAM_LR"] == sys.argv[1] and os.environ["OPTUNA_PARAM_LAYERS"] == sys.argv[2]
        assert os.environ["OPTUNA_TRIAL_NUMBER"] == sys.argv[3] and os.environ["OPTUNA_STUDY"] == sys.argv[4]
        assert os.environ["OPTUNAD_SOCKET"] and os.environ["OPTUNA_TRIAL_ID"]
        for step in range(3):
            print(f"step={step} value={lr * (3 - step)}", flush=True)
        print(f"objective={lr * layers}")
    """)
    result = ctl("run", study_name, "--direction", "minimize", "--param", "lr=float:1e-5:1e-1:log",
                 "--param", "layers=int:1:8", "--n-trials", "4", "--",
                 sys.executable, cmd, "{lr}", "{layers}", "{trial_number}", "{study}")
    assert result.returncode == 0, result.stderr
    trials = load(daemon, study_name).trials
    assert len(trials) == 4 and all(t.state == TrialState.COMPLETE for t in trials)
    for t in trials:
        assert t.value == pytest.approx(t.params["lr"] * t.params["layers"])
        assert t.intermediate_values == pytest.approx({s: t.params["lr"] * (3 - s) for s in range(3)})
        assert t.user_attrs == {"exit_status": 0}
    assert "4 trial(s) run: 4 COMPLETE" in result.stdout
    assert "best: trial" in result.stdout


def test_nonzero_exit_and_missing_metric_fail(ctl, daemon, study_name, tmp_path) -> None:
    cmd = script(tmp_path, """
        import sys
        n = int(sys.argv[1])
        if n == 0:
            sys.exit(3)
        if n == 1:
            print("no metric here")
        if n == 2:
            print("objective=nan")
        if n == 3:
            print("objective=1.5")
    """)
    result = ctl("run", study_name, "--direction", "maximize", "--n-trials", "4", "--",
                 sys.executable, cmd, "{trial_number}")
    assert result.returncode == 0, result.stderr
    trials = load(daemon, study_name).trials
    assert [t.state for t in trials] == [TrialState.FAIL, TrialState.FAIL, TrialState.FAIL, TrialState.COMPLETE]
    assert trials[0].user_attrs == {"exit_status": 3}
    assert trials[1].user_attrs["failure"] == "no objective value in the command's output"
    assert trials[3].value == 1.5


def test_metric_regex_and_multi_objective(ctl, daemon, study_name, tmp_path) -> None:
    cmd = script(tmp_path, """
        import sys
        x = float(sys.argv[1])
        print(f"RESULT loss={x:.6f} acc={1 - x:.6f}")
    """)
    result = ctl("run", study_name, "--directions", "minimize", "maximize", "--param", "x=float:0:1",
                 "--n-trials", "3", "--metric-regex", r"loss=(\S+) acc=(\S+)", "--",
                 sys.executable, cmd, "{x}")
    assert result.returncode == 0, result.stderr
    trials = load(daemon, study_name).trials
    # The first group is the objective: one value for a two-objective study is a FAIL, as told.
    assert all(t.state == TrialState.FAIL for t in trials)
    assert all("expected 2 objective value(s), got 1" == t.user_attrs["failure"] for t in trials)

    name2 = study_name + "-b"
    cmd2 = script(tmp_path, """
        import sys
        x = float(sys.argv[1])
        print(f"objective={x},{1 - x}")
    """)
    result = ctl("run", name2, "--directions", "minimize", "maximize", "--param", "x=float:0:1", "--n-trials", "3",
                 "--", sys.executable, cmd2, "{x}")
    assert result.returncode == 0, result.stderr
    for t in load(daemon, name2).trials:
        assert t.state == TrialState.COMPLETE
        assert t.values == pytest.approx([t.params["x"], 1 - t.params["x"]])


def test_metric_file(ctl, daemon, study_name, tmp_path) -> None:
    out = tmp_path / "metric-{trial_number}.txt"
    cmd = script(tmp_path, """
        import sys
        open(sys.argv[2], "w").write(f"{float(sys.argv[1]) * 2}\\n")
    """)
    result = ctl("run", study_name, "--direction", "minimize", "--param", "x=float:0:1", "--n-trials", "2",
                 "--metric-file", str(out), "--", sys.executable, cmd, "{x}", str(out))
    assert result.returncode == 0, result.stderr
    for t in load(daemon, study_name).trials:
        assert t.value == pytest.approx(2 * t.params["x"])


def test_jobs_run_trials_in_parallel(ctl, daemon, study_name) -> None:
    assert ctl("create-study", study_name, "--pruner", "nop").returncode == 0
    result = ctl("run", study_name, "--param", "lr=float:1e-4:1:log",
                 "--param", "layers=int:1:8", "--n-trials", "6", "--jobs", "3", "--",
                 "bash", str(TOY), "--lr", "{lr}", "--layers", "{layers}", "--epochs", "2", "--delay", "0.3")
    assert result.returncode == 0, result.stderr
    trials = load(daemon, study_name).trials
    assert len(trials) == 6 and all(t.state == TrialState.COMPLETE for t in trials)
    assert "[trial " in result.stdout  # output of parallel trials is prefixed
    # Trials of 0.6 s each, three at a time: their running times overlap.
    overlapping = [(a.number, b.number) for a in trials for b in trials if a.number < b.number
                   and a.datetime_start < b.datetime_complete and b.datetime_start < a.datetime_complete]
    assert overlapping


def test_pruner_stops_the_command(ctl, daemon, study_name, requires, tmp_path) -> None:
    requires.pruner("threshold")
    marker = tmp_path / "reached-the-end"
    cmd = script(tmp_path, """
        import sys, time
        for step in range(50):
            print(f"step={step} value={step}", flush=True)
            time.sleep(0.05)
        open(sys.argv[1], "w").write("unpruned")
        print("objective=0")
    """)
    ctl("create-study", study_name, "--pruner", '{"type": "threshold", "upper": 3}')
    result = ctl("run", study_name, "--n-trials", "1", "--kill-grace", "1", "--",
                 sys.executable, cmd, str(marker))
    assert result.returncode == 0, result.stderr
    [trial] = load(daemon, study_name).trials
    assert trial.state == TrialState.PRUNED
    assert trial.last_step == 4  # 4 > upper=3: pruned at once
    assert not marker.exists()


def test_interrupt_fails_the_running_trial(daemon, optunactl_bin, study_name, tmp_path) -> None:
    cmd = script(tmp_path, """
        import time
        print("step=0 value=1", flush=True)
        time.sleep(60)
        print("objective=1")
    """)
    env = {**os.environ, "OPTUNAD_SOCKET": daemon.socket}
    proc = subprocess.Popen([optunactl_bin, "run", study_name, "--direction", "minimize", "--n-trials", "5",
                             "--kill-grace", "1", "--", sys.executable, cmd], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert "step=0" in proc.stdout.readline()  # the command runs
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGINT, err
    [trial] = load(daemon, study_name).trials
    assert trial.state == TrialState.FAIL
    assert trial.user_attrs["interrupted"] is True
    assert trial.user_attrs.get("signal") == signal.SIGTERM


def test_usage_errors(ctl, study_name) -> None:
    assert ctl("run", study_name).returncode == 64  # no command
    assert ctl("run", study_name, "--n-trials", "0", "--", "true").returncode == 64
    assert ctl("run", study_name, "--metric-regex", "(", "--", "true").returncode == 64
    missing = ctl("run", study_name + "-missing", "--", "true")
    assert missing.returncode == 1 and "study_not_found" in missing.stderr


def test_unstartable_command_fails_the_trial(ctl, daemon, study_name) -> None:
    result = ctl("run", study_name, "--direction", "minimize", "--", "/nonexistent/program")
    assert result.returncode == 0, result.stderr
    [trial] = load(daemon, study_name).trials
    assert trial.state == TrialState.FAIL and "cannot run /nonexistent/program" in trial.user_attrs["failure"]
