#!/usr/bin/env python3
"""optunad beside Python Optuna, on this machine, in one run.

Workload (issue "core"): ask with a search space of 5 floats, then tell; random sampler. optunad is driven over
its Unix socket by 1, 4 and 16 client processes (standard-library sockets, one connection each); Python Optuna
runs the same workload in-process, in memory and on SQLite. Reported: per ask+tell pair latency (p50/p99, as
the client sees it) and pairs per second, and the ratios between them. The machine is shared and noisy:
compare the ratios, not the absolute figures.

With `--floor BINARY` (`optunad-floor-bench`, built by `make bench`) the same clients also drive a server that
answers with fixed lines (the size of optunad's answers) and does no work, and one that only writes the pair's
SQLite rows: the least any daemon could take for the pair on this machine, socket and client included.
"""
import argparse
import json
import multiprocessing as mp
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SPACE = {f"x{i}": {"type": "float", "low": -5.0, "high": 5.0} for i in range(5)}


class Client:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.file = self.sock.makefile("rb")
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        line = json.dumps({"id": self.next_id, "method": method, "params": params}) + "\n"
        self.sock.sendall(line.encode())
        answer = json.loads(self.file.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["result"]


def worker(path, study, n_pairs, queue, start_event):
    c = Client(path)
    lat = []
    start_event.wait()
    t0 = time.perf_counter()
    for _ in range(n_pairs):
        s = time.perf_counter()
        r = c.call("ask", study_name=study, search_space=SPACE)
        v = sum(x * x for x in r["params"].values())
        c.call("tell", trial_id=r["trial_id"], value=v)
        lat.append(time.perf_counter() - s)
    queue.put((lat, time.perf_counter() - t0))


def run_clients(path, study, clients, pairs_per_client):
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    ev = ctx.Event()
    procs = [ctx.Process(target=worker, args=(path, study, pairs_per_client, q, ev)) for _ in range(clients)]
    for p in procs:
        p.start()
    time.sleep(0.2)
    t0 = time.perf_counter()
    ev.set()
    results = [q.get() for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    lat = sorted(x for r in results for x in r[0])
    return summarize(lat, clients * pairs_per_client / wall)


def summarize(lat, throughput):
    lat = sorted(lat)
    return {
        "p50_us": lat[len(lat) // 2] * 1e6,
        "p99_us": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e6,
        "pairs_per_s": throughput,
        "n": len(lat),
    }


def start_daemon(binary, sock, storage, sync):
    args = [binary, "--socket", sock, "--storage", storage, "--sync", sync, "--log-level", "warning"]
    return wait_ready(subprocess.Popen(args, stderr=subprocess.DEVNULL), sock, args)


def wait_ready(proc, sock, args):
    """Returns `proc` once the server on `sock` answers hello; kills it and exits if it never does."""
    for _ in range(400):
        try:
            Client(sock).call("hello")
            return proc
        except OSError:
            time.sleep(0.025)
    proc.kill()
    raise SystemExit(f"{os.path.basename(args[0])} did not start: {' '.join(args)}")


def bench_optunad(binary, storage_kind, sync, clients, pairs, workdir):
    sock = os.path.join(workdir, f"b-{storage_kind}-{sync}-{clients}.sock")
    storage = "memory:" if storage_kind == "memory" else f"sqlite:///{workdir}/b-{sync}-{clients}.db"
    proc = start_daemon(binary, sock, storage, sync)
    try:
        c = Client(sock)
        c.call("create_study", study_name="bench", sampler={"type": "random", "seed": 1}, pruner="nop")
        # Warm up (first requests pay for lazy initialization).
        run_clients(sock, "bench", 1, 200)
        return run_clients(sock, "bench", clients, pairs)
    finally:
        proc.terminate()
        proc.wait()


def optuna_worker(storage, n_pairs, queue, start_event):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.load_study(study_name="bench", storage=storage, sampler=optuna.samplers.RandomSampler(seed=1))
    dists = {k: optuna.distributions.FloatDistribution(-5.0, 5.0) for k in SPACE}
    lat = []
    start_event.wait()
    for _ in range(n_pairs):
        s = time.perf_counter()
        t = study.ask(dists)
        study.tell(t, sum(v * v for v in t.params.values()))
        lat.append(time.perf_counter() - s)
    queue.put((lat, 0))


def bench_optuna_memory(pairs):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))
    dists = {k: optuna.distributions.FloatDistribution(-5.0, 5.0) for k in SPACE}
    lat = []
    t0 = time.perf_counter()
    for _ in range(pairs):
        s = time.perf_counter()
        t = study.ask(dists)
        study.tell(t, sum(v * v for v in t.params.values()))
        lat.append(time.perf_counter() - s)
    return summarize(lat, pairs / (time.perf_counter() - t0))


def bench_optuna_sqlite(clients, pairs, workdir):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    url = f"sqlite:///{workdir}/optuna-{clients}.db"
    optuna.create_study(study_name="bench", storage=url)
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    ev = ctx.Event()
    procs = [ctx.Process(target=optuna_worker, args=(url, pairs, q, ev)) for _ in range(clients)]
    for p in procs:
        p.start()
    time.sleep(1.0)
    t0 = time.perf_counter()
    ev.set()
    results = [q.get() for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    lat = [x for r in results for x in r[0]]
    return summarize(lat, clients * pairs / wall)


def bench_floor(binary, optunad, sqlite, clients, pairs, workdir):
    """The floor server, with the same clients; with `sqlite`, on a file whose schema optunad created."""
    sock = os.path.join(workdir, f"floor-{sqlite}-{clients}.sock")
    args = [binary, "--socket", sock]
    if sqlite:
        db = os.path.join(workdir, f"floor-{clients}.db")
        daemon = start_daemon(optunad, os.path.join(workdir, "schema.sock"), f"sqlite:///{db}", "normal")
        try:
            Client(os.path.join(workdir, "schema.sock")).call("create_study", study_name="bench")
        finally:
            daemon.terminate()
            daemon.wait()
        args += ["--sqlite", db]
    if os.path.exists(sock):
        os.unlink(sock)
    proc = wait_ready(subprocess.Popen(args), sock, args)
    try:
        run_clients(sock, "bench", 1, 200)
        return run_clients(sock, "bench", clients, pairs)
    finally:
        proc.terminate()
        proc.wait()


def fmt(r):
    return f"p50 {r['p50_us']:9.1f} us  p99 {r['p99_us']:9.1f} us  {r['pairs_per_s']:9.0f} pairs/s"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--optunad", default=".build/release/optunad")
    ap.add_argument("--pairs", type=int, default=2000, help="ask+tell pairs per client")
    ap.add_argument("--optuna-sqlite-pairs", type=int, default=60, help="pairs per Optuna SQLite worker")
    ap.add_argument("--json", help="also write the results as JSON to this file")
    ap.add_argument("--floor", help="optunad-floor-bench binary: add the floor lines")
    args = ap.parse_args()
    workdir = tempfile.mkdtemp(prefix="optunad-bench-")
    results = {}
    try:
        print(f"# optunad bench, {time.strftime('%Y-%m-%d %H:%M:%S')}, {os.cpu_count()} cores")
        print("## ask+tell pair, random sampler, 5 float params")
        for storage, sync in (("memory", "normal"), ("sqlite", "normal"), ("sqlite", "full")):
            for clients in (1, 4, 16):
                pairs = max(100, args.pairs // max(1, clients // 4)) if storage == "memory" else max(100, args.pairs // 2)
                r = bench_optunad(args.optunad, storage, sync, clients, pairs, workdir)
                key = f"optunad {storage}{'' if storage == 'memory' else ' sync=' + sync} {clients} clients"
                results[key] = r
                print(f"{key:44s} {fmt(r)}")
        if args.floor:
            for sqlite in (False, True):
                for clients in (1, 4):
                    pairs = args.pairs if not sqlite else max(100, args.pairs // 2)
                    r = bench_floor(args.floor, args.optunad, sqlite, clients, pairs, workdir)
                    key = f"floor: {'2 SQLite commits' if sqlite else 'no work'} {clients} clients"
                    results[key] = r
                    print(f"{key:44s} {fmt(r)}")
        r = bench_optuna_memory(args.pairs)
        results["optuna memory 1 process"] = r
        print(f"{'optuna memory 1 process':44s} {fmt(r)}")
        for clients in (1, 4):
            r = bench_optuna_sqlite(clients, args.optuna_sqlite_pairs, workdir)
            key = f"optuna sqlite {clients} processes"
            results[key] = r
            print(f"{key:44s} {fmt(r)}")
        print("## ratios (optunad over the socket vs Optuna)")
        om = results["optuna memory 1 process"]
        o1 = results["optunad memory 1 clients"]
        print(f"latency, 1 client, optunad memory vs Optuna in-process memory: {om['p50_us'] / o1['p50_us']:.2f}x faster")
        os1 = results["optuna sqlite 1 processes"]
        s1 = results["optunad sqlite sync=normal 1 clients"]
        print(f"latency, 1 client, optunad sqlite vs Optuna sqlite: {os1['p50_us'] / s1['p50_us']:.1f}x faster")
        os4 = results["optuna sqlite 4 processes"]
        s4 = results["optunad sqlite sync=normal 4 clients"]
        print(f"throughput, 4 clients, optunad sqlite vs Optuna sqlite: {s4['pairs_per_s'] / os4['pairs_per_s']:.1f}x")
        m4 = results["optunad memory 4 clients"]
        print(f"throughput, 4 clients, optunad memory vs Optuna in-process memory: {m4['pairs_per_s'] / om['pairs_per_s']:.2f}x")
        if args.floor:
            print("## optunad over the floor (the same clients against a server that does no work / only the commits)")
            for storage, floor in (("memory", "no work"), ("sqlite sync=normal", "2 SQLite commits")):
                for clients in (1, 4):
                    o = results[f"optunad {storage} {clients} clients"]
                    f = results[f"floor: {floor} {clients} clients"]
                    print(f"{storage:20s} {clients} clients: p50 {o['p50_us'] / f['p50_us']:.2f}x the floor's, "
                          f"throughput {o['pairs_per_s'] / f['pairs_per_s']:.2f}x")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=2)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
