"""``Study.optimize`` with Optuna's semantics: exceptions, catch, NaN, pruning, callbacks, n_jobs, timeout."""

from __future__ import annotations

import gc
import math
import threading
import time

import pytest

import optunad
from optunad.trial import TrialState


def quadratic(trial) -> float:
    x = trial.suggest_float("x", -10, 10)
    return (x - 2) ** 2


def test_n_trials_and_results(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name, sampler=optunad.samplers.RandomSampler(seed=7))
    study.optimize(quadratic, n_trials=20)
    trials = study.trials
    assert len(trials) == 20 and all(t.state == TrialState.COMPLETE for t in trials)
    assert all(t.value == pytest.approx((t.params["x"] - 2) ** 2) for t in trials)
    assert study.best_value == min(t.value for t in trials)


def test_same_seed_gives_same_parameters(socket_env, study_name) -> None:
    runs = []
    for i in range(2):
        study = optunad.create_study(study_name=f"{study_name}-{i}", sampler=optunad.samplers.RandomSampler(seed=42))
        study.optimize(quadratic, n_trials=5)
        runs.append([t.params["x"] for t in study.trials])
    assert runs[0] == runs[1]


def test_exception_fails_trial_and_propagates(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)

    def objective(trial):
        trial.suggest_float("x", 0, 1)
        raise ValueError("A sample error in objective.")

    with pytest.raises(ValueError, match="A sample error"):
        study.optimize(objective, n_trials=5)
    [trial] = study.trials
    assert trial.state == TrialState.FAIL and trial.values is None


def test_caught_exceptions_continue_the_study(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)

    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        if trial.number % 2 == 0:
            raise ValueError("even")
        return x

    study.optimize(objective, n_trials=6, catch=(ValueError,))
    assert [t.state for t in study.trials] == [TrialState.FAIL, TrialState.COMPLETE] * 3
    with pytest.raises(KeyError):
        study.optimize(lambda t: {}["missing"], n_trials=3, catch=(ValueError,))
    assert len(study.trials) == 7


def test_nan_fails_the_trial_without_stopping(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    study.optimize(lambda t: math.nan if t.number == 2 else t.suggest_float("x", 0, 1), n_trials=5)
    states = [t.state for t in study.trials]
    assert states == [TrialState.COMPLETE] * 2 + [TrialState.FAIL] + [TrialState.COMPLETE] * 2


def test_unusable_return_values_fail_the_trial(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    results = iter([None, "text", (1.0, 2.0), 3])
    study.optimize(lambda t: next(results), n_trials=4)
    assert [t.state for t in study.trials] == [TrialState.FAIL] * 3 + [TrialState.COMPLETE]
    assert study.trials[3].value == 3.0


def test_trial_pruned_prunes(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name, pruner=optunad.pruners.NopPruner())

    def objective(trial):
        for step in range(3):
            trial.report(float(step), step)
            assert trial.should_prune() is False  # NopPruner
        if trial.number == 1:
            raise optunad.TrialPruned("stopped by hand")
        return 1.0

    study.optimize(objective, n_trials=3)
    assert [t.state for t in study.trials] == [TrialState.COMPLETE, TrialState.PRUNED, TrialState.COMPLETE]
    assert study.trials[1].value == 2.0  # the last reported value


def test_median_pruner_prunes_bad_trials(socket_env, study_name, requires) -> None:
    requires.pruner("median")
    study = optunad.create_study(
        study_name=study_name, pruner=optunad.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0))

    def objective(trial):
        # Trials 0 and 1 are good (value 0); later trials report 10 at every step and are pruned at once.
        value = 0.0 if trial.number < 2 else 10.0
        for step in range(5):
            trial.report(value, step)
            if trial.should_prune():
                raise optunad.TrialPruned()
        return value

    study.optimize(objective, n_trials=4)
    states = [t.state for t in study.trials]
    assert states == [TrialState.COMPLETE, TrialState.COMPLETE, TrialState.PRUNED, TrialState.PRUNED]
    assert study.trials[2].last_step == 0


def test_callbacks_get_study_and_frozen_trial(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    seen = []

    def callback(s, frozen):
        assert s is study
        seen.append((frozen.number, frozen.state))

    study.optimize(lambda t: 1.0 if t.number != 1 else math.nan, n_trials=3, callbacks=[callback])
    assert seen == [(0, TrialState.COMPLETE), (1, TrialState.FAIL), (2, TrialState.COMPLETE)]


def test_stop_from_a_callback(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)

    def callback(s, frozen):
        if frozen.number == 2:
            s.stop()

    study.optimize(quadratic, n_trials=100, callbacks=[callback])
    assert len(study.trials) == 3
    with pytest.raises(RuntimeError):
        study.stop()


def test_timeout_stops_the_loop(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)

    def slow(trial):
        time.sleep(0.05)
        return 1.0

    study.optimize(slow, timeout=0.3)
    assert 1 <= len(study.trials) < 100
    assert all(t.state == TrialState.COMPLETE for t in study.trials)


def test_n_jobs_runs_objectives_concurrently(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    barrier = threading.Barrier(4, timeout=30)
    threads = set()
    lock = threading.Lock()

    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        trial.set_user_attr("thread", threading.get_ident())
        if trial.number < 4:
            barrier.wait()  # only passes when four objectives run at the same time
        with lock:
            threads.add(threading.get_ident())
        return x

    study.optimize(objective, n_trials=40, n_jobs=4)
    trials = study.trials
    assert len(trials) == 40 and all(t.state == TrialState.COMPLETE for t in trials)
    assert sorted(t.number for t in trials) == list(range(40))
    assert len(threads) == 4
    assert all(t.value == t.params["x"] for t in trials)


def test_n_jobs_exception_propagates(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)

    def objective(trial):
        if trial.number == 3:
            raise RuntimeError("worker failure")
        return 1.0

    with pytest.raises(RuntimeError, match="worker failure"):
        study.optimize(objective, n_trials=50, n_jobs=3)
    failed = study.get_trials(states=(TrialState.FAIL,))
    assert [t.number for t in failed] == [3]
    assert not study.get_trials(states=(TrialState.RUNNING,))


def test_n_jobs_minus_one_uses_cpu_count(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    study.optimize(quadratic, n_trials=8, n_jobs=-1)
    assert len(study.trials) == 8


def test_keyboard_interrupt_fails_the_running_trial(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)

    def objective(trial):
        if trial.number == 1:
            raise KeyboardInterrupt
        return 1.0

    with pytest.raises(KeyboardInterrupt):
        study.optimize(objective, n_trials=5, catch=(Exception,))
    assert [t.state for t in study.trials] == [TrialState.COMPLETE, TrialState.FAIL]


def test_nested_optimize_is_refused(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)

    def objective(trial):
        study.optimize(quadratic, n_trials=1)
        return 0.0

    with pytest.raises(RuntimeError, match="Nested"):
        study.optimize(objective, n_trials=1)


def test_gc_after_trial_collects(socket_env, study_name, monkeypatch) -> None:
    calls = []
    real = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append(1) or real(*a))
    study = optunad.create_study(study_name=study_name)
    study.optimize(quadratic, n_trials=3, gc_after_trial=True)
    assert len(calls) == 3


def test_show_progress_bar_writes_progress(socket_env, study_name, capsys) -> None:
    study = optunad.create_study(study_name=study_name)
    study.optimize(quadratic, n_trials=3, show_progress_bar=True)
    assert "3" in capsys.readouterr().err


def test_log_lines_follow_optunas_format(socket_env, study_name, capsys) -> None:
    optunad.logging.set_verbosity(optunad.logging.INFO)
    study = optunad.create_study(study_name=study_name)
    study.optimize(lambda t: float(t.suggest_int("n", 5, 5)), n_trials=1)
    study.optimize(lambda t: math.nan, n_trials=1)
    err = capsys.readouterr().err
    assert "Trial 0 finished with value: 5.0 and parameters: {'n': 5}. Best is trial 0 with value: 5.0." in err
    assert "Trial 1 failed with parameters: {} because of the following error: The value nan is not acceptable." \
        in err
    optunad.logging.set_verbosity(optunad.logging.WARNING)
    study.optimize(lambda t: 1.0, n_trials=1)
    assert "Trial 2 finished" not in capsys.readouterr().err


def test_heartbeats_are_skipped_when_the_study_has_none(socket_env, study_name) -> None:
    from optunad.study._heartbeat import heartbeat_interval

    assert heartbeat_interval({"heartbeat_interval": 5}) == 5.0
    assert heartbeat_interval({"options": {"heartbeat_interval": 2.5}}) == 2.5
    assert heartbeat_interval({"heartbeat_interval": None}) is None
    assert heartbeat_interval({}) is None
    study = optunad.create_study(study_name=study_name)
    assert study._heartbeat_interval is None
    study.optimize(quadratic, n_trials=2)


def test_heartbeat_thread_stops_quietly_without_the_method(socket_env, study_name, requires) -> None:
    from optunad.study._heartbeat import Heartbeat

    study = optunad.create_study(study_name=study_name)
    trial = study.ask()
    with Heartbeat(study, trial.trial_id, interval=0.01):
        time.sleep(0.1)
    if "heartbeat" in requires.hello["methods"]:
        assert study._heartbeat_supported
    else:
        assert study._heartbeat_supported is False
    study.tell(trial, 1.0)


def _create_with_options(study_name: str, **options):
    try:
        return optunad.create_study(study_name=study_name, **options)
    except optunad.exceptions.InvalidParams as e:
        if "unknown parameter" in str(e):
            pytest.skip(f"optunad does not take these study options yet: {e}")
        raise


def test_rdb_storage_heartbeat_and_retry_become_study_options(socket_env, study_name) -> None:
    storage = optunad.storages.RDBStorage(
        url="sqlite:///:memory:", heartbeat_interval=60, grace_period=120,
        failed_trial_callback=optunad.storages.RetryFailedTrialCallback(max_retry=2))
    assert storage.study_options() == {"heartbeat_interval": 60, "grace_period": 120,
                                       "retry": {"max_retry": 2, "inherit_intermediate_values": False}}
    study = _create_with_options(study_name, storage=storage)
    options = study._client.call("get_study", {"study_name": study_name}).get("options") or {}
    assert options.get("heartbeat_interval") == 60 and options.get("grace_period") == 120
    assert study._heartbeat_interval == 60
    study.optimize(quadratic, n_trials=2)  # heartbeats run (or are skipped quietly by an older daemon)
    assert len(study.trials) == 2


def test_budget_exhausted_stops_optimize_quietly(socket_env, study_name) -> None:
    study = _create_with_options(study_name, max_trials=3)
    study.optimize(quadratic, n_trials=10)
    assert len(study.trials) == 3
    study.optimize(quadratic, n_trials=10, n_jobs=2)
    assert len(study.trials) == 3


def test_new_error_kinds_are_typed() -> None:
    from optunad.exceptions import BudgetExhausted, PermissionDenied, RetryAfter, from_error_object

    assert isinstance(from_error_object({"code": -32011, "message": "m", "data": {"kind": "budget_exhausted"}}),
                      BudgetExhausted)
    assert isinstance(from_error_object({"code": -32012, "message": "m", "data": {"kind": "retry_after"}}), RetryAfter)
    denied = from_error_object({"code": -32013, "message": "m", "data": {"kind": "permission_denied"}})
    assert isinstance(denied, PermissionDenied) and isinstance(denied, PermissionError)
