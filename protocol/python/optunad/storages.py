"""Storage arguments that Optuna scripts pass; optunad owns the storage, so they are accepted and ignored.

``create_study(storage="sqlite:///example.db")`` or ``storage=JournalStorage(JournalFileStorage(path))``
keep working after ``import optunad as optuna``: the study lives in the daemon's storage (see
``optunad --storage``), and an INFO line says the argument was ignored.
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
           "JournalFileBackend"]
