"""Sampler and pruner objects: Optuna's arguments in, the protocol's specs out, and the daemon accepting them."""

from __future__ import annotations

import inspect

import pytest

import optunad
from optunad import pruners, samplers


@pytest.mark.parametrize(
    "component, spec",
    [
        (samplers.RandomSampler(), {"type": "random"}),
        (samplers.RandomSampler(seed=3), {"type": "random", "seed": 3}),
        (samplers.RandomSampler(3), {"type": "random", "seed": 3}),
        (samplers.TPESampler(seed=10, multivariate=True), {"type": "tpe", "seed": 10, "multivariate": True}),
        (samplers.NSGAIISampler(population_size=20, crossover="sbx"),
         {"type": "nsga2", "population_size": 20, "crossover": "sbx"}),
        (samplers.NSGAIISampler(crossover=samplers.nsgaii.SBXCrossover(eta=15),
                                mutation=samplers.nsgaii.PolynomialMutation()),
         {"type": "nsga2", "crossover": {"type": "sbx", "eta": 15}, "mutation": {"type": "polynomial"}}),
        (samplers.NSGAIIISampler(reference_points=[[0, 1], [1, 0]]),
         {"type": "nsga3", "reference_points": [[0, 1], [1, 0]]}),
        (samplers.CmaEsSampler(x0={"x": 0.0}, sigma0=0.5, independent_sampler=samplers.RandomSampler(seed=1)),
         {"type": "cmaes", "x0": {"x": 0.0}, "sigma0": 0.5, "independent_sampler": {"type": "random", "seed": 1}}),
        (samplers.QMCSampler(qmc_type="halton", scramble=True), {"type": "qmc", "qmc_type": "halton", "scramble": True}),
        (samplers.GridSampler({"x": [0, 1], "y": ["a"]}, seed=2),
         {"type": "grid", "search_space": {"x": [0, 1], "y": ["a"]}, "seed": 2}),
        (samplers.BruteForceSampler(avoid_premature_stop=True), {"type": "bruteforce", "avoid_premature_stop": True}),
        (samplers.PartialFixedSampler({"x": 1}, samplers.TPESampler()),
         {"type": "partial_fixed", "fixed_params": {"x": 1}, "base_sampler": {"type": "tpe"}}),
        (samplers.GPSampler(n_startup_trials=5), {"type": "gp", "n_startup_trials": 5}),
        (pruners.MedianPruner(), {"type": "median"}),
        (pruners.MedianPruner(5, 10, n_min_trials=3),
         {"type": "median", "n_startup_trials": 5, "n_warmup_steps": 10, "n_min_trials": 3}),
        (pruners.PercentilePruner(25.0), {"type": "percentile", "percentile": 25.0}),
        (pruners.SuccessiveHalvingPruner(min_resource=1), {"type": "successive_halving", "min_resource": 1}),
        (pruners.HyperbandPruner(max_resource=100), {"type": "hyperband", "max_resource": 100}),
        (pruners.ThresholdPruner(upper=1.0), {"type": "threshold", "upper": 1.0}),
        (pruners.PatientPruner(None, patience=2), {"type": "patient", "wrapped_pruner": None, "patience": 2}),
        (pruners.PatientPruner(pruners.MedianPruner(), 3, min_delta=0.1),
         {"type": "patient", "wrapped_pruner": {"type": "median"}, "patience": 3, "min_delta": 0.1}),
        (pruners.WilcoxonPruner(p_threshold=0.05), {"type": "wilcoxon", "p_threshold": 0.05}),
        (pruners.NopPruner(), {"type": "nop"}),
    ],
)
def test_only_given_options_are_sent(component, spec) -> None:
    assert component.to_spec() == spec


def test_signatures_are_optunas() -> None:
    params = inspect.signature(samplers.TPESampler).parameters
    assert params["n_startup_trials"].default == 10 and params["seed"].kind is inspect.Parameter.KEYWORD_ONLY
    assert list(inspect.signature(pruners.MedianPruner).parameters) == [
        "n_startup_trials", "n_warmup_steps", "interval_steps", "n_min_trials"]
    with pytest.raises(TypeError):
        samplers.TPESampler(10)  # keyword-only, as Optuna
    with pytest.raises(TypeError):
        samplers.RandomSampler(sed=1)
    with pytest.raises(TypeError):
        pruners.PercentilePruner()


def test_callables_other_than_constraints_func_are_refused() -> None:
    with pytest.raises(TypeError, match="gamma"):
        samplers.TPESampler(gamma=lambda n: min(n, 10))
    constrained = samplers.TPESampler(constraints_func=lambda t: [0.0])
    assert constrained.to_spec() == {"type": "tpe"}
    assert constrained.constraints_func is not None
    nested = samplers.PartialFixedSampler({"x": 0}, constrained)
    assert nested.constraints_func is constrained.constraints_func


def test_specs_round_trip_through_from_spec() -> None:
    s = samplers.sampler_from_spec({"type": "cmaes", "sigma0": 0.1, "independent_sampler": {"type": "random"}})
    assert isinstance(s, samplers.CmaEsSampler)
    assert s.to_spec() == {"type": "cmaes", "sigma0": 0.1, "independent_sampler": {"type": "random"}}
    unknown = samplers.sampler_from_spec({"type": "future", "k": 1})
    assert unknown.to_spec() == {"type": "future", "k": 1}
    assert isinstance(pruners.pruner_from_spec("nop"), pruners.NopPruner)


def _all_classes():
    return [(k, c) for k, c in samplers.SAMPLER_CLASSES.items()] + [(k, c) for k, c in pruners.PRUNER_CLASSES.items()]


REQUIRED = {"grid": ({"x": [0.0, 1.0]},), "partial_fixed": ({"x": 0.0}, samplers.RandomSampler()),
            "percentile": (50.0,), "patient": (None, 2), "threshold": (None, 100.0)}


@pytest.mark.parametrize("type_name, cls", _all_classes())
def test_daemon_accepts_each_component_it_serves(socket_env, hello, study_name, type_name, cls) -> None:
    served = hello["samplers"] if issubclass(cls, samplers.BaseSampler) else hello["pruners"]
    if type_name not in served:
        pytest.skip(f"optunad does not serve {type_name!r} yet")
    component = cls(*REQUIRED.get(type_name, ()))
    kind = "sampler" if issubclass(cls, samplers.BaseSampler) else "pruner"
    directions = ["minimize", "minimize"] if type_name in ("nsga2", "nsga3") else ["minimize"]
    study = optunad.create_study(study_name=study_name, directions=directions, **{kind: component})
    stored = getattr(optunad.load_study(study_name=study_name), kind)
    assert stored.to_spec()["type"] == type_name
    study.optimize(lambda t: [t.suggest_float("x", 0, 1)] * len(directions), n_trials=3)
    assert len(study.trials) == 3


def test_unknown_sampler_type_is_invalid_params(socket_env) -> None:
    with pytest.raises(optunad.exceptions.InvalidParams):
        optunad.create_study(sampler={"type": "no-such-sampler"})
    with pytest.raises(optunad.exceptions.InvalidParams):
        optunad.create_study(sampler=samplers.RandomSampler(seed="not a number"))


def test_nsga2_operators_are_accepted_by_the_daemon(socket_env, requires, study_name) -> None:
    requires.sampler("nsga2")
    nsgaii = samplers.nsgaii
    for i, crossover in enumerate([nsgaii.UniformCrossover(), nsgaii.BLXAlphaCrossover(alpha=0.3),
                                   nsgaii.SBXCrossover(eta=15), nsgaii.VSBXCrossover(), nsgaii.SPXCrossover(),
                                   nsgaii.UNDXCrossover(sigma_xi=0.4)]):
        sampler = samplers.NSGAIISampler(population_size=4, seed=i, crossover=crossover,
                                         mutation=nsgaii.PolynomialMutation(eta=10))
        study = optunad.create_study(study_name=f"{study_name}-{i}", directions=["minimize", "minimize"],
                                     sampler=sampler)
        study.optimize(lambda t: (t.suggest_float("x", 0, 1), t.suggest_float("y", 0, 1)), n_trials=10)
        assert len(study.get_trials(states=(optunad.trial.TrialState.COMPLETE,))) == 10
