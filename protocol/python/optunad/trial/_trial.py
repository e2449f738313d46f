"""A running trial in the daemon, as an objective sees it."""

from __future__ import annotations

import datetime
import warnings
from typing import TYPE_CHECKING, Any

from ..distributions import BaseDistribution, CategoricalDistribution, FloatDistribution, IntDistribution
from ._base import BaseTrial, check_constraint_value, check_report_arguments
from ._frozen import parse_datetime

if TYPE_CHECKING:
    from ..study import Study


class Trial(BaseTrial):
    """A RUNNING trial: ``suggest_*`` sample in the daemon, ``report`` asks its pruner.

    Made by ``study.ask()`` and by ``study.optimize`` (never directly).  Parameters and reported steps
    are remembered here, so suggesting the same parameter again with the same distribution costs no
    round trip.  Constraints given with :meth:`set_constraint` are kept here and sent with the tell.
    """

    def __init__(self, study: Study, trial_id: int, number: int) -> None:
        self._study = study
        self._trial_id = trial_id
        self._number = number
        self._params: dict[str, Any] = {}
        self._distributions: dict[str, BaseDistribution] = {}
        self._constraints: dict[str, float] = {}
        self._reported: dict[int, float] = {}
        self._prune_hint: bool | None = None
        self._remote: dict[str, Any] | None = None

    # -- define-by-run -------------------------------------------------------------------------------

    def _record(self, name: str, distribution: BaseDistribution, wire_value: Any) -> Any:
        if isinstance(distribution, CategoricalDistribution):
            try:
                value = distribution.choices[distribution.index_of(wire_value)]
            except ValueError:
                value = wire_value
        elif isinstance(distribution, IntDistribution):
            value = int(wire_value)
        elif isinstance(distribution, FloatDistribution):
            value = float(wire_value)
        else:
            value = wire_value
        self._params[name] = value
        self._distributions[name] = distribution
        return value

    def _suggest(self, name: str, distribution: BaseDistribution) -> Any:
        if self._distributions.get(name) == distribution:
            return self._params[name]
        result = self._study._client.call(
            "suggest", {"trial_id": self._trial_id, "name": name, "distribution": distribution.to_wire()})
        return self._record(name, distribution, result["value"])

    # -- pruning -------------------------------------------------------------------------------------

    def report(self, value: float, step: int) -> None:
        """Reports an intermediate value for ``step`` (an integer >= 0) to the daemon.

        The pruner's decision comes back with the report and answers the next :meth:`should_prune`.
        Reporting a step twice keeps the first value (with a warning), as Optuna.

        Raises:
            NotImplementedError: on a multi-objective study.
        """
        if self._study._is_multi_objective():
            raise NotImplementedError("Trial.report is not supported for multi-objective optimization.")
        value, step = check_report_arguments(value, step)
        if step in self._reported:
            warnings.warn(f"The reported value is ignored because this step={step} is already reported.")
            return
        result = self._study._client.call("report", {"trial_id": self._trial_id, "step": step, "value": value})
        self._reported[step] = value
        self._prune_hint = bool(result.get("should_prune", False))

    def should_prune(self) -> bool:
        """Whether the pruner stops this trial now (then raise ``optunad.TrialPruned``).

        The answer to the last :meth:`report` is used once; otherwise the daemon is asked.
        """
        if self._study._is_multi_objective():
            raise NotImplementedError("Trial.should_prune is not supported for multi-objective optimization.")
        if self._prune_hint is not None:
            hint, self._prune_hint = self._prune_hint, None
            return hint
        return bool(self._study._client.call("should_prune", {"trial_id": self._trial_id})["should_prune"])

    # -- attributes ----------------------------------------------------------------------------------

    def set_user_attr(self, key: str, value: Any) -> None:
        """Stores a user attribute (any JSON value) with the trial in the daemon."""
        self._study._client.call("set_trial_user_attr", {"trial_id": self._trial_id, "key": key, "value": value})
        if self._remote is not None:
            self._remote.setdefault("user_attrs", {})[key] = value

    def set_constraint(self, key: str, value: float) -> None:
        """Sets a constraint value (feasible when all are <= 0); sent to the daemon when the trial is told.

        Setting a key twice keeps the first value, with a warning, as Optuna.
        """
        value = check_constraint_value(key, value)
        if key in self._constraints:
            warnings.warn(f"The constraint value is ignored because this constraint key={key!r} is already set.")
            return
        self._constraints[key] = value

    def _fetch(self) -> dict[str, Any]:
        if self._remote is None:
            self._remote = self._study._client.call("get_trial", {"trial_id": self._trial_id})
        return self._remote

    @property
    def study(self) -> Study:
        """The study this trial belongs to."""
        return self._study

    @property
    def number(self) -> int:
        """The trial's number in its study (0, 1, 2, …)."""
        return self._number

    @property
    def trial_id(self) -> int:
        """The daemon's id of the trial."""
        return self._trial_id

    @property
    def params(self) -> dict[str, Any]:
        """The parameters suggested so far."""
        return dict(self._params)

    @property
    def distributions(self) -> dict[str, BaseDistribution]:
        """The distributions of the parameters suggested so far."""
        return dict(self._distributions)

    @property
    def relative_params(self) -> dict[str, Any]:
        """Always empty: joint sampling happens in the daemon."""
        return {}

    @property
    def user_attrs(self) -> dict[str, Any]:
        """User attributes (read from the daemon once, then kept up to date by :meth:`set_user_attr`)."""
        return dict(self._fetch().get("user_attrs") or {})

    @property
    def system_attrs(self) -> dict[str, Any]:
        """System attributes, as the daemon has them."""
        return dict(self._fetch().get("system_attrs") or {})

    @property
    def constraints(self) -> dict[str, float]:
        """The constraint values set with :meth:`set_constraint`."""
        return dict(self._constraints)

    @property
    def datetime_start(self) -> datetime.datetime | None:
        """When the trial started."""
        return parse_datetime(self._fetch().get("datetime_start"))

    def __repr__(self) -> str:
        return f"Trial(number={self._number}, trial_id={self._trial_id}, params={self._params})"
