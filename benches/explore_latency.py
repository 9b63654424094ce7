#!/usr/bin/env python3
"""What `explore` answers how fast: the latency of GET /api/successors (and /api/state) for states along a path,
over one keep-alive connection, as the page asks. A figure, not a test. The path is a seeded random walk of
DEPTH steps; each round times REQUESTS requests of each kind; the median of ROUNDS rounds' medians is printed with
the machine's load at each round.
Usage: benches/explore_latency.py FAULTLINE PROTOCOL [--param k=v ...] [--depth 12] [--rounds 5] [--requests 200]"""
import argparse
import http.client
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from explore_client import Server, path_text  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("faultline")
ap.add_argument("protocol")
ap.add_argument("--param", action="append", default=[])
ap.add_argument("--faults")
ap.add_argument("--depth", type=int, default=12)
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--requests", type=int, default=200)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()

args = [a.protocol] + [w for p in a.param for w in ("--param", p)] + (["--faults", a.faults] if a.faults else [])
server = Server(a.faultline, *args)
rng = random.Random(a.seed)
path = [0]
for _ in range(a.depth):
    successors = server.get(f"/api/successors?path={path_text(path)}")["successors"]
    if not successors:
        break
    path.append(rng.choice(successors)["index"])
state = server.get(f"/api/state?path={path_text(path)}")
successors = server.get(f"/api/successors?path={path_text(path)}")
print(f"{a.protocol} {' '.join(a.param)}: a path of {len(path) - 1} steps; the state there is {state['bytes']} bytes "
      f"(canonical encoding; {len(json.dumps(state['state']))} as JSON) with {len(successors['successors'])} steps "
      f"enabled; the successor list is {len(json.dumps(successors))} bytes of JSON")

conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)


def timed(target):
    t0 = time.perf_counter()
    conn.request("GET", target)
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        raise RuntimeError(f"{target}: {r.status}")
    return (time.perf_counter() - t0) * 1000


rounds = {"successors": [], "state": []}
for i in range(a.rounds):
    load = open("/proc/loadavg").read().split()[0]
    for kind in rounds:  # interleaved: each round times both
        target = f"/api/{kind}?path={path_text(path)}"
        ms = sorted(timed(target) for _ in range(a.requests))
        rounds[kind].append(statistics.median(ms))
        print(f"round {i + 1} load {load}: /api/{kind}: median {statistics.median(ms):.3f} ms, "
              f"p90 {ms[int(len(ms) * 0.9)]:.3f} ms")
for kind, medians in rounds.items():
    print(f"/api/{kind}: median of {a.rounds} rounds' medians {statistics.median(medians):.3f} ms "
          f"(range {min(medians):.3f}-{max(medians):.3f})")
conn.close()
server.stop()
