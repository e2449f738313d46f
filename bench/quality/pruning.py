#!/usr/bin/env python3
"""Pruner quality, optunad beside Python Optuna: synthetic learning curves where good and bad configurations
differ early. For each pruner and seed both sides run `--trials` trials of up to `--steps` steps; reported per
pruner: the median best final loss and the median total steps consumed (fewer steps for the same loss is better).

Example: bench/quality/pruning.py --seeds 10 --trials 60
"""
import argparse
import math
import os
import pathlib
import random
import statistics
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
import stats  # noqa: E402

PRUNERS = {
    "nop": lambda lib: lib.pruners.NopPruner(),
    "median": lambda lib: lib.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=5),
    "percentile": lambda lib: lib.pruners.PercentilePruner(25.0, n_startup_trials=5, n_warmup_steps=5),
    "successive_halving": lambda lib: lib.pruners.SuccessiveHalvingPruner(),
    "hyperband": lambda lib: lib.pruners.HyperbandPruner(min_resource=1, max_resource=100),
    "threshold": lambda lib: lib.pruners.ThresholdPruner(upper=2.0, n_warmup_steps=10),
    "patient": lambda lib: lib.pruners.PatientPruner(lib.pruners.MedianPruner(n_startup_trials=5), patience=3),
}


def curve(lr, width, step, noise):
    """Loss after `step` epochs: a good (lr, width) converges fast and low; the gap shows within a few steps."""
    quality = (math.log10(lr) + 2.5) ** 2 + 0.5 * (math.log2(width) - 6) ** 2
    final = 0.1 + 0.2 * quality
    rate = 0.15 / (1 + 0.3 * quality)
    return final + (2.5 - final) * math.exp(-rate * step) + noise


def objective_factory(steps, counter, rng_seed):
    def objective(trial):
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        width = trial.suggest_int("width", 8, 512, log=True)
        rng = random.Random(rng_seed * 100_003 + trial.number)
        loss = 2.5
        for step in range(steps):
            loss = curve(lr, width, step, rng.gauss(0, 0.02))
            counter[0] += 1
            trial.report(loss, step)
            if trial.should_prune():
                raise (optunad if isinstance(trial, optunad.Trial) else optuna).TrialPruned()
        return loss
    return objective


def run(lib, pruner, seed, trials, steps, sock):
    counter = [0]
    sampler = lib.samplers.TPESampler(seed=seed)
    if lib is optunad:
        study = optunad.create_study(study_name=f"prune-{pruner}-{seed}-{time.time_ns()}", sampler=sampler,
                                     pruner=PRUNERS[pruner](lib), socket=sock)
    else:
        study = optuna.create_study(sampler=sampler, pruner=PRUNERS[pruner](lib))
    study.optimize(objective_factory(steps, counter, seed), n_trials=trials)
    complete = [t.value for t in study.trials if t.state.name == "COMPLETE"]
    return (min(complete) if complete else math.inf), counter[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--optunad", default=str(ROOT / ".build" / "release" / "optunad"))
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--trials", type=int, default=60)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--pruners", default=",".join(PRUNERS))
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    optunad.logging.set_verbosity(optunad.logging.ERROR)
    work = tempfile.mkdtemp(prefix="optunad-prune-")
    sock = os.path.join(work, "p.sock")
    proc = subprocess.Popen([args.optunad, "--socket", sock, "--storage", "memory:", "--log-level", "warning"],
                            stderr=subprocess.DEVNULL)
    for _ in range(400):
        if os.path.exists(sock):
            break
        time.sleep(0.025)
    print(f"# {args.seeds} seeds, {args.trials} trials of up to {args.steps} steps, TPE sampler")
    print(f"{'pruner':20s} {'optunad best':>13s} {'steps':>8s} {'optuna best':>13s} {'steps':>8s} {'p(best)':>8s}")
    try:
        for pruner in args.pruners.split(","):
            mine = [run(optunad, pruner, s, args.trials, args.steps, sock) for s in range(args.seeds)]
            theirs = [run(optuna, pruner, s, args.trials, args.steps, sock) for s in range(args.seeds)]
            _, p, _ = stats.mann_whitney([m[0] for m in mine], [t[0] for t in theirs])
            med = lambda xs, i: statistics.median(x[i] for x in xs)
            print(f"{pruner:20s} {med(mine, 0):13.4f} {med(mine, 1):8.0f} {med(theirs, 0):13.4f} {med(theirs, 1):8.0f} "
                  f"{p:8.3f}", flush=True)
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
