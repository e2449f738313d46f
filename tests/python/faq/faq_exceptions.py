# FAQ "How are exceptions from trials handled?": finding failed trials by their states. Unchanged; the
# FAQ's snippet (lost from the reference text, restored from Optuna's FAQ) runs on a `study` given by the
# test, in which trial 0 raised ValueError('A test error in objective.').
study.trials_dataframe()
