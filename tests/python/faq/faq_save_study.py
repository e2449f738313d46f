# FAQ "How can I save and resume studies?", saving. Changed: the import (the FAQ's snippet has none).
# `joblib` is imported by the test.
import optunad as optuna

study = optuna.create_study()
joblib.dump(study, "study.pkl")
