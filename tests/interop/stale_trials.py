"""Print, as one JSON list, the numbers of a study's trials that Python Optuna's heartbeat check finds stale.

Usage: stale_trials.py DB STUDY_NAME GRACE_SECONDS
"""

import json
import sys
import warnings

import optuna


def main() -> None:
    warnings.simplefilter("ignore")
    path, name, grace = sys.argv[1], sys.argv[2], int(sys.argv[3])
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    storage = optuna.storages.RDBStorage(f"sqlite:///{path}", heartbeat_interval=grace, grace_period=grace)
    study_id = storage.get_study_id_from_name(name)
    stale = storage._get_stale_trial_ids(study_id)
    print(json.dumps(sorted(storage.get_trial(trial_id).number for trial_id in stale)))


if __name__ == "__main__":
    main()
