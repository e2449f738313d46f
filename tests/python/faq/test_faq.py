"""The code examples of Optuna's FAQ (shared/reference/optuna-faq.txt), run against a live optunad.

Each ``faq_*.py`` file holds one example as the FAQ gives it, changed only in its import
(``import optunad as optuna``) and storage arguments; its header says what, if anything, differs.  Names
a snippet uses without defining (``objective``, ``joblib``, ``FixedTrial``, a dataset) are given by the
test as globals.  Examples whose subject optunad does not have (CUDA devices, RDB heartbeats,
RetryFailedTrialCallback, the ``optuna`` CLI) are not here.
"""

from __future__ import annotations

import os
import pathlib
import runpy
import subprocess
import sys

import pytest

import optunad
from optunad.trial import TrialState

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE = HERE.parents[2] / "protocol" / "python"


@pytest.fixture
def run(socket_env, tmp_path, monkeypatch):
    """Runs one FAQ file as ``__main__`` in a temporary directory; returns its globals."""
    monkeypatch.chdir(tmp_path)

    def run_example(name: str, **given):
        return runpy.run_path(str(HERE / name), init_globals=given, run_name="__main__")

    return run_example


def stopping_objective(n_trials: int):
    """An objective for snippets that call ``study.optimize(objective)`` without a limit: it stops the study."""

    def objective(trial):
        x = trial.suggest_float("x", -10, 10)
        if trial.number + 1 >= n_trials:
            trial.study.stop()
        return (x - 2) ** 2

    return objective


def test_objective_class(run) -> None:
    g = run("faq_objective_class.py")
    trials = g["study"].trials
    assert len(trials) == 100 and all(t.state == TrialState.COMPLETE for t in trials)
    assert g["study"].best_value < 10
    assert all(-100 <= t.params["x"] <= 100 for t in trials)


def test_objective_lambda(run) -> None:
    g = run("faq_objective_lambda.py")
    assert len(g["study"].trials) == 100
    assert g["study"].best_value == min(t.value for t in g["study"].trials)


def test_in_memory(run) -> None:
    g = run("faq_in_memory.py")
    assert g["study"].study_name in optunad.get_all_study_names()


def test_sqlite_storage_is_the_daemons(run, start_daemon, monkeypatch) -> None:
    # A daemon of its own: the example uses a fixed study name.
    fresh = start_daemon()
    monkeypatch.setenv("OPTUNAD_SOCKET", fresh.socket)
    run("faq_sqlite_storage.py", objective=stopping_objective(5))
    resumed = optunad.load_study(study_name="foo_study")
    assert len(resumed.trials) == 5
    assert not os.path.exists("example.db")  # the storage argument was ignored


def test_save_and_resume_with_joblib(run, capsys) -> None:
    joblib = pytest.importorskip("joblib")
    saved = run("faq_save_study.py", joblib=joblib)["study"]
    saved.optimize(stopping_objective(100), n_trials=5)
    resumed = run("faq_resume_study.py", joblib=joblib)["study"]
    assert resumed.study_name == saved.study_name
    out = capsys.readouterr().out
    assert f" Value:  {saved.best_value}" in out and "    x: " in out


def test_suppress_logs(run, capsys) -> None:
    optunad.logging.set_verbosity(optunad.logging.INFO)
    g = run("faq_suppress_logs.py", objective=stopping_objective(3))
    assert len(g["study"].trials) == 3
    assert "finished with value" not in capsys.readouterr().err
    assert optunad.logging.get_verbosity() == optunad.logging.WARNING


def test_save_models_by_trial_number(run, capsys) -> None:
    pytest.importorskip("sklearn")
    import pickle

    import sklearn.svm
    from sklearn.datasets import load_iris
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    X, y = load_iris(return_X_y=True)
    X_train, X_valid, y_train, y_valid = train_test_split(X, y, random_state=0)
    g = run("faq_save_models.py", sklearn=sklearn, pickle=pickle, accuracy_score=accuracy_score,
            X_train=X_train, y_train=y_train, X_valid=X_valid, y_valid=y_valid)
    assert all(os.path.exists(f"{n}.pickle") for n in range(100))
    printed = float(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed == pytest.approx(1.0 - g["study"].best_value)


def test_reproducible_with_seed(run, requires) -> None:
    requires.sampler("tpe")
    params = []
    for _ in range(2):
        g = run("faq_reproducible.py", TPESampler=optunad.samplers.TPESampler)
        study = g["study"]
        assert optunad.load_study(study_name=study.study_name).sampler.to_spec()["seed"] == 10
        study.optimize(lambda t: (t.suggest_float("x", -10, 10) - 2) ** 2, n_trials=15)
        params.append([t.params["x"] for t in study.trials])
    assert params[0] == params[1]


def test_exceptions_show_as_failed_trials(run) -> None:
    pytest.importorskip("pandas")
    study = optunad.create_study()

    def objective(trial):
        x = trial.suggest_int("x", 0, 10)
        if trial.number == 0:
            raise ValueError("A test error in objective.")
        return x

    study.optimize(objective, n_trials=2, catch=(ValueError,))
    run("faq_exceptions.py", study=study)
    frame = study.trials_dataframe()
    assert list(frame["state"]) == ["FAIL", "COMPLETE"]
    # Without `catch`, the exception propagates to the caller of optimize() and the trial is FAIL.
    def failing(trial):
        raise ValueError("A sample error in objective.")

    with pytest.raises(ValueError, match="A sample error"):
        study.optimize(failing, n_trials=1)
    assert study.trials[-1].state == TrialState.FAIL


def test_nan_results_fail_without_aborting(socket_env) -> None:
    # The FAQ's NaN answer has no code: a trial returning NaN is FAIL and the study goes on.
    study = optunad.create_study()
    study.optimize(lambda t: float("nan") if t.number == 2 else 1.0, n_trials=4)
    assert [t.state for t in study.trials] == [TrialState.COMPLETE] * 2 + [TrialState.FAIL, TrialState.COMPLETE]


def test_fixed_trial(run) -> None:
    g = run("faq_fixed_trial.py", FixedTrial=optunad.trial.FixedTrial)
    g["test_objective"]()
    assert g["objective"](optunad.trial.FixedTrial({"x": -1.0, "y": -4})) == -5.0


def test_gc_after_trial(run) -> None:
    import gc

    g = run("faq_gc_after_trial.py", gc=gc)
    assert len(g["study"].trials) == 20


def test_best_value_callback(run, capsys) -> None:
    g = run("faq_best_value_callback.py")
    lines = [line for line in capsys.readouterr().out.splitlines() if "finished with best value" in line]
    assert lines and len(lines) < 100
    assert g["study"].user_attrs["previous_best_value"] == g["study"].best_value


def test_dirichlet_proportions(run, monkeypatch) -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("matplotlib")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    g = run("faq_dirichlet.py")
    trials = g["study"].trials
    assert len(trials) == 1000
    for t in trials[:50]:
        assert sum(t.user_attrs[f"p_{i}"] for i in range(5)) == pytest.approx(1.0)


def test_constraints_with_nsga2(run, requires, capsys) -> None:
    requires.sampler("nsga2")
    g = run("faq_constraints.py")
    assert len(g["study"].trials) == 32
    out = capsys.readouterr().out
    assert "Number of finished trials:  32" in out
    for t in g["study"].best_trials:
        c0, c1 = t.user_attrs["constraint"]
        assert c0 <= 0 and c1 <= 0


def test_journal_storage_is_accepted(run) -> None:
    g = run("faq_journal_storage.py")
    assert g["study"].study_name in optunad.get_all_study_names()
    assert not os.path.exists("optuna-journal.log")


def test_parallel_worker_processes(socket_env, study_name) -> None:
    # "Multi-processing parallelization with single node": processes share one study through the daemon.
    env = {**os.environ, "OPTUNAD_SOCKET": socket_env,
           "PYTHONPATH": os.pathsep.join([str(PACKAGE), os.environ.get("PYTHONPATH", "")])}
    workers = [subprocess.Popen([sys.executable, str(HERE / "parallel_worker.py"), study_name, "10"], env=env)
               for _ in range(3)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0, 0]
    trials = optunad.load_study(study_name=study_name).trials
    assert sorted(t.number for t in trials) == list(range(30))
    assert all(t.state == TrialState.COMPLETE for t in trials)


def test_parallel_threads_with_n_jobs(socket_env) -> None:
    # "Multi-threading parallelization with a single node": n_jobs in optimize.
    study = optunad.create_study()
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=30, n_jobs=3)
    assert len(study.trials) == 30
