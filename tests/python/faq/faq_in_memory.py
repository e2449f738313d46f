# FAQ "Can I use Optuna without remote RDB servers?", first example.
# Changed: the import (the FAQ's snippet has none).
import optunad as optuna

study = optuna.create_study()
