# FAQ "How can I solve the error that occurs when performing parallel optimization with SQLite3?".
# Changed: the imports (optunad.storages accepts Optuna's storage objects and ignores them: the daemon
# owns storage and serves parallel workers).
import optunad as optuna
from optunad.storages import JournalStorage, JournalFileStorage

storage = JournalStorage(JournalFileStorage("optuna-journal.log"))
study = optuna.create_study(storage=storage)
