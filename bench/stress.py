#!/usr/bin/env python3
"""Load and shutdown test: many connections doing ask/report/tell against SQLite storage.

Phase 1 (load): `--connections` clients, each on its own connection, loop ask + 3 reports + tell for `--seconds`
against one study; reported: requests, errors, p50/p99 latency per request, and the daemon's RSS over time.
Phase 2 (SIGTERM): the same load for a few seconds, then SIGTERM in the middle of it. The daemon must exit 0; after a
restart every tell it acknowledged is stored with its value, no COMPLETE trial lacks a value, the database passes
`PRAGMA integrity_check`, and the restarted daemon serves the same studies.
Exit status 0 when every check holds (errors must be zero), 1 otherwise.
"""
import argparse
import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

SPACE = {"lr": {"type": "float", "low": 1e-5, "high": 1e-1, "log": True},
         "layers": {"type": "int", "low": 1, "high": 8},
         "opt": {"type": "categorical", "choices": ["adam", "sgd", "rmsprop"]}}


class Conn:
    def __init__(self, reader, writer):
        self.reader, self.writer, self.n = reader, writer, 0

    @classmethod
    async def open(cls, path):
        # get_trials after the run answers every trial in one line: tens of MiB after a fast minute.
        r, w = await asyncio.open_unix_connection(path, limit=1 << 30)
        return cls(r, w)

    async def call(self, method, **params):
        self.n += 1
        self.writer.write((json.dumps({"id": self.n, "method": method, "params": params}) + "\n").encode())
        line = await self.reader.readline()
        if not line:
            raise ConnectionError("closed")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["result"]


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def start(binary, sock, storage, *extra):
    proc = subprocess.Popen([binary, "--socket", sock, "--storage", storage, "--log-level", "error",
                             "--max-connections", "4096", *extra], stderr=subprocess.DEVNULL)
    deadline = time.time() + 20
    while time.time() < deadline:
        if os.path.exists(sock):
            try:
                import socket as s
                c = s.socket(s.AF_UNIX)
                c.connect(sock)
                c.close()
                return proc
            except OSError:
                pass
        time.sleep(0.02)
    proc.kill()
    raise SystemExit("optunad did not start")


async def worker(path, study, stop_at, lat, acked, errors, stopping):
    try:
        c = await Conn.open(path)
    except OSError as e:
        errors.append(f"connect: {e}")
        return
    value = 0.0
    while time.monotonic() < stop_at:
        try:
            t0 = time.perf_counter()
            t = await c.call("ask", study_name=study, search_space=SPACE)
            lat.append(time.perf_counter() - t0)
            for step in range(3):
                t0 = time.perf_counter()
                await c.call("report", trial_id=t["trial_id"], step=step, value=1.0 / (step + 1))
                lat.append(time.perf_counter() - t0)
            value += 1
            v = t["trial_id"] * 0.001 + value
            t0 = time.perf_counter()
            await c.call("tell", trial_id=t["trial_id"], value=v)
            lat.append(time.perf_counter() - t0)
            acked[t["trial_id"]] = v
        except (ConnectionError, OSError, asyncio.IncompleteReadError) as e:
            if not stopping.is_set():
                errors.append(f"{type(e).__name__}: {e}")
            return
        except RuntimeError as e:
            if not stopping.is_set():
                errors.append(str(e))
            return
    c.writer.close()


async def load(path, study, connections, seconds, pid, stopping, sigterm_after=None, proc=None):
    lat, acked, errors = [], {}, []
    stop_at = time.monotonic() + seconds
    rss = []

    async def sampler():
        while time.monotonic() < stop_at:
            rss.append(rss_kib(pid))
            await asyncio.sleep(1)

    async def terminator():
        await asyncio.sleep(sigterm_after)
        stopping.set()
        proc.send_signal(signal.SIGTERM)

    tasks = [asyncio.create_task(worker(path, study, stop_at, lat, acked, errors, stopping)) for _ in range(connections)]
    extra = [asyncio.create_task(sampler())]
    if sigterm_after is not None:
        extra.append(asyncio.create_task(terminator()))
    await asyncio.gather(*tasks)
    for t in extra:
        t.cancel()
    return lat, acked, errors, rss


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] * 1e3 if xs else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--optunad", default=".build/release/optunad")
    ap.add_argument("--connections", type=int, default=256)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--sigterm-seconds", type=float, default=6)
    ap.add_argument("--sync", default="normal")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="optunad-stress-")
    sock, db = os.path.join(work, "s.sock"), os.path.join(work, "s.db")
    storage = f"sqlite:///{db}"
    ok = True

    proc = start(args.optunad, sock, storage, "--sync", args.sync)
    asyncio.run(_create(sock))
    lat, acked, errors, rss = asyncio.run(load(sock, "stress", args.connections, args.seconds, proc.pid, asyncio.Event()))
    n = len(lat)
    print(f"load: {args.connections} connections, {args.seconds:.0f} s, sync={args.sync}: {n} requests "
          f"({n / args.seconds:.0f}/s), {len(acked)} trials told, {len(errors)} errors; latency per request "
          f"p50 {pct(lat, 0.5):.2f} ms p99 {pct(lat, 0.99):.2f} ms; RSS MiB first {rss[0] / 1024 if rss else 0:.1f} "
          f"max {max(rss) / 1024 if rss else 0:.1f} last {rss[-1] / 1024 if rss else 0:.1f}")
    if errors:
        ok = False
        print("errors (first 5):", errors[:5])
    if rss and len(rss) > 4 and rss[-1] > rss[len(rss) // 4] * 1.5 + 32 * 1024:
        ok = False
        print("RSS grew during the run")
    # Phase 2: SIGTERM in the middle of the load.
    stopping = asyncio.Event()
    lat2, acked2, errors2, _ = asyncio.run(load(sock, "stress", args.connections, args.sigterm_seconds * 2, proc.pid,
                                                stopping, sigterm_after=args.sigterm_seconds, proc=proc))
    try:
        code = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = "none: still running 60 s after SIGTERM, killed"
    print(f"sigterm: exit status {code}, {len(acked2)} tells acknowledged in the second phase, {len(errors2)} errors before it")
    ok &= code == 0 and not errors2
    proc = start(args.optunad, sock, storage)
    try:
        stored = asyncio.run(_trials(sock))
    finally:
        proc.terminate()
        proc.wait()
    want = {**acked, **acked2}
    missing = [t for t in want if t not in stored or stored[t][1] != want[t] or stored[t][0] != "COMPLETE"]
    half = [t for t, (state, value) in stored.items() if state == "COMPLETE" and value is None]
    integrity = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
    print(f"after restart: {len(stored)} trials stored, {len(want)} acknowledged, {len(missing)} missing or changed, "
          f"{len(half)} COMPLETE without value, integrity_check {integrity}")
    ok &= not missing and not half and integrity == "ok"
    print("stress: PASS" if ok else "stress: FAIL")
    sys.exit(0 if ok else 1)


async def _create(sock):
    c = await Conn.open(sock)
    await c.call("create_study", study_name="stress", sampler={"type": "random", "seed": 1}, pruner="median")


async def _trials(sock):
    c = await Conn.open(sock)
    out = {}
    for t in await c.call("get_trials", study_name="stress"):
        out[t["trial_id"]] = (t["state"], t["value"])
    return out


if __name__ == "__main__":
    main()
