"""Logging, with Optuna's functions: ``optunad.logging.set_verbosity(optunad.logging.WARNING)``.

The package logs to the ``optunad`` logger.  As Optuna does, it installs one handler on standard error
at INFO level (each finished trial is a line) and does not propagate to the root logger; the
functions below change that.
"""

from __future__ import annotations

import logging as _logging
import sys
import threading

CRITICAL = _logging.CRITICAL
FATAL = _logging.FATAL
ERROR = _logging.ERROR
WARNING = _logging.WARNING
WARN = _logging.WARN
INFO = _logging.INFO
DEBUG = _logging.DEBUG

_ROOT = "optunad"
_lock = threading.Lock()
_handler: _logging.Handler | None = None


def create_default_formatter() -> _logging.Formatter:
    """The format of the default handler: ``[I 2026-01-02 03:04:05,678] message``."""
    return _logging.Formatter("[%(levelname)1.1s %(asctime)s] %(message)s")


class _StderrHandler(_logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of each record (notebooks and test capture swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self):  # type: ignore[no-untyped-def]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # type: ignore[no-untyped-def]
        pass


def _configure() -> None:
    global _handler
    with _lock:
        if _handler is not None:
            return
        _handler = _StderrHandler()
        _handler.setFormatter(create_default_formatter())
        root = _logging.getLogger(_ROOT)
        root.addHandler(_handler)
        root.setLevel(INFO)
        root.propagate = False


def get_logger(name: str) -> _logging.Logger:
    """A logger under the package's root logger."""
    _configure()
    return _logging.getLogger(name if name.startswith(_ROOT) else f"{_ROOT}.{name}")


def get_verbosity() -> int:
    """The package's log level."""
    _configure()
    return _logging.getLogger(_ROOT).getEffectiveLevel()


def set_verbosity(verbosity: int) -> None:
    """Sets the package's log level (``optunad.logging.WARNING`` hides the per-trial lines)."""
    _configure()
    _logging.getLogger(_ROOT).setLevel(verbosity)


def disable_default_handler() -> None:
    """Removes the standard-error handler."""
    _configure()
    assert _handler is not None
    _logging.getLogger(_ROOT).removeHandler(_handler)


def enable_default_handler() -> None:
    """Adds the standard-error handler back."""
    _configure()
    assert _handler is not None
    _logging.getLogger(_ROOT).addHandler(_handler)


def disable_propagation() -> None:
    """Stops records from reaching the root logger (the default)."""
    _configure()
    _logging.getLogger(_ROOT).propagate = False


def enable_propagation() -> None:
    """Lets records reach the root logger (e.g. for pytest's caplog)."""
    _configure()
    _logging.getLogger(_ROOT).propagate = True


__all__ = [
    "CRITICAL", "FATAL", "ERROR", "WARNING", "WARN", "INFO", "DEBUG", "create_default_formatter", "get_logger",
    "get_verbosity", "set_verbosity", "disable_default_handler", "enable_default_handler", "disable_propagation",
    "enable_propagation",
]
