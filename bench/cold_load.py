#!/usr/bin/env python3
"""Cold load of a large study: a SQLite file in Optuna's schema with `--trials` COMPLETE trials (5 float params),
then:

- optunad: start on the file (READY must not depend on the trial count), then the first `get_study`, which loads
  every trial of the study into memory;
- Optuna: `load_study` + `study.trials` on the same file.

The first 1,000 trials are written by Optuna's own RDB storage layer (`add_trials`); the rest are bulk-inserted
with Python's sqlite3 in exactly the row format Optuna wrote for those (same distribution JSON, value types and
datetime format), because `add_trials` needs over ten minutes for 100,000 trials on this machine. Optuna then
reads every trial back, which checks the file.
"""
import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Client  # noqa: E402


def make_file(path, n):
    import sqlite3
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    storage = optuna.storages.RDBStorage(f"sqlite:///{path}")
    study = optuna.create_study(study_name="big", storage=storage)
    dists = {f"x{i}": optuna.distributions.FloatDistribution(-5, 5) for i in range(5)}
    rng = random.Random(0)
    by_optuna = min(n, 1000)
    batch = []
    for _ in range(by_optuna):
        p = {k: rng.uniform(-5, 5) for k in dists}
        batch.append(optuna.trial.create_trial(params=p, distributions=dists, value=sum(v * v for v in p.values())))
    study.add_trials(batch)
    storage.engine.dispose()
    if n == by_optuna:
        return
    db = sqlite3.connect(path)
    study_id, start, complete = db.execute(
        "SELECT study_id, datetime_start, datetime_complete FROM trials ORDER BY trial_id DESC LIMIT 1").fetchone()
    dist_json = dict(db.execute(
        "SELECT param_name, distribution_json FROM trial_params WHERE trial_id = "
        "(SELECT MAX(trial_id) FROM trials)").fetchall())
    next_id = db.execute("SELECT MAX(trial_id) FROM trials").fetchone()[0] + 1
    trials, params, values = [], [], []
    for number in range(by_optuna, n):
        trial_id = next_id + number - by_optuna
        p = {k: rng.uniform(-5, 5) for k in dists}
        trials.append((trial_id, number, study_id, "COMPLETE", start, complete))
        params += [(trial_id, k, v, dist_json[k]) for k, v in p.items()]
        values.append((trial_id, 0, sum(v * v for v in p.values()), "FINITE"))
    with db:
        db.executemany("INSERT INTO trials (trial_id, number, study_id, state, datetime_start, datetime_complete) "
                       "VALUES (?, ?, ?, ?, ?, ?)", trials)
        db.executemany("INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) "
                       "VALUES (?, ?, ?, ?)", params)
        db.executemany("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?)",
                       values)
    db.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--optunad", default=".build/release/optunad")
    ap.add_argument("--trials", type=int, default=100_000)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="optunad-cold-")
    db = os.path.join(work, "big.db")
    t0 = time.perf_counter()
    make_file(db, args.trials)
    print(f"# {args.trials} trials written by Optuna in {time.perf_counter() - t0:.1f} s ({os.path.getsize(db) >> 20} MiB)")
    sock = os.path.join(work, "c.sock")
    t0 = time.perf_counter()
    proc = subprocess.Popen([args.optunad, "--socket", sock, "--storage", f"sqlite:///{db}", "--log-level", "warning"],
                            stderr=subprocess.DEVNULL)
    while True:
        try:
            c = Client(sock)
            c.call("hello")
            break
        except OSError:
            time.sleep(0.005)
    ready = time.perf_counter() - t0
    t1 = time.perf_counter()
    n = c.call("get_study", study_name="big")["n_trials"]
    load = time.perf_counter() - t1
    t2 = time.perf_counter()
    c.call("ask", study_name="big", search_space={f"x{i}": {"type": "float", "low": -5, "high": 5} for i in range(5)})
    first_ask = time.perf_counter() - t2
    proc.terminate()
    proc.wait()
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    t3 = time.perf_counter()
    study = optuna.load_study(study_name="big", storage=f"sqlite:///{db}")
    m = len(study.trials)
    optuna_load = time.perf_counter() - t3
    print(f"optunad: ready in {ready:.3f} s; first get_study (loads {n} trials) {load:.3f} s; first ask after it "
          f"{first_ask * 1e3:.1f} ms")
    print(f"optuna : load_study + trials ({m}) {optuna_load:.3f} s; ratio {optuna_load / load:.1f}x")


if __name__ == "__main__":
    main()
