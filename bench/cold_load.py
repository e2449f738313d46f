#!/usr/bin/env python3
"""Cold load of a large study: a SQLite file in Optuna's schema with `--trials` COMPLETE trials (5 float params,
written by Optuna's own RDB storage layer through `add_trials`, so the file is exactly what Optuna produces), then:

- optunad: start on the file (READY must not depend on the trial count), then the first `get_study`, which loads
  every trial of the study into memory;
- Optuna: `load_study` + `study.trials` on the same file.
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
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    storage = optuna.storages.RDBStorage(f"sqlite:///{path}")
    study = optuna.create_study(study_name="big", storage=storage)
    dists = {f"x{i}": optuna.distributions.FloatDistribution(-5, 5) for i in range(5)}
    rng = random.Random(0)
    batch = []
    for _ in range(n):
        p = {k: rng.uniform(-5, 5) for k in dists}
        batch.append(optuna.trial.create_trial(params=p, distributions=dists, value=sum(v * v for v in p.values())))
        if len(batch) == 5000:
            study.add_trials(batch)
            batch = []
    if batch:
        study.add_trials(batch)


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
