"""What every trial offers an objective: the ``suggest_*`` API over one ``_suggest`` primitive."""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..distributions import (
    BaseDistribution,
    CategoricalChoiceType,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)


class BaseTrial:
    """The define-by-run API shared by :class:`Trial`, :class:`FixedTrial` and :class:`FrozenTrial`.

    Subclasses implement ``_suggest(name, distribution)``, which returns the parameter's value in its
    external form (the float, the int, or the categorical choice itself).
    """

    def _suggest(self, name: str, distribution: BaseDistribution) -> Any:
        raise NotImplementedError

    def suggest_float(self, name: str, low: float, high: float, *, step: float | None = None,
                      log: bool = False) -> float:
        """A float in ``[low, high]``: uniform, on a log scale (``log=True``) or on the grid ``low + k*step``."""
        return float(self._suggest(name, FloatDistribution(low, high, log=log, step=step)))

    def suggest_int(self, name: str, low: int, high: int, *, step: int = 1, log: bool = False) -> int:
        """An integer in ``[low, high]`` on the grid ``low + k*step`` (on a log scale with ``log=True``)."""
        return int(self._suggest(name, IntDistribution(low, high, log=log, step=step)))

    def suggest_categorical(self, name: str, choices: Sequence[CategoricalChoiceType]) -> Any:
        """One of ``choices`` (None, booleans, numbers or strings)."""
        return self._suggest(name, CategoricalDistribution(choices))

    def suggest_uniform(self, name: str, low: float, high: float) -> float:
        """Deprecated Optuna name for ``suggest_float(name, low, high)``."""
        return self.suggest_float(name, low, high)

    def suggest_loguniform(self, name: str, low: float, high: float) -> float:
        """Deprecated Optuna name for ``suggest_float(name, low, high, log=True)``."""
        return self.suggest_float(name, low, high, log=True)

    def suggest_discrete_uniform(self, name: str, low: float, high: float, q: float) -> float:
        """Deprecated Optuna name for ``suggest_float(name, low, high, step=q)``."""
        return self.suggest_float(name, low, high, step=q)


def check_report_arguments(value: Any, step: Any) -> tuple[float, int]:
    """``report``'s argument checks, with Optuna's exception types."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"The `value` argument is of type '{type(value)}' but supposed to be a float.") from None
    try:
        step = int(step)
    except (TypeError, ValueError):
        raise TypeError(f"The `step` argument is of type '{type(step)}' but supposed to be an int.") from None
    if step < 0:
        raise ValueError(f"`step={step}` must be non-negative.")
    return value, step


def check_constraint_value(key: str, value: Any) -> float:
    """``set_constraint``'s argument check, with Optuna's exception types."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"The `value` argument is of type '{type(value)}' but supposed to be a float.") from None
    if math.isnan(value):
        raise ValueError(f"Attempted to set a constraint for {key!r}, but NaN is not allowed.")
    return value
