"""Samplers: Optuna's classes and arguments, run by the daemon.

``optunad.samplers.TPESampler(seed=10, multivariate=True)`` is sent as
``{"type": "tpe", "seed": 10, "multivariate": true}``.  Only the arguments given are sent; the daemon
fills in Optuna's defaults and rejects options it does not know.  ``hello`` lists the types a daemon
serves; a type it lacks is an ``InvalidParams`` error from ``create_study``.

``constraints_func`` (TPE, NSGA-II, NSGA-III, GP) is evaluated in this process after each trial, and
its values are sent as the trial's constraints.
"""

from __future__ import annotations

import inspect
from typing import Any

from .._spec import ComponentSpec, UnknownComponent, from_spec

_R = inspect.Parameter.empty  # a required argument


class BaseSampler(ComponentSpec):
    """Base of the sampler classes."""


class RandomSampler(BaseSampler):
    """Independent uniform sampling (``random``)."""

    type_name = "random"
    parameters = (("seed", None, False),)


class TPESampler(BaseSampler):
    """Tree-structured Parzen Estimator (``tpe``)."""

    type_name = "tpe"
    parameters = (
        ("consider_prior", None, True), ("prior_weight", None, True), ("consider_magic_clip", None, True),
        ("consider_endpoints", None, True), ("n_startup_trials", 10, True), ("n_ei_candidates", 24, True),
        ("gamma", None, True), ("weights", None, True), ("seed", None, True), ("multivariate", None, True),
        ("group", False, True), ("warn_independent_sampling", None, True), ("constant_liar", True, True),
        ("constraints_func", None, True),
    )


class NSGAIISampler(BaseSampler):
    """NSGA-II, the multi-objective genetic algorithm (``nsga2``)."""

    type_name = "nsga2"
    parameters = (
        ("population_size", 50, True), ("mutation", None, True), ("mutation_prob", None, True),
        ("crossover", None, True), ("crossover_prob", 0.9, True), ("swapping_prob", 0.5, True),
        ("seed", None, True), ("constraints_func", None, True), ("elite_population_selection_strategy", None, True),
        ("child_generation_strategy", None, True), ("after_trial_strategy", None, True),
    )


class NSGAIIISampler(BaseSampler):
    """NSGA-III, for many objectives with reference points (``nsga3``)."""

    type_name = "nsga3"
    parameters = (
        ("population_size", 50, True), ("mutation", None, True), ("mutation_prob", None, True),
        ("crossover", None, True), ("crossover_prob", 0.9, True), ("swapping_prob", 0.5, True),
        ("seed", None, True), ("constraints_func", None, True), ("reference_points", None, True),
        ("dividing_parameter", 3, True), ("elite_population_selection_strategy", None, True),
        ("child_generation_strategy", None, True), ("after_trial_strategy", None, True),
    )


class CmaEsSampler(BaseSampler):
    """CMA-ES (``cmaes``)."""

    type_name = "cmaes"
    parameters = (
        ("x0", None, True), ("sigma0", None, True), ("n_startup_trials", 1, True),
        ("independent_sampler", None, True), ("warn_independent_sampling", True, True), ("seed", None, True),
        ("consider_pruned_trials", False, True), ("restart_strategy", None, True), ("popsize", None, True),
        ("inc_popsize", -1, True), ("use_separable_cma", False, True), ("with_margin", False, True),
        ("lr_adapt", False, True), ("source_trials", None, True),
    )


class QMCSampler(BaseSampler):
    """Quasi-Monte Carlo sequences: Sobol or Halton (``qmc``)."""

    type_name = "qmc"
    parameters = (
        ("qmc_type", "sobol", True), ("scramble", False, True), ("seed", None, True),
        ("independent_sampler", None, True), ("warn_asynchronous_seeding", True, True),
        ("warn_independent_sampling", True, True),
    )


class GridSampler(BaseSampler):
    """Every combination of the given values (``grid``): ``GridSampler({"x": [0, 1], "y": ["a", "b"]})``."""

    type_name = "grid"
    parameters = (("search_space", _R, False), ("seed", None, False))


class BruteForceSampler(BaseSampler):
    """Every combination of a finite search space (``bruteforce``)."""

    type_name = "bruteforce"
    parameters = (("seed", None, False), ("avoid_premature_stop", False, False))


class PartialFixedSampler(BaseSampler):
    """Fixes some parameters and samples the others with ``base_sampler`` (``partial_fixed``)."""

    type_name = "partial_fixed"
    parameters = (("fixed_params", _R, False), ("base_sampler", _R, False))


class GPSampler(BaseSampler):
    """Gaussian-process Bayesian optimization (``gp``)."""

    type_name = "gp"
    parameters = (
        ("seed", None, True), ("independent_sampler", None, True), ("n_startup_trials", 10, True),
        ("deterministic_objective", False, True), ("constraints_func", None, True),
        ("warn_independent_sampling", True, True),
    )


from . import nsgaii  # noqa: E402  (after the classes: it only needs _spec)

SAMPLER_CLASSES: dict[str, type[BaseSampler]] = {
    cls.type_name: cls
    for cls in (RandomSampler, TPESampler, NSGAIISampler, NSGAIIISampler, CmaEsSampler, QMCSampler, GridSampler,
                BruteForceSampler, PartialFixedSampler, GPSampler)
}


def sampler_from_spec(spec: Any) -> ComponentSpec:
    """The sampler object for a spec the daemon reports (an :class:`UnknownComponent` for unknown types)."""
    from ..pruners import PRUNER_CLASSES

    return from_spec(spec, {**PRUNER_CLASSES, **SAMPLER_CLASSES})


__all__ = [
    "BaseSampler", "RandomSampler", "TPESampler", "NSGAIISampler", "NSGAIIISampler", "CmaEsSampler", "QMCSampler",
    "GridSampler", "BruteForceSampler", "PartialFixedSampler", "GPSampler", "UnknownComponent", "sampler_from_spec",
    "nsgaii",
]
