#!/usr/bin/env python3
"""Does a costly request keep other connections waiting?

One connection keeps the daemon busy in a loop: asking and telling a Gaussian-process study (each ask takes
milliseconds), then listing a study of 10,000 trials with `get_trials`. Meanwhile several other connections,
enough that at least one shares an event loop with it, send `hello` in turn. Reported per phase: the busy
connection's latency, and per other connection the `hello` latency (p50, p99, max) and how many were
answered. With costly work held off the event loops, every `hello` stays near the request floor.
"""
import argparse
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

SPACE = {f"x{i}": {"type": "float", "low": -5.0, "high": 5.0} for i in range(5)}


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--optunad", default=".build/release/optunad")
    ap.add_argument("--history", type=int, default=150, help="GP trials completed before measuring")
    ap.add_argument("--listed", type=int, default=10000, help="trials listed by get_trials")
    ap.add_argument("--others", type=int, default=4, help="connections sending hello")
    ap.add_argument("--seconds", type=float, default=4.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        sock = os.path.join(work, "fair.sock")
        proc = bench.start_daemon(args.optunad, sock, "memory:", "normal")
        try:
            c = bench.Client(sock)
            c.call("create_study", study_name="gp", sampler={"type": "gp", "seed": 1}, pruner="nop")
            c.call("create_study", study_name="big", sampler={"type": "random", "seed": 1}, pruner="nop")
            rng = random.Random(0)
            for _ in range(args.history):
                c.call("enqueue_trial", study_name="gp", params={k: rng.uniform(-5, 5) for k in SPACE})
            for _ in range(args.history):
                r = c.call("ask", study_name="gp", search_space=SPACE)
                c.call("tell", trial_id=r["trial_id"], value=sum(v * v for v in r["params"].values()))
            gp = measure(sock, args, lambda g: g.call("ask", study_name="gp", search_space=SPACE),
                         lambda g, r: g.call("tell", trial_id=r["trial_id"], value=1.0))
            for _ in range(args.listed):
                r = c.call("ask", study_name="big", search_space=SPACE)
                c.call("tell", trial_id=r["trial_id"], value=1.0)
            listing = measure(sock, args, lambda g: g.call("get_trials", study_name="big"), lambda g, r: None)
        finally:
            proc.terminate()
            proc.wait()
    report(f"GP study at {args.history} trials, ask", gp, args)
    report(f"get_trials of {args.listed} trials", listing, args)


def measure(sock, args, busy, after):
    """Runs `busy` (then `after`) in a loop on one connection, in a process of its own so that decoding its
    answers never delays this one, while other connections send hello; returns the latencies."""
    ctx = mp.get_context("fork")
    stop = ctx.Event()
    results = ctx.Queue()

    def loop():
        g = bench.Client(sock)
        lat = []
        while not stop.is_set():
            s = time.perf_counter()
            r = busy(g)
            lat.append(time.perf_counter() - s)
            after(g, r)
        results.put(lat)

    worker = ctx.Process(target=loop)
    worker.start()
    others = [bench.Client(sock) for _ in range(args.others)]
    latency = [[] for _ in others]
    time.sleep(0.2)
    end = time.time() + args.seconds
    while time.time() < end:
        for k, o in enumerate(others):
            s = time.perf_counter()
            o.call("hello")
            latency[k].append(time.perf_counter() - s)
        time.sleep(0.001)
    stop.set()
    busy_latency = results.get()
    worker.join()
    return busy_latency, latency


def report(what, measured, args):
    busy_latency, latency = measured
    print(f"loop fairness: {what} p50 {pct(busy_latency, 0.5) * 1e3:.1f} ms "
          f"({len(busy_latency)} in {args.seconds:.0f} s)")
    for k, lat in enumerate(latency):
        print(f"  hello on connection {k + 1}: p50 {pct(lat, 0.5) * 1e6:7.0f} us  p99 {pct(lat, 0.99) * 1e6:7.0f} us"
              f"  max {max(lat) * 1e3:6.1f} ms  answered {len(lat)}")


if __name__ == "__main__":
    main()
