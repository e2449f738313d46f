# FAQ "How can I obtain reproducible optimization results?". Changed: the import (the FAQ's snippet has
# none; `TPESampler` is imported from optunad.samplers by the test).
import optunad as optuna

sampler = TPESampler(seed=10)  # Make the sampler behave in a deterministic way.
study = optuna.create_study(sampler=sampler)
