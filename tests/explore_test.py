#!/usr/bin/env python3
"""`explore` through its JSON API, against a running server on 127.0.0.1: a breadth-first walk of the API finds
exactly the states and transitions `check` counts; the initial steps of TwoPhase are the TLA+ spec's, enumerated by
hand; a trace file's path leads to its violating state; the search finds a shortest counterexample (as long as
check's) that really breaks the property, and is cancellable; bad paths, huge requests, foreign Host and Origin
headers and fuzzed requests get a 4xx and the server keeps serving; Ctrl-C stops it cleanly; bad command lines
get one error line and exit 2. Usage: FAULTLINE=build/faultline python3 tests/explore_test.py"""
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from explore_client import Server, api_bfs, path_text  # noqa: E402

FAULTLINE = os.environ["FAULTLINE"]
passed = failed = 0


def expect(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}" + (f" — {detail}" if detail else ""))


def faultline(*args):
    r = subprocess.run([FAULTLINE, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    return r.returncode, r.stdout, r.stderr


def check_counts(protocol, *params):
    with tempfile.TemporaryDirectory() as d:
        rc, out, err = faultline("check", protocol, *params, "--json", f"{d}/r.json")
        return json.load(open(f"{d}/r.json"))


tmp = tempfile.mkdtemp()

# --- the walk through the API counts what check counts ----------------------------------------------------------
for protocol, params in [("two-phase", ["--param", "rms=3"]), ("rpc-retry", ["--faults", "loss=1,dup=1"])]:
    report = check_counts(protocol, *params)
    server = Server(FAULTLINE, protocol, *params)
    distinct, generated, depth = api_bfs(server)
    expect(f"{protocol}: a breadth-first walk of the API reaches check's {report['distinct_states']} states",
           distinct == report["distinct_states"], f"{distinct} states")
    expect(f"{protocol}: and lists its {report['generated_states']} transitions, {report['depth']} levels deep",
           generated == report["generated_states"] and depth == report["depth"], f"{generated}, depth {depth}")
    if protocol == "two-phase":
        first = server.get("/api/successors?path=0")["successors"]
        labels = sorted(s["action"] for s in first)
        # TwoPhase's Init: every RM working, the TM in init, no message. Enabled: TMAbort, and for each RM
        # RMPrepare and RMChooseToAbort (TMCommit needs every RM prepared, the rest need a message).
        want = sorted(["TMAbort"] + [f"{a}(r{i})" for a in ("RMPrepare", "RMChooseToAbort") for i in (1, 2, 3)])
        expect("two-phase: the initial state's steps are the spec's seven", labels == want, str(labels))
        expect("two-phase: a plain model's steps are one group, numbered in the model's order",
               all(s["group"] == "steps" for s in first) and [s["index"] for s in first] == list(range(len(first))))
    server.stop()

# --- a trace's path leads to its state; the state, its properties and the steps taken --------------------------
faultline("check", "rpc-retry", "--param", "variant=no-dedup", "--trace", f"{tmp}/rr.json")
trace = json.load(open(f"{tmp}/rr.json"))
server = Server(FAULTLINE, "rpc-retry", "--param", "variant=no-dedup")
status, r = server.request("POST", "/api/trace", body=open(f"{tmp}/rr.json").read(),
                           headers={"Content-Type": "application/json"})
expect("an uploaded trace becomes a path (one index per step)", status == 200 and len(r["path"]) == len(trace["steps"]),
       f"{status} {r}")
path = r["path"]
there = server.get(f"/api/state?path={path_text(path)}")
expect("the path leads to the trace's last state", there["state"] == trace["steps"][-1]["state"])
expect("where at-most-once is violated",
       there["violated"] == "at-most-once" and
       {p["name"]: p["value"] for p in there["properties"]}.get("at-most-once") == "violated", str(there["properties"]))
expect("the steps taken are the trace's actions",
       [s["action"] for s in there["steps"]] == [s["action"] for s in trace["steps"]])
before = server.get(f"/api/successors?path={path_text(path[:-1])}")["successors"]
last = before[path[-1]]
expect("the last step is listed before it is taken, as breaking at-most-once, with its changes",
       last["action"] == trace["steps"][-1]["action"] and last["breaks"] == ["at-most-once"] and
       last["changes"] == trace["steps"][-1]["changes"], json.dumps(last)[:300])
groups = {s["group"] for s in server.get("/api/successors?path=0")["successors"]}
expect("an actor system's steps are grouped by node", groups <= {"n0", "n1", "cluster"} and "n0" in groups, str(groups))
faults = [s for s in before if s["fault"]]
expect("faults the budget allows are offered as steps (losses, duplicates, crashes)",
       any(s["event"]["kind"] in ("drop", "duplicate", "crash") for s in faults), str([s["action"] for s in faults]))

# The search from the initial state finds a counterexample as short as check's, and it really breaks the property.
status, r = server.request("POST", "/api/search?path=0&depth=20&seconds=60")
expect("a search starts (202)", status == 202, f"{status} {r}")
for _ in range(600):
    s = server.get("/api/search")
    if s["state"] != "running":
        break
    time.sleep(0.1)
expect("it finds at-most-once broken", s["state"] == "done" and s["result"]["found"] and
       s["result"]["property"] == "at-most-once", json.dumps(s)[:300])
found = s["result"].get("path", [])
expect("on a shortest path: as many steps as check's counterexample", len(found) == len(trace["steps"]),
       f"{len(found)} vs {len(trace['steps'])}")
expect("whose last state really breaks it", server.get(f"/api/state?path={path_text(found)}")["violated"] == "at-most-once")
status, r = server.request("POST", f"/api/search?path={path_text(found)}&depth=3")
for _ in range(100):
    s = server.get("/api/search")
    if s["state"] != "running":
        break
    time.sleep(0.05)
expect("a search from a violating state finds it at once", s["result"]["found"] and s["result"]["path"] == found)
server.stop()

# --- --trace opens at the trace's state, under its parameters and faults ----------------------------------------
server = Server(FAULTLINE, "rpc-retry", "--trace", f"{tmp}/rr.json")
info = server.get("/api/model")
expect("--trace: the page starts at the trace's path, with its parameters",
       info["start"] == path and info["params"]["variant"] == "no-dedup" and info["faults"] == trace["faults"], str(info))
server.stop()

# --- a search is cancellable, one at a time, and its limits are kept ---------------------------------------------
server = Server(FAULTLINE, "abd-register")
server.request("POST", "/api/search?path=0&depth=100&seconds=600")
time.sleep(0.5)
status, r = server.request("POST", "/api/search?path=0")
expect("a second search while one runs is refused (409)", status == 409 and "running" in r["error"], f"{status} {r}")
server.request("POST", "/api/search/cancel")
t0 = time.time()
while server.get("/api/search")["state"] == "running" and time.time() - t0 < 10:
    time.sleep(0.05)
s = server.get("/api/search")
expect("a cancelled search stops at once and says so", s["state"] == "done" and not s["result"]["found"] and
       s["result"].get("stop_reason") == "cancelled" and time.time() - t0 < 2, json.dumps(s))
server.request("POST", "/api/search?path=0&depth=3")
while server.get("/api/search")["state"] == "running":
    time.sleep(0.05)
s = server.get("/api/search")
expect("a depth limit stops it short, not complete", s["result"] == {"found": False, "complete": False,
                                                                     "stop_reason": "depth"} and s["depth"] == 3,
       json.dumps(s))

# --- bad requests: a 4xx with a message, and the server keeps serving -------------------------------------------
host = f"127.0.0.1:{server.port}"
cases = [
    ("a step past the last successor", "GET", "/api/state?path=0.99999", None, {}, 400, "step 1: there is no step"),
    ("an initial state that is not there", "GET", "/api/successors?path=7", None, {}, 400, "no initial state 7"),
    ("a path that is not numbers", "GET", "/api/state?path=0.x", None, {}, 400, "expected a step number"),
    ("no path", "GET", "/api/state", None, {}, 400, "missing query parameter 'path'"),
    ("a path of more steps than a request may take", "GET", "/api/state?path=" + ".".join(["0"] * 6000), None, {}, 400,
     "more than"),
    ("a request line past the header limit", "GET", "/api/state?path=" + "0." * 40000 + "0", None, {}, 431, "malformed"),
    ("an unknown query parameter", "GET", "/api/state?path=0&x=1", None, {}, 400, "unknown query parameter 'x'"),
    ("a malformed %-escape", "GET", "/api/state?path=%zz", None, {}, 400, "malformed %-escape"),
    ("an unknown page", "GET", "/etc/passwd", None, {}, 404, "no such page"),
    ("the wrong method", "POST", "/api/state?path=0", None, {}, 405, "takes GET"),
    ("a foreign Host (DNS rebinding)", "GET", "/api/model", None, {"Host": f"evil.example:{server.port}"}, 403,
     "does not name this server"),
    ("a Host with another port", "GET", "/api/model", None, {"Host": "127.0.0.1:1"}, 403, "does not name this server"),
    ("a foreign Origin", "GET", "/api/model", None, {"Origin": "http://evil.example"}, 403, "another origin"),
    ("an Origin of a file page", "POST", "/api/search/cancel", None, {"Origin": "null"}, 403, "another origin"),
    ("an upload that is not JSON", "POST", "/api/trace", "{not json", {}, 400, "is not valid JSON"),
    ("an upload that is not a trace", "POST", "/api/trace", "{\"a\": 1}", {}, 400, "not a faultline trace file"),
    ("an upload nested too deep", "POST", "/api/trace", "[" * 5000 + "]" * 5000, {}, 400, "nested deeper"),
    ("a trace of another protocol", "POST", "/api/trace", open(f"{tmp}/rr.json").read(), {}, 400,
     "is of rpc-retry, this explorer shows abd-register"),
    ("a search limit out of range", "POST", "/api/search?path=0&depth=0", None, {}, 400, "depth: expected"),
]
for what, method, target, body, headers, want, words in cases:
    status, r = server.request(method, target, body=body, headers=headers)
    message = r.get("error", "") if isinstance(r, dict) else r
    expect(f"{what}: {want}", status == want and words in message, f"{status} {str(r)[:200]}")
status, _ = server.request("GET", "/api/model", headers={"Host": f"localhost:{server.port}"})
expect("Host localhost:PORT is this server", status == 200)
status, _ = server.request("GET", "/api/model", headers={"Origin": f"http://{host}"})
expect("an Origin of this server's own page is served", status == 200)
expect("the server keeps serving after every refusal", server.alive())

# --- fuzzed requests: random paths and queries, malformed bodies, raw bytes; no crash, no hang -----------------
rng = random.Random(1)
alphabet = "0123456789.,&=%?+-/ abcxyz\x00\x7f\u00e9"
statuses = {}
for i in range(300):
    kind = i % 4
    if kind == 0:
        target = "/api/" + rng.choice(["state", "successors", "search", "trace", "model", "x"]) + "?path=" + \
                 "".join(rng.choice(alphabet[:12]) for _ in range(rng.randint(0, 40)))
        target = target.encode("ascii", "ignore").decode()
        status, _ = server.request(rng.choice(["GET", "POST", "PUT", "DELETE"]), target)
    elif kind == 1:
        q = "".join(rng.choice(alphabet[:24]) for _ in range(rng.randint(0, 60)))
        status, _ = server.request("GET", "/api/state?" + q.replace(" ", "%20"))
    elif kind == 2:
        body = json.dumps(trace)
        cut = rng.randint(0, len(body))
        body = body[:cut] + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20))) + body[cut + 5:]
        status, _ = server.request("POST", "/api/trace", body=body.encode("utf-8", "replace"))
    else:
        garbage = bytes(rng.randrange(256) for _ in range(rng.randint(1, 400)))
        prefix = rng.choice([b"", b"GET / HTTP/1.1\r\n", b"POST /api/trace HTTP/1.1\r\nContent-Length: 99999999999\r\n"])
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(prefix + garbage + b"\r\n\r\n")
            sock.shutdown(socket.SHUT_WR)
            try:
                answer = sock.recv(100)
            except OSError:
                answer = b""
        m = re.match(rb"HTTP/1\.[01] (\d+)", answer)
        status = int(m.group(1)) if m else 0
    statuses[status] = statuses.get(status, 0) + 1
expect("fuzzed requests: never a 5xx", all(s < 500 for s in statuses), str(statuses))
expect("fuzzed requests: the server still serves", server.alive(), str(statuses))
print("fuzzed requests by status:", dict(sorted(statuses.items())))

# --- Ctrl-C stops it cleanly; it listens on loopback only --------------------------------------------------------
listening = open("/proc/net/tcp").read()
expect("it listens on 127.0.0.1 only", re.search(rf"0100007F:{server.port:04X} 00000000:0000 0A", listening) is not None)
rc, err = server.stop()
expect("Ctrl-C stops it (exit 0, 'stopped')", rc == 0 and "stopped" in err, f"{rc} {err}")

# --- bad command lines: one line, exit 2 ---------------------------------------------------------------------------
for what, args, words in [
    ("a port out of range", ["explore", "die-hard", "--port", "70000"], "--port: expected a port number"),
    ("an address that is not one", ["explore", "die-hard", "--listen", "nowhere"], "--listen: 'nowhere' is not an IP"),
    ("a trace of another protocol", ["explore", "paxos", "--trace", f"{tmp}/rr.json"], "is a trace of rpc-retry"),
    ("faults for a plain model", ["explore", "die-hard", "--faults", "loss=1"], "not an actor system"),
    ("an unknown protocol", ["explore", "nope"], "unknown protocol 'nope'"),
]:
    rc, out, err = faultline(*args)
    expect(f"{what}: exit 2, one line", rc == 2 and err.count("\n") == 1 and words in err, f"{rc} {err!r}")
busy = Server(FAULTLINE, "die-hard")
rc, out, err = faultline("explore", "die-hard", "--port", str(busy.port))
expect("a port in use: exit 2, one line", rc == 2 and err.count("\n") == 1 and "cannot listen on" in err, f"{rc} {err!r}")
busy.stop()

print(f"explore api: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
