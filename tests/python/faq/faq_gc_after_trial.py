# FAQ "How do I avoid running out of memory (OOM) when optimizing studies?". Changed: the import (the
# FAQ's snippet has none); `gc` is imported by the test.
import optunad as optuna

def objective(trial):
    x = trial.suggest_float("x", -1.0, 1.0)
    y = trial.suggest_int("y", -5, 5)
    return x + y

study = optuna.create_study()
study.optimize(objective, n_trials=10, gc_after_trial=True)

# `gc_after_trial=True` is more or less identical to the following.
study.optimize(objective, n_trials=10, callbacks=[lambda study, trial: gc.collect()])
