"""``show_progress_bar``: tqdm when it is installed, else one line per trial on standard error."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._study import Study


class ProgressBar:
    """Progress over ``n_trials`` (or over ``timeout`` seconds); does nothing when not ``enabled``."""

    def __init__(self, enabled: bool, n_trials: int | None, timeout: float | None) -> None:
        self._enabled = enabled and (n_trials is not None or timeout is not None)
        self._n_trials = n_trials
        self._timeout = timeout
        self._count = 0
        self._bar: Any = None
        if self._enabled:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                return
            total = n_trials if n_trials is not None else timeout
            self._bar = tqdm(total=total)

    def update(self, elapsed_seconds: float, study: Study) -> None:
        """Records one more finished trial."""
        if not self._enabled:
            return
        self._count += 1
        best = ""
        if not study._is_multi_objective():
            try:
                trial = study.best_trial
                best = f"Best trial: {trial.number}. Best value: {trial.value:.6g}"
            except ValueError:
                pass
        if self._bar is not None:
            if self._n_trials is not None:
                self._bar.update(1)
            else:
                self._bar.update(min(elapsed_seconds, self._timeout or 0) - self._bar.n)
            if best:
                self._bar.set_description(best)
            return
        total = f"/{self._n_trials}" if self._n_trials is not None else ""
        sys.stderr.write(f"\r{self._count}{total} trials, {elapsed_seconds:.1f}s. {best}")
        sys.stderr.flush()

    def close(self) -> None:
        """Ends the bar."""
        if self._bar is not None:
            self._bar.close()
        elif self._enabled and self._count:
            sys.stderr.write("\n")
