"""Load a study with Python Optuna and print every field of it and its trials as one JSON document.

Usage: dump_study.py DB STUDY_NAME

Datetimes are printed as Optuna returns them, formatted '%Y-%m-%d %H:%M:%S.%f' (run with TZ=UTC: Optuna 5
turns the stored naive UTC into local time). Distributions are printed in Optuna's current JSON form, legacy
classes converted, so that optunad's reading of them can be compared exactly.
"""

import json
import sys
import warnings

import optuna
from optuna.distributions import _convert_old_distribution_to_new_distribution, distribution_to_json


def when(value):
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f")


def trial_json(trial):
    return {
        "number": trial.number,
        "state": trial.state.name,
        "values": trial.values,
        "params": trial.params,
        "distributions": {
            name: distribution_to_json(_convert_old_distribution_to_new_distribution(d, suppress_warning=True))
            for name, d in trial.distributions.items()
        },
        "intermediate_values": {str(step): v for step, v in trial.intermediate_values.items()},
        "user_attrs": trial.user_attrs,
        "system_attrs": trial.system_attrs,
        "datetime_start": when(trial.datetime_start),
        "datetime_complete": when(trial.datetime_complete),
    }


def main() -> None:
    warnings.simplefilter("ignore")
    path, name = sys.argv[1], sys.argv[2]
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.load_study(study_name=name, storage=f"sqlite:///{path}")
    document = {
        "name": study.study_name,
        "directions": [d.name for d in study.directions],
        "user_attrs": study.user_attrs,
        "system_attrs": study._storage.get_study_system_attrs(study._study_id),
        "trials": [trial_json(t) for t in study.get_trials(deepcopy=False)],
    }
    if len(study.directions) == 1:
        try:
            document["best_trial"] = study.best_trial.number
        except ValueError:
            document["best_trial"] = None
    else:
        document["best_trials"] = sorted(t.number for t in study.best_trials)
    print(json.dumps(document, sort_keys=True))


if __name__ == "__main__":
    main()
