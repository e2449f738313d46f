#!/usr/bin/env python3
"""Pruner decision parity between Python Optuna and optunad.

Simulates thousands of random studies against Optuna's own pruners (in-memory studies driven by
ask / report / should_prune / tell) and records every decision. The recording is the fixture that the
Swift test `PrunerParityTests` replays through optunad's pruners, requiring identical decisions.

    pruner_parity.py generate [--out FILE]   write the fixture (default: the committed one)
    pruner_parity.py check [--fixture FILE]  regenerate with the installed Optuna and compare with the
                                             fixture; exit status 1 on any difference

The simulation is seeded, so a run against the pinned versions (optuna 5.0.0, numpy, scipy as listed in
the fixture) reproduces the fixture byte for byte.

What is simulated, per study: a pruner spec (optunad's JSON form, which uses Optuna's keyword names), a
direction, a study name, and trials that report intermediate values with varied step patterns (from 0,
from 1, strides, random gaps, late starts, out of order), NaN and infinite values, trials that ignore a
prune decision, FAIL trials and abandoned RUNNING ones. Stateless pruners are also run with several
trials interleaved; successive halving and Hyperband (and PatientPruner wrapping them) run one trial at a
time with reports in increasing step order, the model under which optunad rebuilds Optuna's rung records.
For Hyperband the trials the sampler would see at each ask (Optuna's bracket study) are recorded too.
Nothing is left to Optuna's RNG: the pruners are deterministic.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import warnings

FIXTURE = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "Tests",
    "OptunaCoreTests",
    "Fixtures",
    "pruner_parity.json",
)
SEED = 20260501
FORMAT = 1

STATELESS = ("median", "percentile", "threshold", "wilcoxon", "nop")


def build_pruner(spec):
    """The Optuna pruner for one of optunad's pruner specs."""
    import optuna.pruners as p

    kind = spec["type"]
    opts = {k: v for k, v in spec.items() if k != "type"}
    if kind == "patient":
        wrapped = opts.pop("wrapped_pruner")
        return p.PatientPruner(None if wrapped is None else build_pruner(wrapped), **opts)
    classes = {
        "median": p.MedianPruner,
        "percentile": p.PercentilePruner,
        "successive_halving": p.SuccessiveHalvingPruner,
        "hyperband": p.HyperbandPruner,
        "threshold": p.ThresholdPruner,
        "wilcoxon": p.WilcoxonPruner,
        "nop": p.NopPruner,
    }
    return classes[kind](**opts)


def is_stateful(spec):
    if spec["type"] in ("successive_halving", "hyperband"):
        return True
    if spec["type"] == "patient" and spec["wrapped_pruner"] is not None:
        return is_stateful(spec["wrapped_pruner"])
    return False


# ---------------------------------------------------------------------------------------------
# Random pruner specs: a spread of option values for every pruner.


def spec_for(kind, rng, depth=0):
    if kind == "median":
        return {
            "type": "median",
            "n_startup_trials": rng.choice([0, 1, 2, 5]),
            "n_warmup_steps": rng.choice([0, 0, 1, 3, 10]),
            "interval_steps": rng.choice([1, 1, 2, 3, 5]),
            "n_min_trials": rng.choice([1, 1, 2, 4]),
        }
    if kind == "percentile":
        spec = spec_for("median", rng)
        spec["type"] = "percentile"
        spec["percentile"] = rng.choice([0.0, 10.0, 25.0, 33.3, 50.0, 75.0, 90.0, 100.0])
        return spec
    if kind == "successive_halving":
        min_resource = rng.choice(["auto", "auto", 1, 2, 3, 5])
        return {
            "type": "successive_halving",
            "min_resource": min_resource,
            "reduction_factor": rng.choice([2, 3, 4]),
            "min_early_stopping_rate": rng.choice([0, 0, 1, 2]),
            "bootstrap_count": 0 if min_resource == "auto" else rng.choice([0, 0, 1, 2]),
        }
    if kind == "hyperband":
        max_resource = rng.choice(["auto", "auto", 9, 27, 50, 100])
        return {
            "type": "hyperband",
            "min_resource": rng.choice([1, 1, 2, 3]),
            "max_resource": max_resource,
            "reduction_factor": rng.choice([2, 3, 3, 4]),
            "bootstrap_count": 0 if max_resource == "auto" else rng.choice([0, 0, 1]),
        }
    if kind == "threshold":
        lower, upper = rng.choice([(0.2, None), (None, 0.8), (0.1, 0.9), (0.4, 0.6), (0.5, 0.5), (-1.0, 2.0)])
        return {
            "type": "threshold",
            "lower": lower,
            "upper": upper,
            "n_warmup_steps": rng.choice([0, 0, 2, 5]),
            "interval_steps": rng.choice([1, 1, 2, 4]),
        }
    if kind == "patient":
        choices = ["none", "median", "percentile", "threshold", "successive_halving", "hyperband", "wilcoxon"]
        if depth == 0:
            choices.append("patient")
        inner = rng.choice(choices)
        return {
            "type": "patient",
            "wrapped_pruner": None if inner == "none" else spec_for(inner, rng, depth + 1),
            "patience": rng.choice([0, 1, 2, 3, 5]),
            "min_delta": rng.choice([0.0, 0.0, 0.01, 0.1]),
        }
    if kind == "wilcoxon":
        return {
            "type": "wilcoxon",
            "p_threshold": rng.choice([0.01, 0.05, 0.1, 0.1, 0.3, 0.5, 1.0]),
            "n_startup_steps": rng.choice([0, 1, 2, 2, 5, 10]),
        }
    if kind == "nop":
        return {"type": "nop"}
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------------
# Random histories.


def step_pattern(rng, allow_unordered):
    """The steps one trial reports, in reporting order."""
    length = rng.choice([1, 2, 3, 5, 8, 12, 20, 30])
    kind = rng.choice(["from0", "from0", "from1", "stride", "gaps", "late", "unordered"])
    if kind == "from0":
        steps = list(range(length))
    elif kind == "from1":
        steps = list(range(1, length + 1))
    elif kind == "stride":
        k = rng.choice([2, 3, 5, 10])
        steps = [i * k for i in range(length)]
    elif kind == "gaps":
        steps = sorted(rng.sample(range(0, 3 * length + 5), length))
    elif kind == "late":
        start = rng.choice([3, 7, 15, 60])
        steps = list(range(start, start + length))
    else:
        steps = list(range(length))
        if allow_unordered:
            rng.shuffle(steps)
    return steps


def curve(rng, steps, quality, maximize, grid):
    """Intermediate values: a noisy learning curve, some NaN and infinite values."""
    values = []
    nan_rate = rng.choice([0.0, 0.0, 0.02, 0.1, 1.0 if rng.random() < 0.05 else 0.0])
    for s in steps:
        r = rng.random()
        if r < nan_rate:
            v = math.nan
        elif r < nan_rate + 0.01:
            v = rng.choice([math.inf, -math.inf])
        else:
            v = quality + 0.5 / (1.0 + 0.2 * s) + rng.gauss(0.0, 0.05)
            if maximize:
                v = 1.0 - v
            v = round(v * grid) / grid
        values.append(v)
    return values


def wilcoxon_regime(rng, light):
    """Sizes for a study whose steps are problem instances, chosen to reach each of SciPy's p-value
    methods while keeping its exact permutation test (up to 2^13 statistics in Python) affordable.

    Returns (instances, trials, fine, coarse): instances at the first `fine` reporting positions get
    values on a 1e-4 grid (ties unlikely), the others on the `coarse` grid (ties and zeros likely).
    """
    r = rng.random()
    if r < 0.6 or (light and r < 0.85):
        return rng.choice([5, 8, 12, 13, 14, 20, 30, 50, 51, 60]), rng.choice([3, 4, 6, 8]), 10**9, 10**4
    if r < 0.85:
        return rng.choice([20, 30, 50, 51, 60]), rng.choice([3, 6, 10]), 13, rng.choice([10, 100])
    if r < 0.97 or light:
        return rng.choice([3, 5, 6, 8]), rng.choice([2, 4, 6, 8]), 0, rng.choice([10, 100])
    return rng.choice([10, 11, 12, 13]), 2, 0, 10


def wilcoxon_plans(rng, maximize, ordered_only, light):
    """Trials that each report every instance once, in a shared or own random order."""
    n_instances, n_trials, fine, coarse = wilcoxon_regime(rng, light)
    order = list(range(n_instances))
    rng.shuffle(order)
    shared_order = fine < n_instances or rng.random() < 0.5
    difficulty = {i: round(rng.random(), 3) for i in order}
    plans = []
    best = None
    for _ in range(n_trials):
        trial_order = list(order)
        if not shared_order:
            rng.shuffle(trial_order)
        if ordered_only:
            trial_order.sort()
        if best is not None and coarse <= 100 and rng.random() < 0.15:
            values = dict(best)  # a re-run of an earlier configuration: every difference is zero
        else:
            quality = rng.choice([0.0, 0.02, 0.05, 0.1, 0.3]) * rng.random()
            values = {}
            for position, i in enumerate(trial_order):
                grid = 10**4 if position < fine else coarse
                v = difficulty[i] + quality + rng.gauss(0.0, 0.05)
                values[i] = round((1.0 - v if maximize else v) * grid) / grid
            if rng.random() < 0.03:
                values[rng.choice(order)] = rng.choice([math.nan, math.inf])
        best = values if best is None or rng.random() < 0.3 else best
        plans.append(TrialPlan(rng, [(i, values[i]) for i in trial_order], maximize))
    return plans


def final_value(rng, values):
    finite = [v for v in values if math.isfinite(v)]
    base = sum(finite) / len(finite) if finite else rng.random()
    return round(base + rng.uniform(-1e-3, 1e-3), 9)


class Recorder:
    """Drives one Optuna study and records it in the fixture's compact form.

    `schedule` lists the events in order, space-separated: `a` asks a new trial, `n` is trial n's next
    report (followed by a decision, one character of `decisions`) and `n*k` k of them in a row, `tn`
    tells trial n how it ended. Each trial keeps
    its reported steps and values and its ending: ["COMPLETE", value], ["PRUNED"], ["FAIL"] or [] (never
    told); steps in arithmetic progression are written "start:stride:count". `views`, for Hyperband, holds the trial numbers the sampler would see at each ask.
    """

    def __init__(self, spec, direction, name):
        import optuna

        self.optuna = optuna
        self.study = optuna.create_study(direction=direction, study_name=name, pruner=build_pruner(spec))
        self.handles = []
        self.trials = []
        self.schedule = []
        self.decisions = []
        self.views = [] if spec["type"] == "hyperband" else None

    def ask(self):
        trial = self.study.ask()
        self.handles.append(trial)
        self.trials.append([[], [], []])
        self.schedule.append("a")
        if self.views is not None:
            from optuna.pruners import _filter_study

            frozen = self.study._storage.get_trial(trial._trial_id)
            view = _filter_study(self.study, frozen).get_trials(deepcopy=False)
            self.views.append([t.number for t in view])
        return trial.number

    def report(self, number, step, value):
        trial = self.handles[number]
        trial.report(value, step)
        decision = bool(trial.should_prune())
        self.trials[number][0].append(step)
        self.trials[number][1].append(encode(value))
        last = self.schedule[-1] if self.schedule else None
        if isinstance(last, list) and last[0] == number:
            last[1] += 1
        else:
            self.schedule.append([number, 1])
        self.decisions.append("1" if decision else "0")
        return decision

    def tell(self, number, state, value=None):
        TrialState = self.optuna.trial.TrialState
        trial = self.handles[number]
        if state == "COMPLETE":
            self.study.tell(trial, value)
            self.trials[number][2] = [state, encode(value)]
        else:
            self.study.tell(trial, state=getattr(TrialState, state))
            self.trials[number][2] = [state]
        self.schedule.append(f"t{number}")

    def record(self):
        tokens = [e if isinstance(e, str) else (f"{e[0]}*{e[1]}" if e[1] > 1 else str(e[0])) for e in self.schedule]
        trials = [[compact_steps(steps), values, end] for steps, values, end in self.trials]
        out = {"trials": trials, "schedule": " ".join(tokens), "decisions": "".join(self.decisions)}
        if self.views is not None:
            out["views"] = self.views
        return out


def compact_steps(steps):
    if len(steps) >= 3 and all(b - a == steps[1] - steps[0] for a, b in zip(steps, steps[1:])):
        return f"{steps[0]}:{steps[1] - steps[0]}:{len(steps)}"
    return steps


def encode(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


class TrialPlan:
    """What one trial will do: its reports, whether it obeys pruning, and how it ends."""

    def __init__(self, rng, reports, maximize):
        self.reports = reports  # list of (step, value)
        self.next = 0
        self.obeys = rng.random() < 0.85
        ending = rng.random()
        self.ending = "COMPLETE" if ending < 0.88 else ("FAIL" if ending < 0.95 else "ABANDON")
        self.final = final_value(rng, [v for _, v in reports])
        self.number = None


def make_plans(rng, spec, maximize, n_trials, ordered_only):
    grid = rng.choice([10, 100, 100, 1000])
    plans = []
    if spec["type"] == "wilcoxon":
        return wilcoxon_plans(rng, maximize, ordered_only, light=False)
    if spec["type"] == "patient" and rng.random() < 0.2:
        return wilcoxon_plans(rng, maximize, ordered_only, light=True)
    for _ in range(n_trials):
        quality = rng.random()
        steps = step_pattern(rng, allow_unordered=not ordered_only)
        if ordered_only:
            steps.sort()
        values = curve(rng, steps, quality, maximize, grid)
        plans.append(TrialPlan(rng, list(zip(steps, values)), maximize))
    return plans


def simulate(rng, spec, index):
    direction = rng.choice(["minimize", "maximize"])
    maximize = direction == "maximize"
    name = rng.choice(["study", "Study", "études", "s"]) + "-" + str(index) + rng.choice(["", "-x", "/run"])
    stateful = is_stateful(spec)
    n_trials = rng.choice([1, 2, 4, 8, 12, 16, 24]) if stateful else rng.choice([1, 2, 4, 6, 10, 16, 24])
    workers = 1 if stateful else rng.choice([1, 1, 2, 3, 4])
    plans = make_plans(rng, spec, maximize, n_trials, ordered_only=stateful)
    rec = Recorder(spec, direction, name)

    pending = list(plans)
    active = []
    while pending or active:
        if pending and (len(active) < workers and (not active or rng.random() < 0.5)):
            plan = pending.pop(0)
            plan.number = rec.ask()
            active.append(plan)
            continue
        plan = rng.choice(active) if workers > 1 else active[0]
        if plan.next < len(plan.reports):
            step, value = plan.reports[plan.next]
            plan.next += 1
            if rec.report(plan.number, step, value) and plan.obeys:
                rec.tell(plan.number, "PRUNED")
                active.remove(plan)
            continue
        active.remove(plan)
        if plan.ending == "COMPLETE":
            rec.tell(plan.number, "COMPLETE", plan.final)
        elif plan.ending == "FAIL":
            rec.tell(plan.number, "FAIL")
    return {"pruner": spec, "direction": direction, "name": name, **rec.record()}


# Studies per pruner kind (Patient's count includes every kind it wraps).
PLAN = {
    "median": 350,
    "percentile": 350,
    "successive_halving": 400,
    "hyperband": 400,
    "threshold": 250,
    "patient": 400,
    "wilcoxon": 350,
    "nop": 20,
}


def generate():
    import numpy
    import optuna
    import scipy

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    rng = random.Random(SEED)
    studies = []
    for kind, count in PLAN.items():
        for _ in range(count):
            spec = spec_for(kind, rng)
            studies.append(simulate(rng, spec, len(studies)))
    return {
        "format": FORMAT,
        "seed": SEED,
        "versions": {"optuna": optuna.__version__, "numpy": numpy.__version__, "scipy": scipy.__version__},
        "studies": studies,
    }


def dump(data):
    lines = ["{" + f'"format":{data["format"]},"seed":{data["seed"]},"versions":'
             + json.dumps(data["versions"], separators=(",", ":"), sort_keys=True) + ',"studies":[']
    for i, s in enumerate(data["studies"]):
        text = json.dumps(s, separators=(",", ":"), sort_keys=True, allow_nan=False)
        lines.append(text + ("," if i + 1 < len(data["studies"]) else ""))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def summary(data):
    counts = {}
    for s in data["studies"]:
        kinds = [s["pruner"]["type"]]
        if kinds[0] == "patient" and s["pruner"]["wrapped_pruner"]:
            kinds.append("patient(" + s["pruner"]["wrapped_pruner"]["type"] + ")")
        for k in kinds:
            c = counts.setdefault(k, [0, 0, 0, 0])
            c[0] += 1
            c[1] += len(s["decisions"])
            c[2] += s["decisions"].count("1")
            c[3] += len(s.get("views", []))
    rows = [f"{'pruner':32} {'studies':>8} {'decisions':>10} {'prune':>7} {'views':>6}"]
    for k in sorted(counts):
        c = counts[k]
        rows.append(f"{k:32} {c[0]:8} {c[1]:10} {c[2]:7} {c[3]:6}")
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="write the fixture")
    g.add_argument("--out", default=FIXTURE)
    c = sub.add_parser("check", help="regenerate and compare with the fixture")
    c.add_argument("--fixture", default=FIXTURE)
    args = parser.parse_args()

    data = generate()
    if args.command == "generate":
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(dump(data))
        print(summary(data))
        print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)")
        return 0

    with open(args.fixture, encoding="utf-8") as f:
        fixture = json.load(f)
    print(summary(data))
    differences = 0
    if fixture.get("format") != FORMAT or len(fixture["studies"]) != len(data["studies"]):
        print("fixture format or study count differs; regenerate it")
        return 1
    for i, (want, got) in enumerate(zip(fixture["studies"], data["studies"])):
        if want == json.loads(json.dumps(got)):
            continue
        differences += 1
        if differences <= 10:
            got = json.loads(json.dumps(got))
            first = next(
                (j for j, (a, b) in enumerate(zip(want["decisions"], got["decisions"])) if a != b),
                min(len(want["decisions"]), len(got["decisions"])),
            )
            print(f"study {i} ({want['pruner']['type']}): decisions first differ at report {first}")
    if fixture["versions"] != data["versions"]:
        print(f"versions: fixture {fixture['versions']}, installed {data['versions']}")
    if differences:
        print(f"{differences} studies differ from the fixture")
        return 1
    print(f"0 studies differ: Optuna {data['versions']['optuna']} agrees with all {len(data['studies'])} studies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
