"""A study in the daemon, with Optuna's ``Study`` API."""

from __future__ import annotations

import copy
import threading
from typing import Any, Callable, Container, Iterable, Sequence

from .._client import Client, shared_client
from ..distributions import BaseDistribution
from ..logging import get_logger
from ..pruners import pruner_from_spec
from ..samplers import sampler_from_spec
from ..trial import FrozenTrial, Trial, TrialState
from . import _tell
from ._direction import StudyDirection
from ._heartbeat import heartbeat_interval

_logger = get_logger(__name__)

ObjectiveFuncType = Callable[[Trial], "float | Sequence[float]"]


class Study:
    """A study: a name in the daemon, its directions, sampler and pruner, and its trials.

    Made by :func:`optunad.create_study` and :func:`optunad.load_study`.  Every property that reads
    trials (``trials``, ``best_trial``, …) asks the daemon, so several processes can work on one study.
    A study pickles as its name and socket path.
    """

    def __init__(self, study_name: str, *, client: Client, sampler: Any = None, pruner: Any = None,
                 info: dict[str, Any] | None = None) -> None:
        self._client = client
        self._live_trials: dict[int, Trial] = {}
        self._numbers: dict[int, int] = {}
        self._lock = threading.Lock()
        self._thread_local = threading.local()
        self._stop_flag = False
        self._heartbeat_supported = True
        self._given_sampler = sampler
        self._given_pruner = pruner
        self._apply_info(info if info is not None else client.call("get_study", {"study_name": study_name}))

    def _apply_info(self, info: dict[str, Any]) -> None:
        self.study_name: str = info["study_name"]
        self._study_id = info.get("study_id")
        self._directions = [StudyDirection[d.upper()] for d in info["directions"]]
        self.sampler = self._given_sampler if self._given_sampler is not None else sampler_from_spec(info["sampler"])
        self.pruner = self._given_pruner if self._given_pruner is not None else pruner_from_spec(info["pruner"])
        self._heartbeat_interval = heartbeat_interval(info)

    def _info(self) -> dict[str, Any]:
        info = self._client.call("get_study", {"study_name": self.study_name})
        self._heartbeat_interval = heartbeat_interval(info)
        return info

    # -- pickling: a study is a handle on the daemon's study -----------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        return {"study_name": self.study_name, "socket": self._client.socket_path,
                "sampler": self._given_sampler, "pruner": self._given_pruner}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["study_name"], client=shared_client(state["socket"]),  # type: ignore[misc]
                      sampler=state["sampler"], pruner=state["pruner"])

    # -- directions ----------------------------------------------------------------------------------

    def _is_multi_objective(self) -> bool:
        return len(self._directions) > 1

    @property
    def directions(self) -> list[StudyDirection]:
        """The directions of the objectives."""
        return list(self._directions)

    @property
    def direction(self) -> StudyDirection:
        """The direction of a single-objective study (RuntimeError for several objectives)."""
        if self._is_multi_objective():
            raise RuntimeError("A single direction cannot be retrieved from a multi-objective study. Consider "
                               "using Study.directions to retrieve a list containing all directions.")
        return self._directions[0]

    @property
    def metric_names(self) -> list[str] | None:
        """Always None: metric names are not stored by optunad."""
        return None

    # -- trials --------------------------------------------------------------------------------------

    def get_trials(self, deepcopy: bool = True, states: Container[TrialState] | None = None) -> list[FrozenTrial]:
        """The study's trials in number order, optionally only those in ``states``."""
        params: dict[str, Any] = {"study_name": self.study_name}
        if states is not None:
            params["states"] = [s.name for s in TrialState if s in states]
        return [FrozenTrial.from_wire(t) for t in self._client.call("get_trials", params)]

    @property
    def trials(self) -> list[FrozenTrial]:
        """All trials in number order."""
        return self.get_trials()

    @property
    def best_trial(self) -> FrozenTrial:
        """The best COMPLETE (and feasible) trial.

        Raises:
            RuntimeError: for a multi-objective study.
            ValueError: (``NoCompletedTrials``) when no trial is COMPLETE and feasible.
        """
        if self._is_multi_objective():
            raise RuntimeError("A single best trial cannot be retrieved from a multi-objective study. Consider "
                               "using Study.best_trials to retrieve a list containing the best trials.")
        return FrozenTrial.from_wire(self._client.call("best_trial", {"study_name": self.study_name}))

    @property
    def best_trials(self) -> list[FrozenTrial]:
        """The Pareto front of the COMPLETE feasible trials, in number order."""
        return [FrozenTrial.from_wire(t) for t in self._client.call("best_trials", {"study_name": self.study_name})]

    @property
    def best_value(self) -> float:
        """The best trial's value."""
        value = self.best_trial.value
        assert value is not None
        return value

    @property
    def best_params(self) -> dict[str, Any]:
        """The best trial's parameters."""
        return self.best_trial.params

    # -- attributes ----------------------------------------------------------------------------------

    @property
    def user_attrs(self) -> dict[str, Any]:
        """The study's user attributes."""
        return dict(self._info().get("user_attrs") or {})

    @property
    def system_attrs(self) -> dict[str, Any]:
        """The study's system attributes (sampler and pruner specs, set by the daemon)."""
        return dict(self._info().get("system_attrs") or {})

    def set_user_attr(self, key: str, value: Any) -> None:
        """Stores a user attribute (any JSON value) with the study."""
        self._client.call("set_study_user_attr", {"study_name": self.study_name, "key": key, "value": value})

    # -- ask and tell --------------------------------------------------------------------------------

    def ask(self, fixed_distributions: dict[str, BaseDistribution] | None = None) -> Trial:
        """Starts a trial (a queued one first); ``fixed_distributions`` are sampled at once, in one request."""
        params: dict[str, Any] = {"study_name": self.study_name}
        if fixed_distributions:
            params["search_space"] = {name: d.to_wire() for name, d in fixed_distributions.items()}
        result = self._client.call("ask", params)
        trial = Trial(self, int(result["trial_id"]), int(result["number"]))
        for name, d in (fixed_distributions or {}).items():
            if name in result.get("params", {}):
                trial._record(name, d, result["params"][name])
        with self._lock:
            self._live_trials[trial._trial_id] = trial
            self._numbers[trial.number] = trial._trial_id
        return trial

    def _trial_id_for_number(self, number: int) -> int | None:
        with self._lock:
            if number in self._numbers:
                return self._numbers[number]
        for t in self._client.call("get_trials", {"study_name": self.study_name, "offset": max(number, 0),
                                                  "limit": 1}):
            if t["number"] == number:
                return int(t["trial_id"])
        return None

    def _forget(self, trial_id: int) -> None:
        with self._lock:
            trial = self._live_trials.pop(trial_id, None)
            if trial is not None:
                self._numbers.pop(trial.number, None)

    def tell(self, trial: Trial | int, values: float | Sequence[float] | None = None,
             state: TrialState | None = None, skip_if_finished: bool = False) -> FrozenTrial:
        """Finishes a trial (a :class:`Trial` or its number) with Optuna's rules; returns the finished trial.

        Without ``state``, values that are not numbers, NaN or the wrong count make the trial FAIL
        with a warning.  ``state=TrialState.PRUNED`` takes the last reported value.
        """
        frozen, _ = _tell.tell(self, trial, values, state, skip_if_finished)
        return frozen

    def enqueue_trial(self, params: dict[str, Any], user_attrs: dict[str, Any] | None = None,
                      skip_if_exists: bool = False) -> None:
        """Queues a trial with fixed parameters; the next ``ask`` (or ``optimize`` trial) takes it."""
        request: dict[str, Any] = {"study_name": self.study_name, "params": params}
        if user_attrs:
            request["user_attrs"] = user_attrs
        if skip_if_exists:
            request["skip_if_exists"] = True
        self._client.call("enqueue_trial", request)

    def add_trial(self, trial: FrozenTrial) -> None:
        """Adds a finished trial by replaying it: enqueue its parameters, ask, report, tell.

        Its parameters, user attributes, intermediate values, state and values are kept; its times and
        number are new.
        """
        self.enqueue_trial(trial.params, user_attrs=trial.user_attrs or None)
        live = self.ask(trial.distributions)
        if not self._is_multi_objective():
            for step, value in sorted(trial.intermediate_values.items()):
                self._client.call("report", {"trial_id": live._trial_id, "step": step, "value": value})
        values = trial.values if trial.state == TrialState.COMPLETE else None
        for key, value in trial.constraints.items():
            live.set_constraint(key, value)
        self.tell(live, values, state=trial.state)

    def add_trials(self, trials: Iterable[FrozenTrial]) -> None:
        """:meth:`add_trial` for each trial."""
        for trial in trials:
            self.add_trial(trial)

    # -- optimize ------------------------------------------------------------------------------------

    def optimize(self, func: ObjectiveFuncType, n_trials: int | None = None, timeout: float | None = None,
                 n_jobs: int = 1, catch: Iterable[type[Exception]] | type[Exception] = (),
                 callbacks: Iterable[Callable[[Study, FrozenTrial], None]] | None = None,
                 gc_after_trial: bool = False, show_progress_bar: bool = False) -> None:
        """Runs trials of ``func`` until ``n_trials`` are done, ``timeout`` seconds have passed, or ``stop()``.

        As Optuna: an exception in ``func`` fails the trial and is raised again unless its type is in
        ``catch``; a NaN result fails the trial and the study goes on; ``TrialPruned`` prunes the trial;
        each callback gets ``(study, frozen_trial)`` after each trial; ``n_jobs`` runs objectives in that
        many threads (-1: one per CPU).
        """
        from ._optimize import optimize

        optimize(self, func, n_trials=n_trials, timeout=timeout, n_jobs=n_jobs, catch=catch, callbacks=callbacks,
                 gc_after_trial=gc_after_trial, show_progress_bar=show_progress_bar)

    def stop(self) -> None:
        """Stops ``optimize`` after the running trials (call it from an objective or a callback)."""
        if not getattr(self._thread_local, "in_optimize_loop", False):
            raise RuntimeError("`Study.stop` is supposed to be invoked inside an objective function or a callback.")
        self._stop_flag = True

    def trials_dataframe(self, attrs: tuple[str, ...] = ("number", "value", "datetime_start", "datetime_complete",
                                                         "duration", "params", "user_attrs", "system_attrs",
                                                         "state"),
                         multi_index: bool = False) -> Any:
        """The trials as a pandas DataFrame, with Optuna's columns (needs pandas)."""
        from ._dataframe import trials_dataframe

        return trials_dataframe(self, attrs, multi_index)

    def __deepcopy__(self, memo: dict[int, Any]) -> Study:
        return copy.copy(self)

    def __repr__(self) -> str:
        return f"Study(study_name={self.study_name!r}, socket={self._client.socket_path!r})"
