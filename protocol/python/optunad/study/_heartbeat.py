"""Heartbeats for the running trial, when the study asks for them.

A study whose options carry ``heartbeat_interval`` (seconds) expects each RUNNING trial's client to
call ``heartbeat`` at least that often, so the daemon can fail the trials of clients that died.
While an objective runs, :class:`Heartbeat` sends them from a daemon thread on its own connection.
A daemon without the ``heartbeat`` method is remembered and never asked again.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from ..exceptions import MethodNotFound, OptunadError
from ..logging import get_logger

if TYPE_CHECKING:
    from ._study import Study

_logger = get_logger(__name__)


def heartbeat_interval(study_info: dict[str, Any]) -> float | None:
    """The study's heartbeat interval from a ``get_study`` result (None when heartbeats are off)."""
    for source in (study_info, study_info.get("options") or {}):
        value = source.get("heartbeat_interval") if isinstance(source, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return float(value)
    return None


class Heartbeat:
    """Context manager: heartbeats for one trial while the block runs (nothing when ``interval`` is None)."""

    def __init__(self, study: Study, trial_id: int, interval: float | None) -> None:
        self._study = study
        self._trial_id = trial_id
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        if self._interval is not None and self._study._heartbeat_supported:
            self._thread = threading.Thread(
                target=self._run, name=f"optunad-heartbeat-{self._trial_id}", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        assert self._interval is not None
        while True:
            try:
                self._study._client.call("heartbeat", {"trial_id": self._trial_id})
            except MethodNotFound:
                self._study._heartbeat_supported = False
                _logger.debug("optunad has no heartbeat method; heartbeats are off")
                return
            except (OptunadError, OSError) as e:
                _logger.debug(f"heartbeat for trial id {self._trial_id} failed: {e}")
            if self._stop.wait(self._interval):
                return
