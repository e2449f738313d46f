"""Parameter distributions: Float, Int and Categorical, with Optuna's names, rules and JSON form.

Each distribution knows its wire form (``to_wire()``, ``{"type": "float", "low": ..., "high": ...}``)
and reads both the wire form and Optuna's ``{"name": ..., "attributes": ...}`` form back
(:func:`from_wire`, :func:`json_to_distribution`).  Values have an external form (what the objective
sees) and an internal float form (categorical choices become their index), as in Optuna.
"""

from __future__ import annotations

import decimal
import json
import math
import warnings
from typing import Any, Sequence, Union

CategoricalChoiceType = Union[None, bool, int, float, str]


class BaseDistribution:
    """Base class of the distributions."""

    def to_wire(self) -> dict[str, Any]:
        """The protocol's JSON object for this distribution."""
        raise NotImplementedError

    def to_internal_repr(self, param_value_in_external_repr: Any) -> float:
        """The internal float of a user-facing value."""
        raise NotImplementedError

    def to_external_repr(self, param_value_in_internal_repr: float) -> Any:
        """The user-facing value of an internal float."""
        raise NotImplementedError

    def single(self) -> bool:
        """Whether the distribution holds exactly one value."""
        raise NotImplementedError

    def _contains(self, param_value_in_internal_repr: float) -> bool:
        raise NotImplementedError

    def _asdict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, BaseDistribution):
            return NotImplemented
        return self.to_wire() == other.to_wire()

    def __hash__(self) -> int:
        return hash((type(self).__name__, json.dumps(self.to_wire(), sort_keys=True, default=str)))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(self._asdict().items()))
        return f"{type(self).__name__}({args})"


def _adjusted_float_high(low: float, high: float, step: float) -> float:
    # Decimal arithmetic so that e.g. low=0, high=1, step=0.1 is recognised as exact.
    d_low, d_high, d_step = (decimal.Decimal(str(v)) for v in (low, high, step))
    span = d_high - d_low
    if span % d_step == 0:
        return high
    adjusted = float((span // d_step) * d_step + d_low)
    warnings.warn(f"The range [{low}, {high}] is not divisible by step={step}; high is lowered to {adjusted}.")
    return adjusted


class FloatDistribution(BaseDistribution):
    """Floats in ``[low, high]``; on a log scale with ``log=True``, or on a grid ``low + k*step``."""

    def __init__(self, low: float, high: float, log: bool = False, step: float | None = None) -> None:
        if log and step is not None:
            raise ValueError("The parameter `step` is not supported when `log` is true.")
        if low > high:
            raise ValueError(f"`low <= high` must hold, but got (low, high)=({low}, {high}).")
        if log and low <= 0.0:
            raise ValueError(f"`low > 0` must hold for a log distribution, but got low={low}.")
        if step is not None and step <= 0:
            raise ValueError(f"`step > 0` must hold, but got step={step}.")
        self.step = None if step is None else float(step)
        if step is not None:
            high = _adjusted_float_high(low, high, step)
        self.low = float(low)
        self.high = float(high)
        self.log = bool(log)

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"type": "float", "low": self.low, "high": self.high}
        if self.log:
            wire["log"] = True
        if self.step is not None:
            wire["step"] = self.step
        return wire

    def single(self) -> bool:
        if self.step is None:
            return self.low == self.high
        if self.low == self.high:
            return True
        return (decimal.Decimal(str(self.high)) - decimal.Decimal(str(self.low))) < decimal.Decimal(str(self.step))

    def _contains(self, param_value_in_internal_repr: float) -> bool:
        v = param_value_in_internal_repr
        if not self.low <= v <= self.high:
            return False
        if self.step is None:
            return True
        k = (v - self.low) / self.step
        return abs(k - round(k)) < 1.0e-8

    def to_internal_repr(self, param_value_in_external_repr: Any) -> float:
        try:
            value = float(param_value_in_external_repr)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{param_value_in_external_repr!r} is not a float-castable value.") from e
        if math.isnan(value):
            raise ValueError(f"{param_value_in_external_repr!r} is not a valid parameter value.")
        if self.log and value <= 0.0:
            raise ValueError(f"{param_value_in_external_repr!r} is not positive, as a log distribution needs.")
        return value

    def to_external_repr(self, param_value_in_internal_repr: float) -> float:
        return float(param_value_in_internal_repr)


class IntDistribution(BaseDistribution):
    """Integers in ``[low, high]`` on the grid ``low + k*step``; on a log scale with ``log=True`` (step 1)."""

    def __init__(self, low: int, high: int, log: bool = False, step: int = 1) -> None:
        if log and step != 1:
            raise ValueError("Samplers and other components in Optuna only accept step is 1 when `log` argument is True.")
        if low > high:
            raise ValueError(f"`low <= high` must hold, but got (low, high)=({low}, {high}).")
        if log and low < 1:
            raise ValueError(f"`low >= 1` must hold for a log distribution, but got low={low}.")
        if step <= 0:
            raise ValueError(f"`step > 0` must hold, but got step={step}.")
        self.log = bool(log)
        self.step = int(step)
        self.low = int(low)
        high = int(high)
        if (high - self.low) % self.step != 0:
            adjusted = (high - self.low) // self.step * self.step + self.low
            warnings.warn(
                f"The range [{low}, {high}] is not divisible by step={step}; high is lowered to {adjusted}.")
            high = adjusted
        self.high = high

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"type": "int", "low": self.low, "high": self.high}
        if self.log:
            wire["log"] = True
        if self.step != 1:
            wire["step"] = self.step
        return wire

    def single(self) -> bool:
        return self.low == self.high or self.high - self.low < self.step

    def _contains(self, param_value_in_internal_repr: float) -> bool:
        v = param_value_in_internal_repr
        return self.low <= v <= self.high and (v - self.low) % self.step == 0

    def to_internal_repr(self, param_value_in_external_repr: Any) -> float:
        try:
            value = float(param_value_in_external_repr)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{param_value_in_external_repr!r} is not an int-castable value.") from e
        if math.isnan(value):
            raise ValueError(f"{param_value_in_external_repr!r} is not a valid parameter value.")
        if self.log and value <= 0.0:
            raise ValueError(f"{param_value_in_external_repr!r} is not positive, as a log distribution needs.")
        return value

    def to_external_repr(self, param_value_in_internal_repr: float) -> int:
        return int(param_value_in_internal_repr)


class CategoricalDistribution(BaseDistribution):
    """One of ``choices`` (None, booleans, numbers or strings); the internal form is the choice's index."""

    def __init__(self, choices: Sequence[CategoricalChoiceType]) -> None:
        if len(choices) == 0:
            raise ValueError("The `choices` must contain one or more elements.")
        for choice in choices:
            if choice is not None and not isinstance(choice, (bool, int, float, str)):
                warnings.warn(
                    f"Choices for a categorical distribution should be a tuple of None, bool, int, float and "
                    f"str for persistent storage, but contain {choice!r} of type {type(choice).__name__}.")
        self.choices = tuple(choices)

    def to_wire(self) -> dict[str, Any]:
        return {"type": "categorical", "choices": list(self.choices)}

    def single(self) -> bool:
        return len(self.choices) == 1

    def _contains(self, param_value_in_internal_repr: float) -> bool:
        index = int(param_value_in_internal_repr)
        return 0 <= index < len(self.choices)

    def index_of(self, value: Any) -> int:
        """The index of ``value`` among the choices (NaN matches NaN; a bool never matches a number)."""
        for i, choice in enumerate(self.choices):
            if isinstance(choice, bool) != isinstance(value, bool):
                continue
            if choice == value and (choice is None) == (value is None):
                return i
            if isinstance(choice, float) and isinstance(value, float) and math.isnan(choice) and math.isnan(value):
                return i
        raise ValueError(f"{value!r} is not among the choices {self.choices!r}.")

    def to_internal_repr(self, param_value_in_external_repr: Any) -> float:
        return float(self.index_of(param_value_in_external_repr))

    def to_external_repr(self, param_value_in_internal_repr: float) -> Any:
        return self.choices[int(param_value_in_internal_repr)]

    def __hash__(self) -> int:
        return hash(("CategoricalDistribution", tuple(repr(c) for c in self.choices)))


# Optuna's deprecated classes, kept so old scripts still run; each is the modern class with fixed options.
class UniformDistribution(FloatDistribution):
    """Optuna's deprecated ``UniformDistribution``: a :class:`FloatDistribution`."""

    def __init__(self, low: float, high: float) -> None:
        super().__init__(low, high)


class LogUniformDistribution(FloatDistribution):
    """Optuna's deprecated ``LogUniformDistribution``: a log :class:`FloatDistribution`."""

    def __init__(self, low: float, high: float) -> None:
        super().__init__(low, high, log=True)


class DiscreteUniformDistribution(FloatDistribution):
    """Optuna's deprecated ``DiscreteUniformDistribution``: a stepped :class:`FloatDistribution`."""

    def __init__(self, low: float, high: float, q: float) -> None:
        super().__init__(low, high, step=q)


class IntUniformDistribution(IntDistribution):
    """Optuna's deprecated ``IntUniformDistribution``: an :class:`IntDistribution`."""

    def __init__(self, low: int, high: int, step: int = 1) -> None:
        super().__init__(low, high, step=step)


class IntLogUniformDistribution(IntDistribution):
    """Optuna's deprecated ``IntLogUniformDistribution``: a log :class:`IntDistribution`."""

    def __init__(self, low: int, high: int, step: int = 1) -> None:
        super().__init__(low, high, log=True, step=step)


_OPTUNA_NAMES = {
    "FloatDistribution": lambda a: FloatDistribution(a["low"], a["high"], a.get("log", False), a.get("step")),
    "IntDistribution": lambda a: IntDistribution(a["low"], a["high"], a.get("log", False), a.get("step", 1)),
    "CategoricalDistribution": lambda a: CategoricalDistribution(a["choices"]),
    "UniformDistribution": lambda a: FloatDistribution(a["low"], a["high"]),
    "LogUniformDistribution": lambda a: FloatDistribution(a["low"], a["high"], log=True),
    "DiscreteUniformDistribution": lambda a: FloatDistribution(a["low"], a["high"], step=a["q"]),
    "IntUniformDistribution": lambda a: IntDistribution(a["low"], a["high"], step=a.get("step", 1)),
    "IntLogUniformDistribution": lambda a: IntDistribution(a["low"], a["high"], log=True, step=a.get("step", 1)),
}


def from_wire(obj: dict[str, Any]) -> BaseDistribution:
    """A distribution from the protocol's form (``{"type": ...}``) or Optuna's (``{"name", "attributes"}``)."""
    with warnings.catch_warnings():
        # A stored distribution has already been adjusted; re-adjusting it must not warn.
        warnings.simplefilter("ignore")
        kind = obj.get("type")
        if kind == "float":
            return FloatDistribution(obj["low"], obj["high"], bool(obj.get("log", False)), obj.get("step"))
        if kind == "int":
            return IntDistribution(obj["low"], obj["high"], bool(obj.get("log", False)), obj.get("step") or 1)
        if kind == "categorical":
            return CategoricalDistribution(obj["choices"])
        name = obj.get("name")
        if name in _OPTUNA_NAMES:
            return _OPTUNA_NAMES[name](obj.get("attributes", {}))
    raise ValueError(f"unknown distribution {obj!r}")


def distribution_to_json(dist: BaseDistribution) -> str:
    """Optuna's JSON text for a distribution: ``{"name": "FloatDistribution", "attributes": {...}}``."""
    if isinstance(dist, CategoricalDistribution):
        name, attributes = "CategoricalDistribution", {"choices": list(dist.choices)}
    elif isinstance(dist, (FloatDistribution, IntDistribution)):
        name = "FloatDistribution" if isinstance(dist, FloatDistribution) else "IntDistribution"
        attributes = {"log": dist.log, "step": dist.step, "low": dist.low, "high": dist.high}
    else:
        raise TypeError(f"not a distribution: {dist!r}")
    return json.dumps({"name": name, "attributes": attributes})


def json_to_distribution(json_str: str) -> BaseDistribution:
    """A distribution from Optuna's JSON text (or the protocol's)."""
    return from_wire(json.loads(json_str))


def check_distribution_compatibility(dist_old: BaseDistribution, dist_new: BaseDistribution) -> None:
    """Raises ValueError when one parameter name would be used with incompatible distributions.

    The kind, the log setting and, for categorical, the choices must stay the same; ranges may change.
    """
    if dist_old.to_wire()["type"] != dist_new.to_wire()["type"]:
        raise ValueError("Cannot set different distribution kind to the same parameter name.")
    if isinstance(dist_old, (FloatDistribution, IntDistribution)) and dist_old.log != dist_new.log:  # type: ignore
        raise ValueError("Cannot set different log configuration to the same parameter name.")
    if isinstance(dist_old, CategoricalDistribution) and dist_old.choices != dist_new.choices:  # type: ignore
        raise ValueError(
            f"{CategoricalDistribution.__name__} does not support dynamic value space.")


__all__ = [
    "BaseDistribution", "FloatDistribution", "IntDistribution", "CategoricalDistribution", "CategoricalChoiceType",
    "UniformDistribution", "LogUniformDistribution", "DiscreteUniformDistribution", "IntUniformDistribution",
    "IntLogUniformDistribution", "from_wire", "distribution_to_json", "json_to_distribution",
    "check_distribution_compatibility",
]
