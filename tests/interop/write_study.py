"""Write studies with Python Optuna that exercise every stored field, for optunad to read and continue.

Usage: write_study.py DB

Creates study 'py' (minimize) with COMPLETE, PRUNED, FAIL, RUNNING and WAITING trials, parameters of every
distribution kind, categorical choices of every type, NaN/inf intermediate values and nested attributes; then
adds, by raw SQL as older Optuna versions and the CLI wrote them, parameters with legacy distribution classes
and the short {"type": ...} form. Creates study 'py-mo' (minimize, maximize) with infinite values.
"""

import json
import math
import sqlite3
import sys
import warnings

import optuna


def main() -> None:
    warnings.simplefilter("ignore")
    path = sys.argv[1]
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    storage = f"sqlite:///{path}"
    study = optuna.create_study(study_name="py", storage=storage, direction="minimize")
    study.set_user_attr("nested", {"list": [1, 2.5, None, True, "ü"], "nan": math.nan})
    study._storage.set_study_system_attr(study._study_id, "study:metric_names", ["loss"])

    choices = [None, True, False, 3, -1.5, "text ✓"]
    for i in range(6):
        trial = study.ask()
        x = trial.suggest_float("x", -10, 10)
        trial.suggest_float("lx", 1e-5, 1.0, log=True)
        trial.suggest_float("sx", 0, 1, step=0.1)
        trial.suggest_int("n", -3, 9, step=3)
        trial.suggest_int("ln", 1, 1024, log=True)
        trial.suggest_categorical("c", choices)
        trial.set_user_attr("i", i)
        trial.set_user_attr("deep", {"a": [i, {"b": math.inf}]})
        if i == 1:
            trial.report(0.5, 0)
            trial.report(math.nan, 1)
            trial.report(math.inf, 2)
            trial.report(-math.inf, 3)
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        elif i == 2:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        elif i == 3:
            trial.storage.set_trial_system_attr(trial._trial_id, "constraints", [0.5, -1.0])
            study.tell(trial, math.inf)
        else:
            study.tell(trial, x * x)

    legacy = study.ask()  # stays RUNNING; gets legacy-form parameters below
    study.ask()  # a plain RUNNING trial
    study.enqueue_trial({"x": 1.5, "c": "text ✓"}, user_attrs={"queued": True})

    rows = [
        ("u", 0.25, {"name": "UniformDistribution", "attributes": {"low": 0.0, "high": 1.0}}),
        ("lu", 0.01, {"name": "LogUniformDistribution", "attributes": {"low": 0.001, "high": 1.0}}),
        ("du", 0.5, {"name": "DiscreteUniformDistribution", "attributes": {"low": 0.0, "high": 1.05, "q": 0.25}}),
        ("iu", 4.0, {"name": "IntUniformDistribution", "attributes": {"low": 0, "high": 10, "step": 2}}),
        ("ilu", 8.0, {"name": "IntLogUniformDistribution", "attributes": {"low": 1, "high": 64, "step": 1}}),
        ("tc", 1.0, {"type": "categorical", "choices": ["p", "q", None]}),
        ("ti", 3.0, {"type": "int", "low": 1, "high": 5}),
        ("tf", 0.5, {"type": "float", "low": 0, "high": 2, "log": False}),
    ]
    connection = sqlite3.connect(path)
    with connection:
        for name, value, distribution in rows:
            connection.execute(
                "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)",
                (legacy._trial_id, name, value, json.dumps(distribution)),
            )
    connection.close()

    mo = optuna.create_study(study_name="py-mo", storage=storage, directions=["minimize", "maximize"])
    for values in ([1.0, 1.0], [0.5, -math.inf], [2.0, math.inf], [0.5, 0.5]):
        trial = mo.ask()
        trial.suggest_int("k", 0, 3)
        mo.tell(trial, values)


if __name__ == "__main__":
    main()
