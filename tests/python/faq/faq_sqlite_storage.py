# FAQ "Can I use Optuna without remote RDB servers?", second example.
# Changed: the import (the FAQ's snippet has none). The storage argument is accepted and ignored: the
# daemon persists the study. `objective` is given by the test (it stops the study after a few trials).
import optunad as optuna

study = optuna.create_study(study_name="foo_study", storage="sqlite:///example.db")
study.optimize(objective)  # The state of `study` will be persisted to the local SQLite file.
