"""Trials: define-by-run suggestions, reports, attributes, FixedTrial, distributions."""

from __future__ import annotations

import math
import warnings

import pytest

import optunad
from optunad.distributions import (
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
    distribution_to_json,
    from_wire,
    json_to_distribution,
)
from optunad.trial import FixedTrial, TrialState


def test_suggestions_have_the_right_types_and_ranges(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name, sampler=optunad.samplers.RandomSampler(seed=0))
    for _ in range(20):
        trial = study.ask()
        f = trial.suggest_float("f", -1.5, 2.5)
        lf = trial.suggest_float("lf", 1e-5, 1e-1, log=True)
        sf = trial.suggest_float("sf", 0, 1, step=0.25)
        i = trial.suggest_int("i", -3, 3)
        si = trial.suggest_int("si", 1, 9, step=4)
        li = trial.suggest_int("li", 1, 1000, log=True)
        c = trial.suggest_categorical("c", [None, True, 1, 1.5, "s"])
        assert type(f) is float and -1.5 <= f <= 2.5
        assert type(lf) is float and 1e-5 <= lf <= 1e-1
        assert sf in (0.0, 0.25, 0.5, 0.75, 1.0)
        assert type(i) is int and -3 <= i <= 3
        assert si in (1, 5, 9) and type(li) is int and 1 <= li <= 1000
        assert any(c is choice or (c == choice and type(c) is type(choice)) for choice in [None, True, 1, 1.5, "s"])
        assert trial.params == {"f": f, "lf": lf, "sf": sf, "i": i, "si": si, "li": li, "c": c}
        frozen = study.tell(trial, 0.0)
        assert frozen.params == trial.params


def test_same_name_returns_the_same_value(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    trial = study.ask()
    x = trial.suggest_float("x", 0, 1)
    assert trial.suggest_float("x", 0, 1) == x
    assert trial.suggest_float("x", -1, 2) == x  # another range containing the value: the daemon keeps it


def test_categorical_choices_keep_their_python_identity(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name, sampler=optunad.samplers.RandomSampler(seed=5))
    seen = set()
    for _ in range(30):
        trial = study.ask()
        v = trial.suggest_categorical("b", [True, 1, False, 0])
        seen.add((type(v).__name__, v))
        study.tell(trial, 0.0)
    assert seen == {("bool", True), ("int", 1), ("bool", False), ("int", 0)}


def test_report_twice_keeps_first(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    trial = study.ask()
    trial.report(1.0, 0)
    with pytest.warns(UserWarning, match="already reported"):
        trial.report(2.0, 0)
    trial.report(math.nan, 1)
    frozen = study.tell(trial, 0.5)
    assert frozen.intermediate_values[0] == 1.0 and math.isnan(frozen.intermediate_values[1])


def test_report_argument_checks(socket_env, study_name) -> None:
    trial = optunad.create_study(study_name=study_name).ask()
    with pytest.raises(TypeError):
        trial.report("high", 0)
    with pytest.raises(TypeError):
        trial.report(1.0, None)
    with pytest.raises(ValueError):
        trial.report(1.0, -1)


def test_should_prune_without_report_asks_the_daemon(socket_env, study_name) -> None:
    trial = optunad.create_study(study_name=study_name).ask()
    assert trial.should_prune() is False


def test_trial_user_attrs_and_datetime(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    trial = study.ask()
    assert trial.user_attrs == {}
    trial.set_user_attr("loss_curve", [0.5, 0.25])
    trial.set_user_attr("note", {"a": None})
    assert trial.user_attrs == {"loss_curve": [0.5, 0.25], "note": {"a": None}}
    assert trial.datetime_start is not None
    assert trial.study is study and trial.number == 0 and trial.relative_params == {}
    frozen = study.tell(trial, 1.0)
    assert frozen.user_attrs == trial.user_attrs
    assert frozen.datetime_complete >= frozen.datetime_start


def test_constraints_func_is_evaluated_client_side(socket_env, study_name, requires) -> None:
    requires.sampler("nsga2")
    calls = []

    def constraints(frozen):
        calls.append(frozen.state)
        return frozen.user_attrs["c"]

    sampler = optunad.samplers.NSGAIISampler(seed=1, constraints_func=constraints)
    assert sampler.to_spec() == {"type": "nsga2", "seed": 1}
    study = optunad.create_study(study_name=study_name, directions=["minimize", "minimize"], sampler=sampler)

    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        trial.set_user_attr("c", [x - 0.5])
        return x, 1 - x

    study.optimize(objective, n_trials=10)
    assert calls == [TrialState.RUNNING] * 10
    for t in study.trials:
        assert t.constraints == {"0": pytest.approx(t.params["x"] - 0.5)}
    assert all(t.params["x"] <= 0.5 for t in study.best_trials)


def test_fixed_trial() -> None:
    def objective(trial):
        x = trial.suggest_float("x", -1.0, 1.0)
        y = trial.suggest_int("y", -5, 5)
        z = trial.suggest_categorical("z", ["a", "b"])
        trial.report(1.0, 0)
        assert not trial.should_prune()
        trial.set_user_attr("k", 1)
        return x + y + (0.5 if z == "b" else 0)

    trial = FixedTrial({"x": 1.0, "y": -1, "z": "b"}, number=3)
    assert objective(trial) == 0.5
    assert trial.params == {"x": 1.0, "y": -1, "z": "b"} and trial.number == 3 and trial.user_attrs == {"k": 1}
    with pytest.raises(ValueError, match="not found"):
        objective(FixedTrial({"x": 1.0}))
    with pytest.warns(UserWarning):
        assert FixedTrial({"x": 5.0}).suggest_float("x", 0, 1) == 5.0


@pytest.mark.parametrize(
    "dist, wire",
    [
        (FloatDistribution(0, 1), {"type": "float", "low": 0.0, "high": 1.0}),
        (FloatDistribution(1e-3, 1, log=True), {"type": "float", "low": 1e-3, "high": 1.0, "log": True}),
        (FloatDistribution(0, 1, step=0.1), {"type": "float", "low": 0.0, "high": 1.0, "step": 0.1}),
        (IntDistribution(1, 9, step=2), {"type": "int", "low": 1, "high": 9, "step": 2}),
        (IntDistribution(1, 64, log=True), {"type": "int", "low": 1, "high": 64, "log": True}),
        (CategoricalDistribution(["adam", None, 1]), {"type": "categorical", "choices": ["adam", None, 1]}),
    ],
)
def test_distribution_wire_forms(dist, wire) -> None:
    assert dist.to_wire() == wire
    assert from_wire(wire) == dist
    assert json_to_distribution(distribution_to_json(dist)) == dist


def test_distribution_rules_as_optuna() -> None:
    with pytest.raises(ValueError):
        FloatDistribution(1, 0)
    with pytest.raises(ValueError):
        FloatDistribution(0, 1, log=True)
    with pytest.raises(ValueError):
        FloatDistribution(0.1, 1, log=True, step=0.1)
    with pytest.raises(ValueError):
        IntDistribution(0, 10, log=True)
    with pytest.warns(UserWarning):
        assert IntDistribution(0, 10, step=3).high == 9
    with pytest.warns(UserWarning):
        assert FloatDistribution(0, 1, step=0.3).high == pytest.approx(0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert FloatDistribution(0, 1, step=0.1).high == 1.0
    assert from_wire({"name": "IntUniformDistribution", "attributes": {"low": 1, "high": 5, "step": 1}}) == \
        IntDistribution(1, 5)
    assert CategoricalDistribution([True, 1]).index_of(1) == 1


def test_daemon_adjusts_high_like_the_client(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    trial = study.ask()
    with pytest.warns(UserWarning):
        v = trial.suggest_int("n", 0, 10, step=3)
    frozen = study.tell(trial, 0.0)
    assert v in (0, 3, 6, 9)
    assert frozen.distributions["n"] == from_wire({"type": "int", "low": 0, "high": 9, "step": 3})
