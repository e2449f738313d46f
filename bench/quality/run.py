#!/usr/bin/env python3
"""Sampler quality, optunad beside Python Optuna: the same problems, the same options, many seeds.

For each problem and seed both run `--budget` trials; the score is the best feasible value (one objective,
smaller is better) or the hypervolume of the feasible Pareto front against a fixed reference point (several
objectives, larger is better). Printed per problem: median and quartiles on each side and the two-sided
Mann-Whitney U p-value; the verdict says "worse" only where optunad is worse at p < 0.05.

Example: bench/quality/run.py --sampler tpe --seeds 10 --budget 100

With `--optuna-cache FILE`, Optuna's scores are read from (and added to) a JSON file keyed by Optuna's version,
sampler, problem, budget and seed, so repeated comparisons only rerun optunad. `--first-seed` picks another block
of seeds: small seed sets (10) can differ by chance on problems with several basins, such as hartmann6.
"""
import argparse
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "protocol" / "python"))
sys.path.insert(0, str(HERE))

import optuna  # noqa: E402
import optunad  # noqa: E402
from optuna._hypervolume import compute_hypervolume  # noqa: E402

import problems as P  # noqa: E402
import stats  # noqa: E402

SAMPLERS = {
    # name: (optuna factory, optunad factory); both take seed and a constraints_func (or None)
    "tpe": (lambda s, c: optuna.samplers.TPESampler(seed=s, constraints_func=c),
            lambda s, c: optunad.samplers.TPESampler(seed=s, constraints_func=c)),
    "tpe-independent": (lambda s, c: optuna.samplers.TPESampler(seed=s, multivariate=False, constraints_func=c),
                        lambda s, c: optunad.samplers.TPESampler(seed=s, multivariate=False, constraints_func=c)),
    "random": (lambda s, c: optuna.samplers.RandomSampler(seed=s), lambda s, c: optunad.samplers.RandomSampler(seed=s)),
    "nsga2": (lambda s, c: optuna.samplers.NSGAIISampler(seed=s, constraints_func=c),
              lambda s, c: optunad.samplers.NSGAIISampler(seed=s, constraints_func=c)),
    "nsga3": (lambda s, c: optuna.samplers.NSGAIIISampler(seed=s, constraints_func=c),
              lambda s, c: optunad.samplers.NSGAIIISampler(seed=s, constraints_func=c)),
    "cmaes": (lambda s, c: optuna.samplers.CmaEsSampler(seed=s), lambda s, c: optunad.samplers.CmaEsSampler(seed=s)),
    "qmc": (lambda s, c: optuna.samplers.QMCSampler(seed=s), lambda s, c: optunad.samplers.QMCSampler(seed=s)),
    "gp": (lambda s, c: optuna.samplers.GPSampler(seed=s, constraints_func=c),
           lambda s, c: optunad.samplers.GPSampler(seed=s, constraints_func=c)),
}


def score(trials, directions, reference, constraints):
    done = [t for t in trials if t.state.name == "COMPLETE"]
    if constraints:
        done = [t for t in done if all(c <= 0 for c in constraints(t))]
    if isinstance(directions, str):
        vals = [t.value for t in done]
        return min(vals) if vals else math.inf
    pts = [list(t.values) for t in done if all(v <= r for v, r in zip(t.values, reference))]
    if not pts:
        return 0.0
    import numpy as np
    return float(compute_hypervolume(np.asarray(pts, dtype=float), np.asarray(reference, dtype=float)))


def run_side(lib, factory, name, directions, f, constraints, seed, budget, socket_path):
    sampler = factory(seed, constraints)
    kwargs = {"directions": directions} if not isinstance(directions, str) else {"direction": directions}
    if lib is optunad:
        study = optunad.create_study(study_name=f"{name}-{seed}-{time.time_ns()}", sampler=sampler,
                                     pruner=optunad.pruners.NopPruner(), socket=socket_path, **kwargs)
    else:
        study = optuna.create_study(sampler=sampler, **kwargs)
    study.optimize(f, n_trials=budget)
    return score(study.trials, directions, P.PROBLEMS[name][3], constraints)


def start_daemon(binary, workdir):
    sock = os.path.join(workdir, "quality.sock")
    proc = subprocess.Popen([binary, "--socket", sock, "--storage", "memory:", "--log-level", "warning"],
                            stderr=subprocess.DEVNULL)
    for _ in range(400):
        if os.path.exists(sock):
            try:
                optunad.get_all_study_names(socket=sock)
                return proc, sock
            except Exception:
                pass
        time.sleep(0.025)
    proc.kill()
    raise SystemExit("optunad did not start")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--optunad", default=str(ROOT / ".build" / "release" / "optunad"))
    ap.add_argument("--sampler", default="tpe", choices=sorted(SAMPLERS))
    ap.add_argument("--problems", default=",".join(P.PROBLEMS))
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--budget", type=int, default=100)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--optuna-cache", type=pathlib.Path, default=None)
    args = ap.parse_args()
    cache = json.loads(args.optuna_cache.read_text()) if args.optuna_cache and args.optuna_cache.exists() else {}
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    optunad.logging.set_verbosity(optunad.logging.ERROR)
    workdir = tempfile.mkdtemp(prefix="optunad-quality-")
    proc, sock = start_daemon(args.optunad, workdir)
    opt_factory, dmn_factory = SAMPLERS[args.sampler]
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    print(f"# sampler {args.sampler}, seeds {seeds.start}..{seeds.stop - 1}, {args.budget} trials; "
          "score: best value (min) or hypervolume (max)")
    print(f"{'problem':20s} {'optunad median [q1, q3]':>34s} {'optuna median [q1, q3]':>34s} {'p':>7s}  verdict")
    worse = 0
    try:
        for name in args.problems.split(","):
            directions, f, constraints, _ = P.PROBLEMS[name]
            mine, theirs = [], []
            for seed in seeds:
                mine.append(run_side(optunad, dmn_factory, name, directions, f, constraints, seed, args.budget, sock))
                key = f"{optuna.__version__}/{args.sampler}/{name}/{args.budget}/{seed}"
                if key not in cache:
                    cache[key] = run_side(optuna, opt_factory, name, directions, f, constraints, seed, args.budget, sock)
                    if args.optuna_cache:
                        args.optuna_cache.write_text(json.dumps(cache, indent=0, sort_keys=True))
                theirs.append(cache[key])
            maximize = not isinstance(directions, str)
            q_m, q_o = stats.quartiles(mine), stats.quartiles(theirs)
            _, p, _ = stats.mann_whitney(mine, theirs)
            better_median = (q_m[1] > q_o[1]) if maximize else (q_m[1] < q_o[1])
            verdict = "same" if p >= 0.05 else ("better" if better_median else "WORSE")
            worse += verdict == "WORSE"
            fmt = lambda q: f"{q[1]:.4g} [{q[0]:.4g}, {q[2]:.4g}]"
            print(f"{name:20s} {fmt(q_m):>34s} {fmt(q_o):>34s} {p:7.3f}  {verdict}", flush=True)
    finally:
        proc.terminate()
        proc.wait()
    print(f"# problems where optunad is worse at p < 0.05: {worse}")


if __name__ == "__main__":
    main()
