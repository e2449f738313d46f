"""Module-level study functions with Optuna's signatures, plus ``socket=``."""

from __future__ import annotations

import os
from typing import Any, Sequence

from .._client import Client, shared_client
from .._spec import ComponentSpec
from ..exceptions import StudyNotFound
from ..logging import get_logger
from ..storages import BaseStorage, RetryFailedTrialCallback
from ._direction import StudyDirection, direction_name
from ._study import Study
from ._summary import StudySummary

_logger = get_logger(__name__)



def _note_storage(storage: Any) -> None:
    if storage is not None:
        _logger.info(f"storage={storage!r} is ignored: optunad keeps studies in its own storage (optunad --storage).")


def _spec(component: Any, what: str) -> Any:
    if isinstance(component, ComponentSpec):
        return component.to_spec()
    if isinstance(component, (str, dict)):
        return component
    module = type(component).__module__
    hint = f"; use optunad.{what}s.{type(component).__name__}" if module.startswith("optuna.") else ""
    raise TypeError(f"{what} must be an optunad.{what}s object, a type name or a spec dict, "
                    f"got {type(component).__name__}{hint}")


def create_study(*, storage: Any = None, sampler: Any = None, pruner: Any = None, study_name: str | None = None,
                 direction: str | StudyDirection | None = None, load_if_exists: bool = False,
                 directions: Sequence[str | StudyDirection] | None = None,
                 socket: str | os.PathLike[str] | Client | None = None, heartbeat_interval: float | None = None,
                 grace_period: float | None = None, retry: Any = None, max_trials: int | None = None,
                 max_running: int | None = None, shared: bool | None = None) -> Study:
    """Creates a study in the daemon (or loads it with ``load_if_exists=True``).

    Args:
        storage: accepted for Optuna scripts and ignored (the daemon owns storage).
        sampler: an ``optunad.samplers`` object (or a type name / spec dict); default: the daemon's.
        pruner: an ``optunad.pruners`` object (or a type name / spec dict); default: the daemon's.
        study_name: the name; default: a unique ``no-name-<uuid>``.
        direction: ``"minimize"`` (default) or ``"maximize"``; or ``directions`` for several objectives.
        load_if_exists: return the existing study of that name (its stored settings win) instead of
            raising :class:`~optunad.exceptions.DuplicatedStudyError`.
        socket: the daemon's socket path (or a :class:`~optunad.Client`); default ``$OPTUNAD_SOCKET``,
            then the daemon's default paths.

    optunad's study options (sent only when given; an ``RDBStorage`` storage argument gives the first three):
        heartbeat_interval, grace_period: seconds; ``optimize`` then sends heartbeats, and the daemon fails
            trials whose client went silent for ``grace_period``.
        retry: a ``RetryFailedTrialCallback`` or ``{"max_retry": N, "inherit_intermediate_values": bool}``.
        max_trials: the study's trial budget (``optimize`` stops when it is used up).
        max_running: at most this many RUNNING trials at once (``optimize`` waits for a free slot).
        shared: whether other users may ask and tell trials of the study.
    """
    _note_storage(storage)
    if direction is not None and directions is not None:
        raise ValueError("Specify only one of `direction` and `directions`.")
    params: dict[str, Any] = {}
    if study_name is not None:
        params["study_name"] = study_name
    if direction is not None:
        params["direction"] = direction_name(direction)
    if directions is not None:
        if len(directions) == 0:
            raise ValueError("The number of objectives must be greater than 0.")
        params["directions"] = [direction_name(d) for d in directions]
    if sampler is not None:
        params["sampler"] = _spec(sampler, "sampler")
    if pruner is not None:
        params["pruner"] = _spec(pruner, "pruner")
    if load_if_exists:
        params["load_if_exists"] = True
    options = storage.study_options() if isinstance(storage, BaseStorage) else {}
    given = {"heartbeat_interval": heartbeat_interval, "grace_period": grace_period, "retry": retry,
             "max_trials": max_trials, "max_running": max_running, "shared": shared}
    options.update({k: v for k, v in given.items() if v is not None})
    if isinstance(options.get("retry"), RetryFailedTrialCallback):
        options["retry"] = options["retry"].to_option()
    params.update(options)
    client = shared_client(socket)
    info = client.call("create_study", params)
    return Study(info["study_name"], client=client, sampler=sampler if isinstance(sampler, ComponentSpec) else None,
                 pruner=pruner if isinstance(pruner, ComponentSpec) else None, info=info)


def load_study(*, study_name: str | None, storage: Any = None, sampler: Any = None, pruner: Any = None,
               socket: str | os.PathLike[str] | Client | None = None) -> Study:
    """Opens an existing study.

    With ``study_name=None`` the daemon must hold exactly one study.  ``sampler`` and ``pruner`` do not
    change the stored ones (the daemon runs those); a given sampler's ``constraints_func`` is used.

    Raises:
        StudyNotFound: (a KeyError) when no study has that name.
    """
    _note_storage(storage)
    client = shared_client(socket)
    if study_name is None:
        names = get_all_study_names(socket=client)
        if len(names) != 1:
            raise ValueError(f"Could not determine the study name since the daemon has {len(names)} studies; "
                             "give study_name.")
        study_name = names[0]
    info = client.call("get_study", {"study_name": study_name})
    return Study(study_name, client=client, sampler=sampler if isinstance(sampler, ComponentSpec) else None,
                 pruner=pruner if isinstance(pruner, ComponentSpec) else None, info=info)


def delete_study(*, study_name: str, storage: Any = None,
                 socket: str | os.PathLike[str] | Client | None = None) -> None:
    """Deletes a study and its trials.

    Raises:
        StudyNotFound: (a KeyError) when no study has that name.
    """
    _note_storage(storage)
    shared_client(socket).call("delete_study", {"study_name": study_name})


def get_all_study_summaries(storage: Any = None, include_best_trial: bool = True,
                            socket: str | os.PathLike[str] | Client | None = None) -> list[StudySummary]:
    """A summary of every study in the daemon."""
    _note_storage(storage)
    summaries = [StudySummary(info) for info in shared_client(socket).call("get_all_studies")]
    if not include_best_trial:
        for s in summaries:
            s.best_trial = None
    return summaries


def get_all_study_names(storage: Any = None, socket: str | os.PathLike[str] | Client | None = None) -> list[str]:
    """The names of every study in the daemon."""
    _note_storage(storage)
    return [info["study_name"] for info in shared_client(socket).call("get_all_studies")]


__all__ = ["create_study", "load_study", "delete_study", "get_all_study_names", "get_all_study_summaries",
           "StudyNotFound"]
