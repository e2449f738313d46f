# FAQ "How can I save and resume studies?", resuming. Unchanged; `joblib` is imported by the test.
study = joblib.load("study.pkl")
print("Best trial until now:")
print(" Value: ", study.best_trial.value)
print(" Params: ")
for key, value in study.best_trial.params.items():
    print(f"    {key}: {value}")
