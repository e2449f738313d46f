#!/usr/bin/env python3
"""Does a costly sampler keep other connections waiting?

One connection asks and tells a Gaussian-process study in a loop (each ask takes milliseconds). Meanwhile
several other connections, enough that at least one shares an event loop with it, send `hello` in turn.
Reported: the GP ask latency, and per other connection the `hello` latency (p50, p99, max) and how many it
got answered. With sampling held off the event loops, every connection's `hello` stays near the request floor
whatever the GP study does.
"""
import argparse
import os
import random
import sys
import tempfile
import threading
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
    ap.add_argument("--others", type=int, default=4, help="connections sending hello")
    ap.add_argument("--seconds", type=float, default=4.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        sock = os.path.join(work, "fair.sock")
        proc = bench.start_daemon(args.optunad, sock, "memory:", "normal")
        try:
            c = bench.Client(sock)
            c.call("create_study", study_name="gp", sampler={"type": "gp", "seed": 1}, pruner="nop")
            rng = random.Random(0)
            for _ in range(args.history):
                c.call("enqueue_trial", study_name="gp", params={k: rng.uniform(-5, 5) for k in SPACE})
            for _ in range(args.history):
                r = c.call("ask", study_name="gp", search_space=SPACE)
                c.call("tell", trial_id=r["trial_id"], value=sum(v * v for v in r["params"].values()))
            stop = threading.Event()
            gp_latency = []

            def gp_loop():
                g = bench.Client(sock)
                while not stop.is_set():
                    s = time.perf_counter()
                    r = g.call("ask", study_name="gp", search_space=SPACE)
                    gp_latency.append(time.perf_counter() - s)
                    g.call("tell", trial_id=r["trial_id"], value=1.0)

            worker = threading.Thread(target=gp_loop)
            worker.start()
            others = [bench.Client(sock) for _ in range(args.others)]
            latency = [[] for _ in others]
            end = time.time() + args.seconds
            while time.time() < end:
                for k, o in enumerate(others):
                    s = time.perf_counter()
                    o.call("hello")
                    latency[k].append(time.perf_counter() - s)
                time.sleep(0.001)
            stop.set()
            worker.join()
        finally:
            proc.terminate()
            proc.wait()
    print(f"loop fairness: GP study at {args.history} trials, ask p50 {pct(gp_latency, 0.5) * 1e3:.1f} ms "
          f"({len(gp_latency)} asks in {args.seconds:.0f} s)")
    for k, lat in enumerate(latency):
        print(f"  hello on connection {k + 1}: p50 {pct(lat, 0.5) * 1e6:7.0f} us  p99 {pct(lat, 0.99) * 1e6:7.0f} us"
              f"  max {max(lat) * 1e3:6.1f} ms  answered {len(lat)}")


if __name__ == "__main__":
    main()
