"""Exceptions: one class per error kind of the protocol, plus Optuna's names.

Every error the daemon answers becomes an :class:`OptunadError` subclass carrying the error's
``kind`` (the stable snake_case name from ``error.data.kind``), its numeric ``code``, and ``data``
(the rest of ``error.data``).  A kind this client does not know becomes a plain :class:`OptunadError`
with that kind, so newer daemons never break older clients.

Where Optuna raises a built-in exception for the same situation, the class also derives from it, so
``except KeyError`` around ``load_study`` or ``except ValueError`` around ``tell`` keep working after a
script moves from ``optuna`` to ``optunad``.
"""

from __future__ import annotations

from typing import Any


class OptunaError(Exception):
    """Base class of every exception this package raises (Optuna's name)."""


class OptunadError(OptunaError):
    """An error answered by optunad, or a failure to reach it.

    Attributes:
        kind: the protocol's error kind, e.g. ``"study_not_found"``.
        code: the JSON-RPC error code, e.g. ``-32001`` (None for client-side failures).
        data: the members of ``error.data`` other than ``kind`` (e.g. ``number``, ``state``, ``param``).
        message: the daemon's message.
    """

    default_kind = "error"

    def __init__(self, message: str = "", *, kind: str | None = None, code: int | None = None,
                 data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind or self.default_kind
        self.code = code
        self.data = dict(data or {})

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.message, self.kind, self.code, self.data))


def _rebuild(cls: type, message: str, kind: str, code: int | None, data: dict[str, Any]) -> OptunadError:
    return cls(message, kind=kind, code=code, data=data)


class TrialPruned(OptunaError):
    """Raised by an objective to stop its trial as PRUNED (usually after ``trial.should_prune()``)."""


class ExperimentalWarning(Warning):
    """Warns about an experimental feature (kept for scripts that filter it)."""


class DaemonUnreachable(OptunadError, ConnectionError):
    """The socket could not be connected, or the daemon closed the connection."""

    default_kind = "unreachable"


class ProtocolError(OptunadError):
    """The daemon's answer could not be understood (not JSON-RPC, wrong id)."""

    default_kind = "bad_response"


class ParseError(OptunadError):
    """``parse_error``: the daemon could not parse a request line."""

    default_kind = "parse_error"


class InvalidRequest(OptunadError):
    """``invalid_request``: the line was JSON but not a request."""

    default_kind = "invalid_request"


class MethodNotFound(OptunadError, NotImplementedError):
    """``method_not_found``: this daemon does not have the method (an older version)."""

    default_kind = "method_not_found"


class InvalidParams(OptunadError, ValueError):
    """``invalid_params``: missing, unknown or mistyped parameters, bad distributions or specs."""

    default_kind = "invalid_params"


class InternalError(OptunadError):
    """``internal_error``: a bug in the daemon (its log has the details)."""

    default_kind = "internal_error"


class StudyNotFound(OptunadError, KeyError):
    """``study_not_found``: no study has that name (Optuna raises KeyError here)."""

    default_kind = "study_not_found"

    def __str__(self) -> str:  # KeyError would quote the message.
        return self.message


class DuplicatedStudyError(OptunadError):
    """``duplicated_study``: ``create_study`` with a taken name and without ``load_if_exists``."""

    default_kind = "duplicated_study"


class TrialNotFound(OptunadError, KeyError):
    """``trial_not_found``: no trial has that id."""

    default_kind = "trial_not_found"

    def __str__(self) -> str:
        return self.message


class TrialFinished(OptunadError, ValueError, RuntimeError):
    """``trial_finished``: the trial is COMPLETE, PRUNED or FAIL and cannot change.

    ``data["number"]`` and ``data["state"]`` name the trial and its state.
    """

    default_kind = "trial_finished"


class IncompatibleDistribution(OptunadError, ValueError):
    """``incompatible_distribution``: a parameter is used with another kind of distribution; ``data["param"]``."""

    default_kind = "incompatible_distribution"


class InvalidTell(OptunadError, ValueError):
    """``invalid_tell``: a tell that breaks the tell rules (the trial stays RUNNING)."""

    default_kind = "invalid_tell"


class StorageError(OptunadError):
    """``storage_error``: the daemon's storage failed; nothing was changed."""

    default_kind = "storage_error"


class RequestTooLarge(OptunadError):
    """``request_too_large``: a request line exceeded the daemon's limit; the connection was closed."""

    default_kind = "request_too_large"


class NotSupported(OptunadError, NotImplementedError):
    """``not_supported``: valid, but not for this study (e.g. ``report`` on a multi-objective study)."""

    default_kind = "not_supported"


class NoCompletedTrials(OptunadError, ValueError):
    """``no_completed_trials``: ``best_trial`` before any (feasible) trial is COMPLETE."""

    default_kind = "no_completed_trials"


class BudgetExhausted(OptunadError):
    """``budget_exhausted``: the study's ``max_trials`` are used up; ``optimize`` stops quietly on it."""

    default_kind = "budget_exhausted"


class RetryAfter(OptunadError):
    """``retry_after``: the study's ``max_running`` trials are running; ``optimize`` waits and asks again."""

    default_kind = "retry_after"


class PermissionDenied(OptunadError, PermissionError):
    """``permission_denied``: the study is not shared with this user."""

    default_kind = "permission_denied"


# Optuna's names for the same errors.
UpdateFinishedTrialError = TrialFinished
StorageInternalError = StorageError

_BY_KIND: dict[str, type[OptunadError]] = {
    cls.default_kind: cls
    for cls in (
        ParseError, InvalidRequest, MethodNotFound, InvalidParams, InternalError, StudyNotFound,
        DuplicatedStudyError, TrialNotFound, TrialFinished, IncompatibleDistribution, InvalidTell,
        StorageError, RequestTooLarge, NotSupported, NoCompletedTrials, BudgetExhausted, RetryAfter,
        PermissionDenied,
    )
}

_BY_CODE: dict[int, type[OptunadError]] = {
    -32700: ParseError, -32600: InvalidRequest, -32601: MethodNotFound, -32602: InvalidParams,
    -32603: InternalError, -32001: StudyNotFound, -32002: DuplicatedStudyError, -32003: TrialNotFound,
    -32004: TrialFinished, -32005: IncompatibleDistribution, -32006: InvalidTell, -32007: StorageError,
    -32008: RequestTooLarge, -32009: NotSupported, -32010: NoCompletedTrials, -32011: BudgetExhausted,
    -32012: RetryAfter, -32013: PermissionDenied,
}


def from_error_object(error: Any) -> OptunadError:
    """The exception for a JSON-RPC error object ``{"code", "message", "data": {"kind", ...}}``.

    The class is chosen by ``kind``; a kind this client does not know falls back on ``code``, and a
    code it does not know either gives a plain :class:`OptunadError` (with the daemon's kind kept).
    """
    if not isinstance(error, dict):
        return ProtocolError(f"malformed error object: {error!r}")
    data = dict(error.get("data") or {}) if isinstance(error.get("data"), dict) else {}
    kind = data.pop("kind", None)
    code = error.get("code") if isinstance(error.get("code"), int) else None
    message = str(error.get("message", ""))
    cls = _BY_KIND.get(kind) if isinstance(kind, str) else None
    if cls is None and code is not None:
        cls = _BY_CODE.get(code)
    return (cls or OptunadError)(message, kind=kind if isinstance(kind, str) else None, code=code, data=data)


__all__ = [
    "OptunaError", "OptunadError", "TrialPruned", "ExperimentalWarning", "DaemonUnreachable", "ProtocolError",
    "ParseError", "InvalidRequest", "MethodNotFound", "InvalidParams", "InternalError", "StudyNotFound",
    "DuplicatedStudyError", "TrialNotFound", "TrialFinished", "IncompatibleDistribution", "InvalidTell",
    "StorageError", "RequestTooLarge", "NotSupported", "NoCompletedTrials", "BudgetExhausted", "RetryAfter",
    "PermissionDenied", "UpdateFinishedTrialError",
    "StorageInternalError", "from_error_object",
]
