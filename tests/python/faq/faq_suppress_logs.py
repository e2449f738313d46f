# FAQ "How to suppress log messages of Optuna?". Changed: the import (the FAQ's snippet has none).
# The first and last code lines were lost from the reference text and are restored from Optuna's FAQ.
# `objective` is given by the test.
import optunad as optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)

study = optuna.create_study()
study.optimize(objective)
# Logs like '[I 2020-07-21 13:41:45,627] Trial 0 finished with value:...' are disabled.
