"""Trial states, with Optuna's names and numbers."""

from __future__ import annotations

import enum


class TrialState(enum.IntEnum):
    """The state of a trial: RUNNING, COMPLETE, PRUNED, FAIL or WAITING (queued by ``enqueue_trial``)."""

    RUNNING = 0
    COMPLETE = 1
    PRUNED = 2
    FAIL = 3
    WAITING = 4

    def __repr__(self) -> str:
        return f"TrialState.{self.name}"

    def __str__(self) -> str:
        return f"TrialState.{self.name}"

    def is_finished(self) -> bool:
        """Whether the state is COMPLETE, PRUNED or FAIL."""
        return self in (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)

    @classmethod
    def from_wire(cls, name: str) -> TrialState:
        """The state for the protocol's upper-case name."""
        return cls[name.upper()]
