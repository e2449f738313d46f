"""``Study.trials_dataframe``: one row per trial, Optuna's column names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..trial import TrialState

if TYPE_CHECKING:
    from ._study import Study


def _columns_of(trial: Any, attr: str, n_objectives: int) -> dict[tuple[str, Any], Any]:
    column = attr[1:] if attr.startswith("_") else attr
    value = getattr(trial, attr)
    if isinstance(value, TrialState):
        return {(column, ""): value.name}
    if attr == "values":
        listed = value if value is not None else [None] * n_objectives
        return {(column, i): v for i, v in enumerate(listed)}
    if isinstance(value, dict):
        # The daemon's own bookkeeping (who asked, leases, fail reasons) is not part of the user's table.
        return {(column, k): v for k, v in value.items() if not (attr == "system_attrs" and str(k).startswith("optunad:"))}
    if isinstance(value, list):
        return {(column, i): v for i, v in enumerate(value)}
    return {(column, ""): value}


def trials_dataframe(study: Study, attrs: tuple[str, ...], multi_index: bool) -> Any:
    """The DataFrame; ImportError when pandas is not installed."""
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError("trials_dataframe() needs pandas: pip install pandas") from e
    trials = study.get_trials(deepcopy=False)
    if not trials:
        return pd.DataFrame()
    if "value" in attrs and study._is_multi_objective():
        attrs = tuple("values" if a == "value" else a for a in attrs)
    n_objectives = len(study.directions)
    records = []
    seen: dict[str, set[tuple[str, Any]]] = {a: set() for a in attrs}
    for trial in trials:
        record: dict[tuple[str, Any], Any] = {}
        for attr in attrs:
            cells = _columns_of(trial, attr, n_objectives)
            record.update(cells)
            seen[attr].update(cells)
        records.append(record)
    columns: list[tuple[str, Any]] = []
    for attr in attrs:
        columns.extend(sorted(seen[attr], key=lambda c: (str(type(c[1])), c[1])))
    frame = pd.DataFrame(records, columns=pd.MultiIndex.from_tuples(columns))
    if not multi_index:
        frame.columns = ["_".join(str(part) for part in col if part != "") for col in columns]
    return frame
