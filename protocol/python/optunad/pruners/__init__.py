"""Pruners: Optuna's classes and arguments, run by the daemon.

``optunad.pruners.MedianPruner(n_warmup_steps=5)`` is sent as ``{"type": "median", "n_warmup_steps": 5}``.
Only the arguments given are sent; the daemon fills in Optuna's defaults.  ``hello`` lists the types a
daemon serves; a study created without a pruner gets the daemon's default.
"""

from __future__ import annotations

import inspect
from typing import Any

from .._spec import ComponentSpec, UnknownComponent, from_spec

_R = inspect.Parameter.empty  # a required argument


class BasePruner(ComponentSpec):
    """Base of the pruner classes."""


class MedianPruner(BasePruner):
    """Prunes when the trial's value is worse than the median of earlier trials at the same step (``median``)."""

    type_name = "median"
    parameters = (
        ("n_startup_trials", 5, False), ("n_warmup_steps", 0, False), ("interval_steps", 1, False),
        ("n_min_trials", 1, True),
    )


class PercentilePruner(BasePruner):
    """Prunes below a percentile of earlier trials at the same step (``percentile``)."""

    type_name = "percentile"
    parameters = (
        ("percentile", _R, False), ("n_startup_trials", 5, False), ("n_warmup_steps", 0, False),
        ("interval_steps", 1, False), ("n_min_trials", 1, True),
    )


class SuccessiveHalvingPruner(BasePruner):
    """Asynchronous successive halving (``successive_halving``)."""

    type_name = "successive_halving"
    parameters = (
        ("min_resource", "auto", False), ("reduction_factor", 4, False), ("min_early_stopping_rate", 0, False),
        ("bootstrap_count", 0, False),
    )


class HyperbandPruner(BasePruner):
    """Hyperband: several successive-halving brackets (``hyperband``)."""

    type_name = "hyperband"
    parameters = (
        ("min_resource", 1, False), ("max_resource", "auto", False), ("reduction_factor", 3, False),
        ("bootstrap_count", 0, False),
    )


class ThresholdPruner(BasePruner):
    """Prunes when a value leaves ``[lower, upper]`` (``threshold``)."""

    type_name = "threshold"
    parameters = (
        ("lower", None, False), ("upper", None, False), ("n_warmup_steps", 0, False), ("interval_steps", 1, False),
    )


class PatientPruner(BasePruner):
    """Waits ``patience`` steps without improvement before asking ``wrapped_pruner`` (``patient``)."""

    type_name = "patient"
    parameters = (("wrapped_pruner", _R, False), ("patience", _R, False), ("min_delta", 0.0, False))


class WilcoxonPruner(BasePruner):
    """Wilcoxon signed-rank test against the best trial (``wilcoxon``)."""

    type_name = "wilcoxon"
    parameters = (("p_threshold", 0.1, True), ("n_startup_steps", 2, True))


class NopPruner(BasePruner):
    """Never prunes (``nop``)."""

    type_name = "nop"
    parameters = ()


PRUNER_CLASSES: dict[str, type[BasePruner]] = {
    cls.type_name: cls
    for cls in (MedianPruner, PercentilePruner, SuccessiveHalvingPruner, HyperbandPruner, ThresholdPruner,
                PatientPruner, WilcoxonPruner, NopPruner)
}


def pruner_from_spec(spec: Any) -> ComponentSpec:
    """The pruner object for a spec the daemon reports (an :class:`UnknownComponent` for unknown types)."""
    from ..samplers import SAMPLER_CLASSES

    return from_spec(spec, {**SAMPLER_CLASSES, **PRUNER_CLASSES})


__all__ = [
    "BasePruner", "MedianPruner", "PercentilePruner", "SuccessiveHalvingPruner", "HyperbandPruner",
    "ThresholdPruner", "PatientPruner", "WilcoxonPruner", "NopPruner", "UnknownComponent", "pruner_from_spec",
]
