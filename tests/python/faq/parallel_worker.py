"""One worker process of the FAQ's "multi-processing parallelization": joins a shared study and runs trials.

Usage: python parallel_worker.py STUDY_NAME N_TRIALS (the socket comes from $OPTUNAD_SOCKET).
"""
import sys

import optunad as optuna


def objective(trial):
    x = trial.suggest_float("x", -10, 10)
    return (x - 2) ** 2


study = optuna.create_study(study_name=sys.argv[1], load_if_exists=True)
study.optimize(objective, n_trials=int(sys.argv[2]))
