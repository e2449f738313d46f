# FAQ "How can I output a log only when the best value is updated?". Changed: the import. The
# set_verbosity line and the print call were lost from the reference text and are restored from
# Optuna's FAQ.
import optunad as optuna

# Turn off optuna log notes.
optuna.logging.set_verbosity(optuna.logging.WARN)

def objective(trial):
    x = trial.suggest_float("x", 0, 1)
    return x ** 2

def logging_callback(study, frozen_trial):
    previous_best_value = study.user_attrs.get("previous_best_value", None)
    if previous_best_value != study.best_value:
        study.set_user_attr("previous_best_value", study.best_value)
        print(
            "Trial {} finished with best value: {} and parameters: {}. ".format(
            frozen_trial.number,
            frozen_trial.value,
            frozen_trial.params,
            )
        )

study = optuna.create_study()
study.optimize(objective, n_trials=100, callbacks=[logging_callback])
