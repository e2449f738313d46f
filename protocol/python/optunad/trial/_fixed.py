"""A trial whose parameters are given up front, for calling an objective without a daemon (unit tests)."""

from __future__ import annotations

import datetime
import warnings
from typing import Any

from ..distributions import BaseDistribution
from ._base import BaseTrial, check_constraint_value


class FixedTrial(BaseTrial):
    """Suggests the values of ``params``: ``objective(FixedTrial({"x": 1.0, "y": -1}))``.

    Suggesting a name not in ``params`` raises ValueError; a value outside the suggested distribution
    is returned anyway, with a warning.  ``report`` does nothing and ``should_prune`` is False.
    """

    def __init__(self, params: dict[str, Any], number: int = 0) -> None:
        self._params = params
        self._suggested_params: dict[str, Any] = {}
        self._distributions: dict[str, BaseDistribution] = {}
        self._user_attrs: dict[str, Any] = {}
        self._system_attrs: dict[str, Any] = {}
        self._constraints: dict[str, float] = {}
        self._datetime_start = datetime.datetime.now()
        self._number = number

    def _suggest(self, name: str, distribution: BaseDistribution) -> Any:
        if name not in self._params:
            raise ValueError(
                f"The value of the parameter '{name}' is not found. "
                "Please set it at the construction of the FixedTrial object.")
        value = self._params[name]
        if not distribution._contains(distribution.to_internal_repr(value)):
            warnings.warn(f"The value {value} of the parameter '{name}' is out of the range of {distribution}.")
        self._suggested_params[name] = value
        self._distributions[name] = distribution
        return value

    def report(self, value: float, step: int) -> None:
        """Does nothing."""

    def should_prune(self) -> bool:
        """Always False."""
        return False

    def set_user_attr(self, key: str, value: Any) -> None:
        """Sets a user attribute (kept in this object)."""
        self._user_attrs[key] = value

    def set_constraint(self, key: str, value: float) -> None:
        """Sets a constraint value (kept in this object)."""
        value = check_constraint_value(key, value)
        if key in self._constraints:
            warnings.warn(f"The constraint value is ignored because this constraint key={key!r} is already set.")
            return
        self._constraints[key] = value

    @property
    def params(self) -> dict[str, Any]:
        """The parameters suggested so far."""
        return self._suggested_params

    @property
    def distributions(self) -> dict[str, BaseDistribution]:
        """The distributions suggested so far."""
        return self._distributions

    @property
    def user_attrs(self) -> dict[str, Any]:
        """User attributes set so far."""
        return self._user_attrs

    @property
    def system_attrs(self) -> dict[str, Any]:
        """Always empty."""
        return self._system_attrs

    @property
    def constraints(self) -> dict[str, float]:
        """Constraint values set so far."""
        return dict(self._constraints)

    @property
    def datetime_start(self) -> datetime.datetime:
        """When the object was made."""
        return self._datetime_start

    @property
    def number(self) -> int:
        """The number given to the constructor."""
        return self._number
