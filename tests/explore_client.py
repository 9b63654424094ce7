"""A client of `explore`'s JSON API for the tests: starts a program's explorer on a free port, sends requests
(any method, headers, body), and walks the state space breadth-first through the API as TLC counts it."""
import http.client
import json
import re
import select
import signal
import subprocess


class Server:
    """`faultline explore ARGS --port 0`, its address read from its first line of output."""

    def __init__(self, program, *args):
        self.proc = subprocess.Popen([program, "explore", *args, "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 60)
        line = self.proc.stdout.readline() if ready else ""
        m = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\n", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"explore did not print its address: {line!r} {self.proc.stderr.read()!r}")
        self.url, self.port = line.strip(), int(m.group(1))

    def request(self, method, target, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            conn.request(method, target, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            try:
                return r.status, json.loads(data)
            except ValueError:
                return r.status, data.decode("utf-8", "replace")
        finally:
            conn.close()

    def get(self, target, **kw):
        status, body = self.request("GET", target, **kw)
        if status != 200:
            raise RuntimeError(f"GET {target}: {status} {body}")
        return body

    def alive(self):
        try:
            return self.proc.poll() is None and self.request("GET", "/api/model")[0] == 200
        except OSError:
            return False

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            rc = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = None
        return rc, self.proc.stderr.read()


def path_text(path):
    return ".".join(map(str, path))


def api_bfs(server):
    """Every state reachable through the API (by its JSON), and every successor it lists: TLC's counting."""
    info = server.get("/api/model")
    seen, frontier, generated = set(), [], info["initial_states"]
    for i in range(info["initial_states"]):
        state = json.dumps(server.get(f"/api/state?path={i}")["state"], sort_keys=True)
        if state not in seen:
            seen.add(state)
            frontier.append([i])
    depth = 1 if frontier else 0
    while frontier:
        nxt = []
        for path in frontier:
            successors = server.get(f"/api/successors?path={path_text(path)}")["successors"]
            generated += len(successors)
            for s in successors:
                p = path + [s["index"]]
                state = json.dumps(server.get(f"/api/state?path={path_text(p)}")["state"], sort_keys=True)
                if state not in seen:
                    seen.add(state)
                    nxt.append(p)
        frontier = nxt
        depth += 1 if frontier else 0
    return len(seen), generated, depth


