"""Trials: the live :class:`Trial`, :class:`FrozenTrial`, :class:`FixedTrial` and :class:`TrialState`."""

from ._base import BaseTrial
from ._fixed import FixedTrial
from ._frozen import FrozenTrial
from ._state import TrialState
from ._trial import Trial


def create_trial(*, state=TrialState.COMPLETE, value=None, values=None, params=None, distributions=None,
                 user_attrs=None, system_attrs=None, intermediate_values=None):  # type: ignore[no-untyped-def]
    """A :class:`FrozenTrial` built by hand (Optuna's ``create_trial``), e.g. to test callbacks."""
    import datetime

    now = datetime.datetime.now()
    return FrozenTrial(
        number=-1, state=state, value=value, values=values,
        datetime_start=now, datetime_complete=now if state.is_finished() else None,
        params=dict(params or {}), distributions=dict(distributions or {}), user_attrs=dict(user_attrs or {}),
        system_attrs=dict(system_attrs or {}), intermediate_values=dict(intermediate_values or {}), trial_id=-1)


__all__ = ["BaseTrial", "FixedTrial", "FrozenTrial", "Trial", "TrialState", "create_trial"]
