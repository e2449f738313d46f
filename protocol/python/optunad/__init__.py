"""optunad: an Optuna-compatible client for the optunad daemon.

Move an Optuna script over by changing its import::

    import optunad as optuna

    def objective(trial):
        x = trial.suggest_float("x", -10, 10)
        return (x - 2) ** 2

    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=10))
    study.optimize(objective, n_trials=100)

The daemon samples, prunes and stores; this package speaks its JSON-RPC protocol over a Unix socket
(``socket=`` argument, else ``$OPTUNAD_SOCKET``, else the daemon's default paths).  Pure standard
library; ``trials_dataframe()`` needs pandas.
"""

from . import distributions, exceptions, logging, pruners, samplers, storages, study, trial
from ._client import Client
from ._paths import default_socket_path
from .exceptions import TrialPruned
from .study import (
    Study,
    create_study,
    delete_study,
    get_all_study_names,
    get_all_study_summaries,
    load_study,
)
from .trial import Trial

__version__ = "0.1.0"

__all__ = [
    "Client", "Study", "Trial", "TrialPruned", "create_study", "default_socket_path", "delete_study",
    "distributions", "exceptions", "get_all_study_names", "get_all_study_summaries", "load_study", "logging",
    "pruners", "samplers", "storages", "study", "trial",
]
