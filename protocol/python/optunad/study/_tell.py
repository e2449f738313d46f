"""``Study.tell`` with Optuna's rules, checked here before one ``tell`` request is sent.

Optuna's rules that the client applies (so that ``optimize`` and ``tell`` behave as in Optuna):
without a state, a value that is not a number, NaN, or the wrong number of values makes the trial
FAIL (with a warning) instead of being refused; with ``state=COMPLETE`` such values are a ValueError;
PRUNED and FAIL take no values.  Constraints, from the sampler's ``constraints_func`` (called with the
trial as it is before the tell) and from ``Trial.set_constraint``, go with the same request.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..exceptions import TrialNotFound
from ..trial import FrozenTrial, Trial, TrialState

if TYPE_CHECKING:
    from ._study import Study


def _resolve(study: Study, trial: Any) -> tuple[int, Trial | None]:
    if isinstance(trial, Trial):
        return trial._trial_id, trial
    if isinstance(trial, FrozenTrial):
        return trial._trial_id, None
    if isinstance(trial, int) and not isinstance(trial, bool):
        trial_id = study._trial_id_for_number(trial)
        if trial_id is None:
            raise ValueError(f"Cannot tell for trial with number {trial} since it has not been created.")
        return trial_id, study._live_trials.get(trial_id)
    raise TypeError("Trial must be a trial object or trial number.")


def values_problem(study: Study, values: Sequence[Any]) -> str | None:
    """Why ``values`` cannot complete a trial of ``study`` (Optuna's wording), or None."""
    errors = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            errors.append(f"The value {v!r} could not be cast to float")
            continue
        if math.isnan(f):
            errors.append(f"The value {v} is not acceptable")
    if errors:
        return "; ".join(errors)
    if len(values) != len(study.directions):
        return (f"The number of the values {len(values)} did not match the number of the objectives "
                f"{len(study.directions)}")
    return None


def _constraints(study: Study, trial_id: int, live: Trial | None) -> tuple[list[float] | None, Exception | None]:
    values: list[float] = []
    error: Exception | None = None
    func = getattr(study.sampler, "constraints_func", None)
    if func is not None:
        snapshot = FrozenTrial.from_wire(study._client.call("get_trial", {"trial_id": trial_id}))
        try:
            computed = [float(c) for c in func(snapshot)]
            if any(math.isnan(c) for c in computed):
                raise ValueError("Constraint values cannot be NaN.")
            values.extend(computed)
        except Exception as e:  # the tell goes ahead without constraints, then the error is raised (as Optuna)
            error = e
    if live is not None:
        values.extend(live._constraints.values())
    return (values or None), error


def tell(study: Study, trial: Any, values: Any = None, state: TrialState | None = None,
         skip_if_finished: bool = False, *, quiet: bool = False) -> tuple[FrozenTrial, str | None]:
    """Tells the daemon a trial's result; returns the finished trial and, when values made it FAIL, why.

    ``quiet`` (used by ``optimize``) logs instead of warning about values that make the trial FAIL.
    """
    trial_id, live = _resolve(study, trial)
    if values is None:
        listed = None
    elif isinstance(values, Sequence) and not isinstance(values, str):
        listed = list(values)
    else:
        listed = [values]

    if state is not None:
        state = TrialState(state)
    if state == TrialState.COMPLETE:
        if listed is None:
            raise ValueError("No values were told. Values are required when state is TrialState.COMPLETE.")
        problem = values_problem(study, listed)
        if problem is not None:
            raise ValueError(problem)
    elif state in (TrialState.PRUNED, TrialState.FAIL):
        if listed is not None:
            raise ValueError("Values were told. Values cannot be specified when state is TrialState.PRUNED or "
                             "TrialState.FAIL.")
    elif state is not None:
        raise ValueError(f"Cannot tell with state {state}.")

    problem = None
    if state is None:
        problem = "The value None could not be cast to float." if listed is None else values_problem(study, listed)
        if problem is None:
            state = TrialState.COMPLETE
        else:
            state, listed = TrialState.FAIL, None
            if not quiet:
                warnings.warn(problem)

    params: dict[str, Any] = {"trial_id": trial_id, "state": state.name}
    if listed is not None:
        params["values"] = [float(v) for v in listed]
    if skip_if_finished:
        params["skip_if_finished"] = True
    constraint_error: Exception | None = None
    if state in (TrialState.COMPLETE, TrialState.PRUNED):
        try:
            constraints, constraint_error = _constraints(study, trial_id, live)
        except TrialNotFound:
            constraints = None
        if constraints is not None:
            params["constraints"] = constraints
    result = study._client.call("tell", params)
    study._forget(trial_id)
    if constraint_error is not None:
        raise constraint_error
    return FrozenTrial.from_wire(result), problem
