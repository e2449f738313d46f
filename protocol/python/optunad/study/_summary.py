"""A study's summary, as ``get_all_study_summaries`` returns it."""

from __future__ import annotations

from typing import Any

from ..trial import FrozenTrial
from ..trial._frozen import parse_datetime
from ._direction import StudyDirection


class StudySummary:
    """Name, directions, best trial, attributes, trial count and start time of a study."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.study_name: str = info["study_name"]
        self.directions = [StudyDirection[d.upper()] for d in info["directions"]]
        self.best_trial = FrozenTrial.from_wire(info["best_trial"]) if info.get("best_trial") else None
        self.user_attrs: dict[str, Any] = dict(info.get("user_attrs") or {})
        self.system_attrs: dict[str, Any] = dict(info.get("system_attrs") or {})
        self.n_trials: int = int(info.get("n_trials", 0))
        self.datetime_start = parse_datetime(info.get("datetime_start"))
        self._study_id = info.get("study_id")

    @property
    def direction(self) -> StudyDirection:
        """The direction of a single-objective study (RuntimeError for several objectives)."""
        if len(self.directions) > 1:
            raise RuntimeError("This attribute is not available during multi-objective optimization.")
        return self.directions[0]

    def __repr__(self) -> str:
        return f"StudySummary(study_name={self.study_name!r}, n_trials={self.n_trials})"
