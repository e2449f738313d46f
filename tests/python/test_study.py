"""Studies: create/load/delete, directions, attributes, ask/tell rules, enqueue, best trials, pickling."""

from __future__ import annotations

import math
import pickle
import warnings

import pytest

import optunad
from optunad.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optunad.exceptions import DuplicatedStudyError, StudyNotFound
from optunad.study import StudyDirection
from optunad.trial import FrozenTrial, TrialState


def test_create_load_delete_and_list(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name, direction="maximize")
    assert study.study_name == study_name
    assert study.direction == StudyDirection.MAXIMIZE
    assert study_name in optunad.get_all_study_names()
    loaded = optunad.load_study(study_name=study_name)
    assert loaded.directions == [StudyDirection.MAXIMIZE]
    summaries = {s.study_name: s for s in optunad.get_all_study_summaries()}
    assert summaries[study_name].n_trials == 0 and summaries[study_name].best_trial is None
    optunad.delete_study(study_name=study_name)
    assert study_name not in optunad.get_all_study_names()
    with pytest.raises(StudyNotFound):
        optunad.delete_study(study_name=study_name)


def test_socket_argument_overrides_environment(daemon, monkeypatch, study_name) -> None:
    monkeypatch.setenv("OPTUNAD_SOCKET", "/nonexistent/optunad.sock")
    study = optunad.create_study(study_name=study_name, socket=daemon.socket)
    assert optunad.load_study(study_name=study_name, socket=daemon.socket).study_name == study.study_name


def test_default_name_is_generated(socket_env) -> None:
    study = optunad.create_study()
    assert study.study_name.startswith("no-name-")


def test_duplicate_and_load_if_exists(socket_env, study_name) -> None:
    first = optunad.create_study(study_name=study_name, direction="maximize",
                                 sampler=optunad.samplers.RandomSampler(seed=3))
    with pytest.raises(DuplicatedStudyError):
        optunad.create_study(study_name=study_name)
    again = optunad.create_study(study_name=study_name, load_if_exists=True)
    assert again.direction == StudyDirection.MAXIMIZE  # the stored settings win
    assert again.sampler.to_spec() == {"type": "random", "seed": 3}
    assert first.sampler.to_spec() == {"type": "random", "seed": 3}


def test_storage_argument_is_accepted_and_ignored(socket_env, study_name, caplog) -> None:
    optunad.logging.enable_propagation()
    optunad.logging.set_verbosity(optunad.logging.INFO)
    try:
        with caplog.at_level("INFO", logger="optunad"):
            study = optunad.create_study(study_name=study_name, storage="sqlite:///example.db")
    finally:
        optunad.logging.disable_propagation()
    assert study.study_name == study_name
    assert any("is ignored" in r.getMessage() for r in caplog.records)


def test_directions_and_validation(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name, directions=["minimize", StudyDirection.MAXIMIZE])
    assert study.directions == [StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE]
    with pytest.raises(RuntimeError):
        study.direction
    with pytest.raises(ValueError):
        optunad.create_study(direction="minimize", directions=["minimize"])
    with pytest.raises(ValueError):
        optunad.create_study(direction="sideways")


def test_sampler_given_as_an_optuna_object_is_a_helpful_type_error(socket_env) -> None:
    class FakeOptunaSampler:
        pass

    FakeOptunaSampler.__module__ = "optuna.samplers._tpe.sampler"
    with pytest.raises(TypeError, match="optunad.samplers.FakeOptunaSampler"):
        optunad.create_study(sampler=FakeOptunaSampler())


def test_study_user_attrs(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    study.set_user_attr("dataset", "mnist")
    study.set_user_attr("sizes", [1, 2, 3])
    assert study.user_attrs == {"dataset": "mnist", "sizes": [1, 2, 3]}
    assert isinstance(study.system_attrs, dict)


def test_ask_with_fixed_distributions_samples_in_one_request(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name, sampler=optunad.samplers.RandomSampler(seed=1))
    space = {"x": FloatDistribution(0, 1), "n": IntDistribution(1, 9, step=2),
             "opt": CategoricalDistribution(["adam", "sgd", None])}
    trial = study.ask(space)
    assert set(trial.params) == {"x", "n", "opt"}
    assert 0 <= trial.params["x"] <= 1 and trial.params["n"] in (1, 3, 5, 7, 9)
    assert trial.params["opt"] in ("adam", "sgd", None)
    # Suggesting the same parameter with the same distribution returns the value already sampled.
    assert trial.suggest_float("x", 0, 1) == trial.params["x"]
    frozen = study.tell(trial, 0.5)
    assert frozen.state == TrialState.COMPLETE and frozen.value == 0.5
    assert frozen.distributions["n"] == IntDistribution(1, 9, step=2)


def test_tell_by_number_and_from_another_process_view(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    trials = [study.ask() for _ in range(3)]
    other = optunad.load_study(study_name=study_name)  # knows nothing of the asked trials
    frozen = other.tell(1, 7.0)
    assert frozen.number == 1 and frozen.value == 7.0
    study.tell(trials[0], state=TrialState.FAIL)
    study.tell(2, state=TrialState.PRUNED)
    states = [t.state for t in study.trials]
    assert states == [TrialState.FAIL, TrialState.COMPLETE, TrialState.PRUNED]
    with pytest.raises(ValueError, match="has not been created"):
        study.tell(99, 1.0)
    with pytest.raises(TypeError):
        study.tell("0", 1.0)  # type: ignore[arg-type]


def test_tell_rules_as_optuna(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    with pytest.raises(ValueError, match="No values were told"):
        study.tell(study.ask(), state=TrialState.COMPLETE)
    with pytest.raises(ValueError, match="not acceptable"):
        study.tell(study.ask(), math.nan, state=TrialState.COMPLETE)
    with pytest.raises(ValueError, match="Values cannot be specified"):
        study.tell(study.ask(), 1.0, state=TrialState.PRUNED)
    with pytest.raises(ValueError, match="Cannot tell with state"):
        study.tell(study.ask(), 1.0, state=TrialState.WAITING)
    # Without a state, bad values make the trial FAIL with a warning rather than raise.
    for bad in (math.nan, "abc", [1.0, 2.0], None):
        with pytest.warns(UserWarning):
            frozen = study.tell(study.ask(), bad)
        assert frozen.state == TrialState.FAIL and frozen.values is None
    # Infinity is a value.
    assert study.tell(study.ask(), math.inf).value == math.inf


def test_pruned_tell_takes_last_intermediate_value(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    trial = study.ask()
    trial.report(0.9, 0)
    trial.report(0.4, 1)
    frozen = study.tell(trial, state=TrialState.PRUNED)
    assert frozen.state == TrialState.PRUNED and frozen.value == 0.4
    assert frozen.intermediate_values == {0: 0.9, 1: 0.4}
    assert frozen.last_step == 1


def test_tell_finished_trial_and_skip_if_finished(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    trial = study.ask()
    study.tell(trial, 1.0)
    with pytest.raises(optunad.exceptions.TrialFinished):
        study.tell(trial, 2.0)
    assert study.tell(trial, 2.0, skip_if_finished=True).value == 1.0


def test_enqueue_trial_is_asked_first_with_user_attrs(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    study.enqueue_trial({"x": 0.25, "opt": "sgd"}, user_attrs={"source": "manual"})
    study.enqueue_trial({"x": 0.25, "opt": "sgd"}, skip_if_exists=True)  # already queued: skipped
    seen = []

    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        opt = trial.suggest_categorical("opt", ["adam", "sgd"])
        seen.append((x, opt, trial.user_attrs.get("source")))
        return x

    study.optimize(objective, n_trials=2)
    assert seen[0] == (0.25, "sgd", "manual")
    assert seen[1][2] is None
    assert study.trials[0].user_attrs == {"source": "manual"}


def test_get_trials_by_state_and_best(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name, direction="maximize")
    for value in (1.0, 3.0, 2.0):
        study.tell(study.ask(), value)
    study.tell(study.ask(), state=TrialState.FAIL)
    study.ask()  # RUNNING
    assert [t.number for t in study.get_trials(states=(TrialState.COMPLETE,))] == [0, 1, 2]
    assert [t.number for t in study.get_trials(states=[TrialState.FAIL, TrialState.RUNNING])] == [3, 4]
    assert study.best_trial.number == 1 and study.best_value == 3.0
    assert [t.number for t in study.best_trials] == [1]
    assert study.best_params == {}


def test_best_trial_before_any_complete_is_value_error(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    with pytest.raises(ValueError):
        study.best_trial
    assert study.best_trials == []


def test_multi_objective_best_trials_is_the_pareto_front(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name, directions=["minimize", "maximize"])
    points = [(1.0, 1.0), (2.0, 3.0), (1.5, 0.5), (0.5, 0.2), (3.0, 3.0)]
    for p in points:
        study.tell(study.ask(), p)
    front = sorted(t.number for t in study.best_trials)
    assert front == [0, 1, 3]
    with pytest.raises(RuntimeError):
        study.best_trial
    with pytest.raises(NotImplementedError):
        study.ask().report(1.0, 0)
    assert study.trials[1].values == [2.0, 3.0]
    with pytest.raises(RuntimeError):
        study.trials[1].value


def test_constraints_from_set_constraint_decide_feasibility(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    for value, constraint in ((1.0, 2.0), (2.0, -1.0), (3.0, 0.0)):
        trial = study.ask()
        trial.set_constraint("c", constraint)
        with pytest.warns(UserWarning):
            trial.set_constraint("c", -100.0)  # the first value is kept
        assert trial.constraints == {"c": constraint}
        study.tell(trial, value)
    assert study.best_trial.number == 1  # trial 0 is better but infeasible
    assert study.trials[0].constraints == {"0": 2.0}
    assert study.trials[0].system_attrs["constraints"] == [2.0]
    assert [t.number for t in study.best_trials] == [1]
    with pytest.raises(ValueError):
        study.ask().set_constraint("c", math.nan)


def test_add_trial_replays_a_finished_trial(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    made = optunad.trial.create_trial(
        params={"x": 0.5}, distributions={"x": FloatDistribution(0, 1)}, value=0.25, user_attrs={"k": 1})
    study.add_trial(made)
    [t] = study.trials
    assert (t.params, t.value, t.user_attrs, t.state) == ({"x": 0.5}, 0.25, {"k": 1}, TrialState.COMPLETE)


def test_study_pickles_as_a_handle(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    study.tell(study.ask(), 4.0)
    clone = pickle.loads(pickle.dumps(study))
    assert clone.study_name == study_name
    assert clone.best_value == 4.0


def test_trials_dataframe_has_optunas_columns(socket_env, study_name) -> None:
    pd = pytest.importorskip("pandas")
    study = optunad.create_study(study_name=study_name)
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=3)
    study.tell(study.ask(), state=TrialState.FAIL)
    frame = study.trials_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["number", "value", "datetime_start", "datetime_complete", "duration",
                                   "params_x", "state"]
    assert list(frame["state"]) == ["COMPLETE", "COMPLETE", "COMPLETE", "FAIL"]
    multi = study.trials_dataframe(attrs=("number", "params"), multi_index=True)
    assert ("params", "x") in multi.columns


def test_frozen_trial_from_wire_matches_constructor() -> None:
    wire = {"trial_id": 5, "number": 2, "study_name": "s", "state": "COMPLETE", "params": {"x": 1.0},
            "distributions": {"x": {"type": "float", "low": 0.0, "high": 2.0, "log": False, "step": None}},
            "values": ["-Infinity"], "value": "-Infinity", "intermediate_values": {"3": "NaN"},
            "user_attrs": {"a": 1}, "system_attrs": {}, "constraints": None,
            "datetime_start": "2026-01-01T00:00:00.5Z", "datetime_complete": "2026-01-01T00:00:01Z"}
    t = FrozenTrial.from_wire(wire)
    assert t.value == -math.inf and math.isnan(t.intermediate_values[3])
    assert t.duration.total_seconds() == 0.5
    assert t.suggest_float("x", 0, 2) == 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert t == pickle.loads(pickle.dumps(t))
