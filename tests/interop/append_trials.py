"""Append finished trials to an existing study with Python Optuna (another writer on optunad's file).

Usage: append_trials.py DB STUDY_NAME COUNT
Prints the numbers of the trials it created, one JSON list.
"""

import json
import sys
import warnings

import optuna


def main() -> None:
    warnings.simplefilter("ignore")
    path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.load_study(study_name=name, storage=f"sqlite:///{path}")
    numbers = []
    for _ in range(count):
        trial = study.ask()
        x = trial.suggest_float("x", -10, 10)
        study.tell(trial, x * x)
        numbers.append(trial.number)
    print(json.dumps(numbers))


if __name__ == "__main__":
    main()
