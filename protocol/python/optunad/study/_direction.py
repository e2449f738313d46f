"""Optimization directions, with Optuna's names and numbers."""

from __future__ import annotations

import enum
from typing import Any


class StudyDirection(enum.IntEnum):
    """MINIMIZE or MAXIMIZE (NOT_SET exists for Optuna's numbering)."""

    NOT_SET = 0
    MINIMIZE = 1
    MAXIMIZE = 2

    def __repr__(self) -> str:
        return f"StudyDirection.{self.name}"

    def __str__(self) -> str:
        return f"StudyDirection.{self.name}"


def direction_name(direction: Any) -> str:
    """The protocol's name (``"minimize"``/``"maximize"``) of a direction given as a string or enum."""
    if isinstance(direction, StudyDirection):
        if direction == StudyDirection.NOT_SET:
            raise ValueError("Please set either 'minimize' or 'maximize' to direction.")
        return direction.name.lower()
    if isinstance(direction, str) and direction.lower() in ("minimize", "maximize"):
        return direction.lower()
    # Optuna's own StudyDirection (an IntEnum with the same names) also works.
    name = getattr(direction, "name", None)
    if isinstance(name, str) and name.lower() in ("minimize", "maximize"):
        return name.lower()
    raise ValueError(f"Please set either 'minimize' or 'maximize' to direction. You specified {direction!r}.")
