#!/usr/bin/env python3
"""Ask latency per sampler as the history grows, optunad (over the socket) beside Python Optuna (in-process).

For each sampler and history size N, a study is filled with N completed trials, then `--asks` ask+tell pairs are
timed. Samplers that keep state in their trials (CMA-ES generations, NSGA-II generations, QMC positions) are filled
by really running them (ask + tell, sphere objective), on both sides; the others (TPE, GP, random) with random
parameters (optunad: enqueue + ask + tell, which samples nothing; Optuna: add_trials), which is what they read.
Reported: median ask latency in ms as the client sees it, and the ratio Optuna/optunad. With
`--inprocess BINARY` (`optunad-inprocess-bench`, built by `make bench`) a second pair of columns gives the same
asks through the daemon's request path without the socket (parsing, study actor, sampler, in-memory storage,
encoding): what the sampler itself costs, beside Optuna's in-process ask. The difference between the two
optunad columns is the socket round trip and event-loop wake-ups, the same for every sampler.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Client, start_daemon  # noqa: E402

SPECS = {
    "tpe": ({"type": "tpe"}, lambda o, s: o.samplers.TPESampler(seed=s)),
    "tpe-independent": ({"type": "tpe", "multivariate": False}, lambda o, s: o.samplers.TPESampler(seed=s, multivariate=False)),
    "random": ({"type": "random"}, lambda o, s: o.samplers.RandomSampler(seed=s)),
    "cmaes": ({"type": "cmaes"}, lambda o, s: o.samplers.CmaEsSampler(seed=s)),
    "nsga2": ({"type": "nsga2"}, lambda o, s: o.samplers.NSGAIISampler(seed=s)),
    "qmc": ({"type": "qmc"}, lambda o, s: o.samplers.QMCSampler(seed=s)),
    "gp": ({"type": "gp"}, lambda o, s: o.samplers.GPSampler(seed=s)),
    # The grid's values come per run (grid_values): 7 per parameter, 7^params points.
    "grid": ({"type": "grid"}, lambda o, s, n: o.samplers.GridSampler(grid_values(n), seed=s)),
}

GRID_VALUES = [-4.5 + 1.5 * i for i in range(7)]


def grid_values(n_params):
    return {f"x{i}": GRID_VALUES for i in range(n_params)}


def optunad_spec(sampler, n_params):
    """The sampler spec given to optunad (socket and in-process alike)."""
    spec = dict(SPECS[sampler][0], seed=1)
    if sampler == "grid":
        spec["search_space"] = grid_values(n_params)
    return spec


def optuna_sampler(optuna, sampler, n_params):
    make = SPECS[sampler][1]
    return make(optuna, 1, n_params) if sampler == "grid" else make(optuna, 1)


def space(n_params):
    return {f"x{i}": {"type": "float", "low": -5.0, "high": 5.0} for i in range(n_params)}


STATEFUL = {"cmaes", "nsga2", "qmc", "grid"}


def history(n, n_params, rng):
    for _ in range(n):
        p = {f"x{i}": rng.uniform(-5, 5) for i in range(n_params)}
        yield p, sum(v * v for v in p.values())


def optunad_latency(sock, sampler, n, n_params, asks):
    c = Client(sock)
    name = f"{sampler}-{n}-{time.time_ns()}"
    c.call("create_study", study_name=name, sampler=optunad_spec(sampler, n_params), pruner="nop")
    sp = space(n_params)
    rng = random.Random(0)
    if sampler in STATEFUL:
        for _ in range(n):
            t = c.call("ask", study_name=name, search_space=sp)
            c.call("tell", trial_id=t["trial_id"], value=sum(x * x for x in t["params"].values()))
    else:
        for p, v in history(n, n_params, rng):
            c.call("enqueue_trial", study_name=name, params=p)
            t = c.call("ask", study_name=name, search_space=sp)
            c.call("tell", trial_id=t["trial_id"], value=v)
    lat = []
    for _ in range(asks):
        s = time.perf_counter()
        t = c.call("ask", study_name=name, search_space=sp)
        lat.append(time.perf_counter() - s)
        c.call("tell", trial_id=t["trial_id"], value=sum(x * x for x in t["params"].values()))
    return statistics.median(lat) * 1e3


def optuna_latency(sampler, n, n_params, asks):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(sampler=optuna_sampler(optuna, sampler, n_params))
    dists = {f"x{i}": optuna.distributions.FloatDistribution(-5.0, 5.0) for i in range(n_params)}
    rng = random.Random(0)
    if sampler in STATEFUL:
        for _ in range(n):
            t = study.ask(dists)
            study.tell(t, sum(x * x for x in t.params.values()))
    else:
        study.add_trials([optuna.trial.create_trial(params=p, distributions=dists, value=v)
                          for p, v in history(n, n_params, rng)])
    lat = []
    for _ in range(asks):
        s = time.perf_counter()
        t = study.ask(dists)
        lat.append(time.perf_counter() - s)
        study.tell(t, sum(x * x for x in t.params.values()))
    return statistics.median(lat) * 1e3


def inprocess_latency(binary, sampler, n, n_params, asks):
    """Median ask latency (ms) through the daemon's request path in one process, without the socket."""
    fill = "run" if sampler in STATEFUL else "enqueue"
    out = subprocess.run(
        [binary, "--spec", json.dumps(optunad_spec(sampler, n_params)), "--fill", fill, "--trials", str(n),
         "--params", str(n_params), "--asks", str(asks)],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)["ask_ms"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--optunad", default=".build/release/optunad")
    ap.add_argument("--samplers", default="tpe,tpe-independent")
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--params", type=int, default=10)
    ap.add_argument("--asks", type=int, default=20)
    ap.add_argument("--optuna-max", type=int, default=10000, help="skip Optuna above this history size")
    ap.add_argument("--inprocess", help="optunad-inprocess-bench binary: add the in-process columns")
    args = ap.parse_args()
    workdir = tempfile.mkdtemp(prefix="optunad-speed-")
    sock = os.path.join(workdir, "s.sock")
    proc = start_daemon(args.optunad, sock, "memory:", "normal")
    print(f"# ask latency (median ms), {args.params} float params, {args.asks} asks per cell")
    header = f"{'sampler':18s} {'trials':>7s} {'optunad':>10s} {'optuna':>10s} {'optuna/optunad':>15s}"
    if args.inprocess:
        header += f" {'in-process':>11s} {'optuna/in-process':>18s}"
    print(header)
    try:
        for sampler in args.samplers.split(","):
            for n in (int(x) for x in args.sizes.split(",")):
                mine = optunad_latency(sock, sampler, n, args.params, args.asks)
                theirs = optuna_latency(sampler, n, args.params, args.asks) if n <= args.optuna_max else float("nan")
                line = f"{sampler:18s} {n:7d} {mine:10.3f} {theirs:10.3f} {theirs / mine:14.1f}x"
                if args.inprocess:
                    inner = inprocess_latency(args.inprocess, sampler, n, args.params, args.asks)
                    line += f" {inner:11.3f} {theirs / inner:17.1f}x"
                print(line, flush=True)
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
