"""A finished (or snapshotted) trial, as the daemon reports it."""

from __future__ import annotations

import copy
import datetime
import math
import re
import warnings
from typing import Any, Sequence

from .. import _json
from ..distributions import BaseDistribution, from_wire
from ._base import BaseTrial, check_constraint_value
from ._state import TrialState

_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$")


def parse_datetime(text: str | None) -> datetime.datetime | None:
    """An ISO 8601 UTC time from the daemon, as a naive local datetime (what Optuna's trials carry)."""
    if not text:
        return None
    match = _ISO.match(text)
    if match is None:
        return None
    base, fraction, zone = match.groups()
    moment = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S")
    if fraction:
        moment = moment.replace(microsecond=int((fraction + "000000")[:6]))
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        moment = moment.replace(tzinfo=datetime.timezone(sign * offset))
    else:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone().replace(tzinfo=None)


def constraints_dict(values: Sequence[float] | None) -> dict[str, float]:
    """The protocol's constraint list as Optuna's ``{"0": c0, "1": c1, ...}``."""
    return {} if values is None else {str(i): float(v) for i, v in enumerate(values)}


class FrozenTrial(BaseTrial):
    """A trial's state and results: number, state, values, params, distributions, attributes.

    Built by the client from the daemon's trial objects (``study.trials``, ``study.best_trial``, the
    argument of ``optimize`` callbacks), or by hand with Optuna's constructor.  It also works as an
    objective's argument: ``suggest_*`` return the stored parameters.
    """

    def __init__(self, number: int, state: TrialState, value: float | None,
                 datetime_start: datetime.datetime | None, datetime_complete: datetime.datetime | None,
                 params: dict[str, Any], distributions: dict[str, BaseDistribution], user_attrs: dict[str, Any],
                 system_attrs: dict[str, Any], intermediate_values: dict[int, float], trial_id: int, *,
                 values: Sequence[float] | None = None) -> None:
        if value is not None and values is not None:
            raise ValueError("Specify only one of `value` and `values`.")
        self.number = number
        self.state = state
        self._values: list[float] | None = (
            [float(value)] if value is not None else None if values is None else [float(v) for v in values])
        self.datetime_start = datetime_start
        self.datetime_complete = datetime_complete
        self._params = dict(params)
        self._distributions = dict(distributions)
        self._user_attrs = dict(user_attrs)
        self._system_attrs = dict(system_attrs)
        self.intermediate_values = dict(intermediate_values)
        self._trial_id = trial_id
        self._constraints: dict[str, float] = {}
        legacy = self._system_attrs.get("constraints")
        if isinstance(legacy, (list, tuple)):
            self._constraints.update(constraints_dict(legacy))
        for key, v in self._system_attrs.items():
            if key.startswith("constraints:"):
                self._constraints[key[len("constraints:"):]] = v

    @classmethod
    def from_wire(cls, obj: dict[str, Any]) -> FrozenTrial:
        """A trial from the protocol's trial object."""
        distributions = {name: from_wire(d) for name, d in (obj.get("distributions") or {}).items()}
        params = dict(obj.get("params") or {})
        system_attrs = dict(obj.get("system_attrs") or {})
        constraints = _json.to_floats(obj.get("constraints"))
        if constraints is not None and "constraints" not in system_attrs:
            system_attrs["constraints"] = constraints
        intermediate = {int(k): _json.to_float(v) for k, v in (obj.get("intermediate_values") or {}).items()}
        return cls(
            number=int(obj["number"]), state=TrialState.from_wire(obj["state"]), value=None,
            datetime_start=parse_datetime(obj.get("datetime_start")),
            datetime_complete=parse_datetime(obj.get("datetime_complete")),
            params=params, distributions=distributions, user_attrs=dict(obj.get("user_attrs") or {}),
            system_attrs=system_attrs, intermediate_values=intermediate,  # type: ignore[arg-type]
            trial_id=int(obj["trial_id"]), values=_json.to_floats(obj.get("values")))

    # -- Optuna's attributes -------------------------------------------------------------------------

    @property
    def trial_id(self) -> int:
        """The daemon's id of the trial (unique across studies)."""
        return self._trial_id

    @property
    def value(self) -> float | None:
        """The single objective value (None when not COMPLETE); RuntimeError for multi-objective trials."""
        if self._values is None:
            return None
        if len(self._values) > 1:
            raise RuntimeError("This attribute is not available during multi-objective optimization.")
        return self._values[0]

    @value.setter
    def value(self, v: float | None) -> None:
        self._values = None if v is None else [float(v)]

    @property
    def values(self) -> list[float] | None:
        """The objective values (None when not COMPLETE and not a pruned trial with a last value)."""
        return None if self._values is None else list(self._values)

    @values.setter
    def values(self, v: Sequence[float] | None) -> None:
        self._values = None if v is None else [float(x) for x in v]

    @property
    def params(self) -> dict[str, Any]:
        """Parameter values, as the objective saw them."""
        return self._params

    @params.setter
    def params(self, params: dict[str, Any]) -> None:
        self._params = params

    @property
    def distributions(self) -> dict[str, BaseDistribution]:
        """The distribution of each parameter."""
        return self._distributions

    @distributions.setter
    def distributions(self, value: dict[str, BaseDistribution]) -> None:
        self._distributions = value

    @property
    def user_attrs(self) -> dict[str, Any]:
        """User attributes."""
        return self._user_attrs

    @user_attrs.setter
    def user_attrs(self, value: dict[str, Any]) -> None:
        self._user_attrs = value

    @property
    def system_attrs(self) -> dict[str, Any]:
        """System attributes (``"constraints"`` holds the constraint list, as in Optuna)."""
        return self._system_attrs

    @system_attrs.setter
    def system_attrs(self, value: dict[str, Any]) -> None:
        self._system_attrs = value

    @property
    def constraints(self) -> dict[str, float]:
        """Constraint values by key (feasible when all are <= 0); list constraints are keyed "0", "1", …."""
        return dict(self._constraints)

    @property
    def duration(self) -> datetime.timedelta | None:
        """Time from start to completion (None while running)."""
        if self.datetime_start and self.datetime_complete:
            return self.datetime_complete - self.datetime_start
        return None

    @property
    def last_step(self) -> int | None:
        """The highest step reported (None if none)."""
        return max(self.intermediate_values) if self.intermediate_values else None

    # -- objective API -------------------------------------------------------------------------------

    def _suggest(self, name: str, distribution: BaseDistribution) -> Any:
        if name not in self._params:
            raise ValueError(f"The value of the parameter '{name}' is not found.")
        value = self._params[name]
        internal = distribution.to_internal_repr(value)
        if not distribution._contains(internal):
            warnings.warn(f"The value {value} of the parameter '{name}' is out of the range of {distribution}.")
        return value

    def report(self, value: float, step: int) -> None:
        """Does nothing: a frozen trial's intermediate values cannot change."""

    def should_prune(self) -> bool:
        """Always False."""
        return False

    def set_user_attr(self, key: str, value: Any) -> None:
        """Sets a user attribute on this object (not in the daemon)."""
        self._user_attrs[key] = value

    def set_constraint(self, key: str, value: float) -> None:
        """Sets a constraint value on this object (not in the daemon); an existing key is kept, with a warning."""
        value = check_constraint_value(key, value)
        if key in self._constraints:
            warnings.warn(f"The constraint value is ignored because this constraint key={key!r} is already set.")
            return
        self._constraints[key] = value
        self._system_attrs[f"constraints:{key}"] = value

    # -- comparisons and display ---------------------------------------------------------------------

    def _key(self) -> tuple[Any, ...]:
        return (self.number, self.state, self._values, self.datetime_start, self.datetime_complete,
                self._params, self._distributions, self._user_attrs, self._system_attrs,
                self.intermediate_values, self._trial_id)

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, FrozenTrial):
            return NotImplemented
        return _nan_safe(self._key()) == _nan_safe(other._key())

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, FrozenTrial):
            return NotImplemented
        return self.number < other.number

    def __le__(self, other: Any) -> bool:
        if not isinstance(other, FrozenTrial):
            return NotImplemented
        return self.number <= other.number

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"FrozenTrial(number={self.number}, state={self.state!r}, values={self._values}, "
                f"datetime_start={self.datetime_start!r}, datetime_complete={self.datetime_complete!r}, "
                f"params={self._params}, user_attrs={self._user_attrs}, system_attrs={self._system_attrs}, "
                f"intermediate_values={self.intermediate_values}, distributions={self._distributions}, "
                f"trial_id={self._trial_id})")

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenTrial:
        clone = copy.copy(self)
        for attr in ("_values", "_params", "_distributions", "_user_attrs", "_system_attrs",
                     "intermediate_values", "_constraints"):
            setattr(clone, attr, copy.deepcopy(getattr(self, attr), memo))
        return clone


def _nan_safe(value: Any) -> Any:
    # NaN != NaN would make a trial unequal to its own copy.
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, (list, tuple)):
        return tuple(_nan_safe(v) for v in value)
    if isinstance(value, dict):
        return {k: _nan_safe(v) for k, v in value.items()}
    return value
