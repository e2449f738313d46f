"""Storage arguments that Optuna scripts pass; optunad owns the storage, so they are accepted and ignored.

``create_study(storage="sqlite:///example.db")`` or ``storage=JournalStorage(JournalFileStorage(path))``
keep working after ``import optunad as optuna``: the study lives in the daemon's storage (see
``optunad --storage``), and an INFO line says the argument was ignored.

What an ``RDBStorage`` says about trial reliability is kept: ``heartbeat_interval``, ``grace_period`` and
``failed_trial_callback=RetryFailedTrialCallback(...)`` become the study's options in the daemon, which
then fails trials whose client stopped sending heartbeats and queues their retries.
"""

from __future__ import annotations

from typing import Any


class BaseStorage:
    """A storage argument kept only for its description."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{type(self).__name__}({', '.join(parts)})"


    def study_options(self) -> dict[str, Any]:
        """The study options this storage argument implies (heartbeats and retries of ``RDBStorage``)."""
        options: dict[str, Any] = {}
        for name in ("heartbeat_interval", "grace_period"):
            if self.kwargs.get(name) is not None:
                options[name] = self.kwargs[name]
        callback = self.kwargs.get("failed_trial_callback")
        if isinstance(callback, RetryFailedTrialCallback):
            options["retry"] = callback.to_option()
        return options


class RetryFailedTrialCallback:
    """Optuna's retry of trials failed by a missed heartbeat; in optunad the daemon queues the retries.

    Give it to ``RDBStorage(failed_trial_callback=...)`` or as ``create_study(retry=...)``.
    """

    def __init__(self, max_retry: int | None = None, inherit_intermediate_values: bool = False) -> None:
        self.max_retry = max_retry
        self.inherit_intermediate_values = inherit_intermediate_values

    def to_option(self) -> dict[str, Any]:
        """The study's ``retry`` option."""
        return {"max_retry": self.max_retry, "inherit_intermediate_values": self.inherit_intermediate_values}

    @staticmethod
    def retried_trial_number(trial: Any) -> int | None:
        """The number of the failed trial that ``trial`` retries (None for an original trial)."""
        return trial.system_attrs.get("failed_trial")

    @staticmethod
    def retry_history(trial: Any) -> list[int]:
        """The numbers of the trials ``trial`` retries, oldest first."""
        return list(trial.system_attrs.get("retry_history", []))


def fail_stale_trials(study: Any) -> None:
    """Does nothing: the daemon fails stale trials itself."""


class InMemoryStorage(BaseStorage):
    """Optuna's in-memory storage (ignored)."""


class RDBStorage(BaseStorage):
    """Optuna's SQL storage (ignored; ``heartbeat_interval`` is a study option in optunad)."""


class JournalStorage(BaseStorage):
    """Optuna's journal storage (ignored)."""


class JournalFileStorage(BaseStorage):
    """Optuna's journal file backend (ignored)."""


class JournalFileBackend(BaseStorage):
    """Optuna's journal file backend, newer name (ignored)."""


__all__ = ["BaseStorage", "InMemoryStorage", "RDBStorage", "JournalStorage", "JournalFileStorage",
           "JournalFileBackend", "RetryFailedTrialCallback", "fail_stale_trials"]
