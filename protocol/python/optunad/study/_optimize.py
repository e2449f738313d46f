"""``Study.optimize``: the trial loop, sequential or in threads, with Optuna's semantics."""

from __future__ import annotations

import copy
import datetime
import gc
import itertools
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..exceptions import BudgetExhausted, RetryAfter, TrialPruned
from ..logging import INFO, get_logger
from ..trial import FrozenTrial, TrialState
from . import _tell
from ._heartbeat import Heartbeat
from ._progress import ProgressBar

if TYPE_CHECKING:
    from ._study import Study

_logger = get_logger(__name__)


def optimize(study: Study, func: Callable[..., Any], *, n_trials: int | None, timeout: float | None, n_jobs: int,
             catch: Any, callbacks: Iterable[Callable[[Study, FrozenTrial], None]] | None, gc_after_trial: bool,
             show_progress_bar: bool) -> None:
    """Runs the loop; see :meth:`Study.optimize`."""
    if isinstance(catch, type) and issubclass(catch, BaseException):
        catch = (catch,)
    if not isinstance(catch, tuple):
        catch = tuple(catch)
    if getattr(study._thread_local, "in_optimize_loop", False):
        raise RuntimeError("Nested invocation of `Study.optimize` method isn't allowed.")
    callbacks = list(callbacks or ())
    study._info()  # refreshes the heartbeat setting
    progress = ProgressBar(show_progress_bar, n_trials, timeout)
    study._stop_flag = False
    start = datetime.datetime.now()
    try:
        if n_jobs == 1:
            _sequential(study, func, n_trials, timeout, catch, callbacks, gc_after_trial, start, progress)
        else:
            _threaded(study, func, n_trials, timeout, (os.cpu_count() or 1) if n_jobs == -1 else n_jobs, catch,
                      callbacks, gc_after_trial, start, progress)
    finally:
        study._thread_local.in_optimize_loop = False
        progress.close()


def _threaded(study: Study, func: Callable[..., Any], n_trials: int | None, timeout: float | None, n_jobs: int,
              catch: tuple[type[BaseException], ...], callbacks: list[Any], gc_after_trial: bool,
              start: datetime.datetime, progress: ProgressBar) -> None:
    if n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive integer or -1, got {n_jobs}.")
    futures: set[Future[None]] = set()
    with ThreadPoolExecutor(max_workers=n_jobs, thread_name_prefix="optunad-optimize") as executor:
        for submitted in itertools.count():
            if study._stop_flag:
                break
            if timeout is not None and (datetime.datetime.now() - start).total_seconds() > timeout:
                break
            if n_trials is not None and submitted >= n_trials:
                break
            if len(futures) >= n_jobs:
                done, futures = wait(futures, return_when=FIRST_COMPLETED)
                for f in done:
                    f.result()  # an objective's uncaught exception stops the loop, as Optuna
            futures.add(executor.submit(
                _sequential, study, func, 1, timeout, catch, callbacks, gc_after_trial, start, progress))
        # Leaving the executor waits for the running trials; their exceptions propagate like the others.
        done, _ = wait(futures)
        for f in done:
            f.result()


def _sequential(study: Study, func: Callable[..., Any], n_trials: int | None, timeout: float | None,
                catch: tuple[type[BaseException], ...], callbacks: list[Any], gc_after_trial: bool,
                start: datetime.datetime, progress: ProgressBar) -> None:
    # Thread-local: with n_jobs each worker thread is "in the loop" (for stop() and the nesting check).
    study._thread_local.in_optimize_loop = True
    done = 0
    while not study._stop_flag:
        if n_trials is not None and done >= n_trials:
            break
        if timeout is not None and (datetime.datetime.now() - start).total_seconds() >= timeout:
            break
        done += 1
        try:
            trial = _ask(study)
            if trial is None:
                break
            frozen = _run_trial(study, trial, func, catch)
        finally:
            if gc_after_trial:
                gc.collect()
        for callback in callbacks:
            callback(study, copy.deepcopy(frozen))
        progress.update((datetime.datetime.now() - start).total_seconds(), study)


def _ask(study: Study) -> Any:
    """The next trial; None when the study's trial budget is used up (the loop then stops, as for ``stop()``).

    While the study's ``max_running`` trials run, the daemon answers ``retry_after``: wait and ask again.
    """
    while not study._stop_flag:
        try:
            return study.ask()
        except BudgetExhausted:
            _logger.info(f"The trial budget of study {study.study_name} is used up; optimize stops.")
            study._stop_flag = True
            return None
        except RetryAfter as e:
            delay = e.data.get("retry_after_ms")
            time.sleep(delay / 1000 if isinstance(delay, (int, float)) and delay > 0 else 0.5)
    return None


def _run_trial(study: Study, trial: Any, func: Callable[..., Any],
               catch: tuple[type[BaseException], ...]) -> FrozenTrial:
    state: TrialState | None = None
    result: Any = None
    error: BaseException | None = None
    exc_info: Any = None
    with Heartbeat(study, trial._trial_id, study._heartbeat_interval):
        try:
            result = func(trial)
        except TrialPruned as e:
            state, error = TrialState.PRUNED, e
        except (Exception, KeyboardInterrupt) as e:
            # KeyboardInterrupt too: Ctrl-C fails the running trial in the daemon before it propagates.
            state, error, exc_info = TrialState.FAIL, e, sys.exc_info()
    frozen, problem = _tell.tell(study, trial, result, state, quiet=True)
    _log_trial(study, frozen, trial.params, error, problem, exc_info, result)
    if frozen.state == TrialState.FAIL and error is not None and not isinstance(error, catch):
        raise error
    return frozen


def _log_trial(study: Study, frozen: FrozenTrial, params: dict[str, Any], error: BaseException | None,
               problem: str | None, exc_info: Any, result: Any) -> None:
    if frozen.state == TrialState.COMPLETE:
        if not _logger.isEnabledFor(INFO):
            return
        if study._is_multi_objective():
            _logger.info(f"Trial {frozen.number} finished with values: {frozen.values} and parameters: {params}.")
            return
        message = f"Trial {frozen.number} finished with value: {frozen.value} and parameters: {params}."
        try:
            best = study.best_trial
            message += f" Best is trial {best.number} with value: {best.value}."
        except ValueError:
            pass  # no feasible trial yet
        _logger.info(message)
    elif frozen.state == TrialState.PRUNED:
        _logger.info(f"Trial {frozen.number} pruned. {error or ''}".rstrip())
    elif frozen.state == TrialState.FAIL:
        reason = repr(error) if error is not None else problem
        _logger.warning(f"Trial {frozen.number} failed with parameters: {params} because of the following error: "
                        f"{reason}.", exc_info=exc_info)
        _logger.warning(f"Trial {frozen.number} failed with value {result!r}.")
