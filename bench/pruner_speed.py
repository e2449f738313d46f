#!/usr/bin/env python3
"""Report latency per pruner as the history grows, optunad (over the socket) beside Python Optuna (in-process).

For each pruner and history size N, N trials are run one after another: each asks for one float, reports
`--steps` intermediate values (a noisy curve that converges to the parameter) and stops when pruned, then is
told PRUNED or COMPLETE. Both sides see the same values. Timed: every report of the last `--timed` trials, as
the client sees it: optunad's `report` (which answers should_prune), Optuna's `trial.report` followed by
`trial.should_prune()`. Reported: p50 and p90 in ms, and the ratio Optuna/optunad of the p50s.

Most reports of successive halving and Hyperband reach no new rung and are answered without the other trials;
the p90 column shows the reports that do.
"""
import argparse
import os
import random
import sys
import tempfile
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Client, start_daemon  # noqa: E402

PRUNERS = {
    "median": ({"type": "median"}, lambda o: o.pruners.MedianPruner()),
    "percentile": ({"type": "percentile", "percentile": 25.0}, lambda o: o.pruners.PercentilePruner(25.0)),
    "successive_halving": ({"type": "successive_halving"}, lambda o: o.pruners.SuccessiveHalvingPruner()),
    "hyperband": ({"type": "hyperband"}, lambda o: o.pruners.HyperbandPruner()),
    "wilcoxon": ({"type": "wilcoxon"}, lambda o: o.pruners.WilcoxonPruner()),
    "patient(successive_halving)": (
        {"type": "patient", "wrapped_pruner": {"type": "successive_halving"}, "patience": 2},
        lambda o: o.pruners.PatientPruner(o.pruners.SuccessiveHalvingPruner(), patience=2)),
}


def curve(seed, n_trials, steps):
    """The reports of every trial: a parameter-independent noisy curve per trial, the same on both sides."""
    rng = random.Random(seed)
    return [[rng.random() * 0.5 + rng.random() / (s + 1) for s in range(steps)] for _ in range(n_trials)]


def percentiles(lat):
    lat = sorted(lat)
    return lat[len(lat) // 2] * 1e3, lat[min(len(lat) - 1, int(len(lat) * 0.9))] * 1e3


def run_optunad(binary, spec, values, timed):
    wd = tempfile.mkdtemp()
    sock = os.path.join(wd, "p.sock")
    proc = start_daemon(binary, sock, "memory:", "normal")
    try:
        c = Client(sock)
        c.call("create_study", study_name="p", sampler={"type": "random", "seed": 1}, pruner=spec)
        lat = []
        for n, reports in enumerate(values):
            t = c.call("ask", study_name="p", search_space={"x": {"type": "float", "low": 0, "high": 1}})
            pruned = False
            for step, v in enumerate(reports):
                s = time.perf_counter()
                r = c.call("report", trial_id=t["trial_id"], step=step, value=v)
                if n >= len(values) - timed:
                    lat.append(time.perf_counter() - s)
                if r["should_prune"]:
                    pruned = True
                    break
            if pruned:
                c.call("tell", trial_id=t["trial_id"], state="PRUNED")
            else:
                c.call("tell", trial_id=t["trial_id"], value=reports[-1])
        return percentiles(lat)
    finally:
        proc.terminate()
        proc.wait()


def run_optuna(make, values, timed):
    import optuna

    # Optuna marks some pruners experimental; the warning says nothing about speed.
    warnings.simplefilter("ignore")
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1), pruner=make(optuna))
    dist = {"x": optuna.distributions.FloatDistribution(0, 1)}
    lat = []
    for n, reports in enumerate(values):
        t = study.ask(dist)
        pruned = False
        for step, v in enumerate(reports):
            s = time.perf_counter()
            t.report(v, step)
            p = t.should_prune()
            if n >= len(values) - timed:
                lat.append(time.perf_counter() - s)
            if p:
                pruned = True
                break
        if pruned:
            study.tell(t, state=optuna.trial.TrialState.PRUNED)
        else:
            study.tell(t, reports[-1])
    return percentiles(lat)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--optunad", required=True)
    ap.add_argument("--pruners", default=",".join(PRUNERS))
    ap.add_argument("--sizes", default="300,1000")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--timed", type=int, default=20, help="trials at the end whose reports are timed")
    args = ap.parse_args()
    print(f"pruner report latency, ms (p50 / p90), {args.steps} steps per trial, last {args.timed} trials timed")
    print(f"{'pruner':<28} {'trials':>7} {'optunad':>17} {'optuna':>17} {'ratio':>7}")
    for name in args.pruners.split(","):
        spec, make = PRUNERS[name]
        for n in map(int, args.sizes.split(",")):
            values = curve(n, n, args.steps)
            ours = run_optunad(args.optunad, spec, values, args.timed)
            theirs = run_optuna(make, values, args.timed)
            print(f"{name:<28} {n:>7} {ours[0]:>8.3f} / {ours[1]:<6.3f} {theirs[0]:>8.3f} / {theirs[1]:<6.3f} "
                  f"{theirs[0] / ours[0]:>6.1f}x", flush=True)


if __name__ == "__main__":
    main()
