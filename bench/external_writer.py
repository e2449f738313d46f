#!/usr/bin/env python3
"""Ask latency on SQLite when another process writes to the same file, optunad beside Python Optuna.

A study of N trials (random sampler, 5 floats) is filled through optunad. Then, in turn, another connection
commits to the file (a study user attribute of a second study, as any Optuna worker or optuna-dashboard
might) and a client asks and tells. optunad notices the commit and reads again the trials that can have
changed before the ask; Optuna reads the study from the file on every ask anyway. Reported: median ask
latency in ms with and without the foreign commit before it, and Optuna's (in-process `study.ask` on the same
file, same foreign commit).
"""
import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import SPACE, Client, start_daemon  # noqa: E402


def measure_optunad(binary, db, sock, n, rounds):
    proc = start_daemon(binary, sock, f"sqlite:///{db}", "normal")
    try:
        c = Client(sock)
        c.call("create_study", study_name="a", sampler={"type": "random", "seed": 1})
        c.call("create_study", study_name="other", sampler={"type": "random", "seed": 1})
        for _ in range(n):
            t = c.call("ask", study_name="a", search_space=SPACE)
            c.call("tell", trial_id=t["trial_id"], value=1.0)
        other = sqlite3.connect(db, isolation_level=None)
        quiet, after = [], []
        for i in range(rounds):
            for foreign, into in ((False, quiet), (True, after)):
                if foreign:
                    other.execute("INSERT OR REPLACE INTO study_user_attributes (study_id, key, value_json) "
                                  "VALUES (2, 'k', ?)", (str(i),))
                s = time.perf_counter()
                t = c.call("ask", study_name="a", search_space=SPACE)
                into.append(time.perf_counter() - s)
                c.call("tell", trial_id=t["trial_id"], value=1.0)
        other.close()
        return statistics.median(quiet) * 1e3, statistics.median(after) * 1e3
    finally:
        proc.terminate()
        proc.wait()


def measure_optuna(db, rounds):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.load_study(study_name="a", storage=f"sqlite:///{db}", sampler=optuna.samplers.RandomSampler(seed=1))
    dists = {k: optuna.distributions.FloatDistribution(-5.0, 5.0) for k in SPACE}
    other = sqlite3.connect(db, isolation_level=None)
    lat = []
    for i in range(rounds):
        other.execute("INSERT OR REPLACE INTO study_user_attributes (study_id, key, value_json) VALUES (2, 'k', ?)",
                      (str(i),))
        s = time.perf_counter()
        t = study.ask(dists)
        lat.append(time.perf_counter() - s)
        study.tell(t, 1.0)
    other.close()
    return statistics.median(lat) * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--optunad", required=True)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    print("# ask latency on SQLite with another writer (median ms)")
    print(f"{'trials':>7} {'optunad quiet':>14} {'optunad after':>14} {'optuna after':>13} {'optuna/optunad':>15}")
    for n in map(int, args.sizes.split(",")):
        work = tempfile.mkdtemp(prefix="optunad-ext-")
        db = os.path.join(work, "x.db")
        quiet, after = measure_optunad(args.optunad, db, os.path.join(work, "s.sock"), n, args.rounds)
        theirs = measure_optuna(db, args.rounds)
        print(f"{n:>7} {quiet:>14.3f} {after:>14.3f} {theirs:>13.3f} {theirs / after:>14.1f}x", flush=True)


if __name__ == "__main__":
    main()
