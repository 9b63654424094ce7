#!/usr/bin/env bash
# A user's own design with the whole program, as a user builds it: install Faultline into a scratch prefix, build
# examples/user-program (its own actor protocol, lease-lock) against the package with -Wall -Wextra -Werror, and
# drive its program `lock-checks`: list, check (correct and broken), trace files through show --html and replay,
# simulate, run and validate, explore, --json, and its CTest checks registered with faultline_add_check(PROGRAM lock-checks ...).
set -u
: "${BUILD:?path to the Faultline build directory}" "${SOURCE:?path to the Faultline source tree}"
source "$(dirname "$0")/checks.sh"

cmake --install "$BUILD" --prefix "$tmp/prefix" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
expect "the program header is installed" '[[ -f $tmp/prefix/include/mc/program.hpp && -f $tmp/prefix/include/mc/simulate.hpp ]]'
# No CMAKE_CXX_STANDARD in the example: Faultline::mc carries C++20 as a usage requirement.
start=$(date +%s)
cmake -S "$SOURCE/examples/user-program" -B "$tmp/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/configure.log" 2>&1 \
  || { cat "$tmp/configure.log"; echo "FAIL: configure"; exit 1; }
cmake --build "$tmp/build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; echo "FAIL: build with -Werror"; exit 1; }
echo "examples/user-program built against the package in $(($(date +%s) - start)) s"
expect "no compiler warning in the user's build" '! grep -q "warning:" "$tmp/build.log"'
FAULTLINE=$tmp/build/lock-checks  # what `run` runs

run list
expect "list names the user's model and its parameters" \
  '[[ $rc -eq 0 && $out == *"lease-lock"* && $out == *"--param clients=N"* && $out == *"fenced, unfenced"* ]]'
run list --json
expect "list --json has its properties" '[[ $out == *"\"writes-in-token-order\""* && $out == *"\"every-client-wrote\""* ]]'

# The correct design: exit 0, the counts the unit test pins against the reference explorer.
run check lease-lock --param clients=2 --faults loss=0 --json "$tmp/ok.json"
expect "the fenced design holds (exit 0)" '[[ $rc -eq 0 && $out == *"Result: ok"* ]]'
expect "its count is the reference explorer's" '[[ $out == *"127 distinct states"* ]]'
expect "the JSON report names the user's model" 'grep -q "\"protocol\": \"lease-lock\"" "$tmp/ok.json"'
expect "without loss every waiting client gets a lease (the user's liveness property)" \
  '[[ $out == *"Live: every-client-granted holds on every fair behaviour (no faults)"* ]]'
run check lease-lock --param clients=2 --property writes-in-token-order --property every-client-wrote
expect "with the declared default budget (one loss) it is safe" '[[ $rc -eq 0 && $out == *"Safe under any 1 loss"* ]]'
# Liveness works for a user program exactly as for faultline: a lost Acquire is never sent again.
run check lease-lock --param clients=2 --trace "$tmp/live.json"
expect "under one loss a client may wait forever: a lasso (exit 1)" \
  '[[ $rc -eq 1 && $out == *"violation of every-client-granted (eventually) once faults stop, under any 1 loss"* && $out == *"drop "* ]]'
run replay "$tmp/live.json"
expect "the user's lasso replays (steps, cycle, fairness, property)" '[[ $rc -eq 1 && $out == *"Reproduced: every-client-granted"* ]]'
run show "$tmp/live.json" --html "$tmp/live.html"
expect "show --html renders it" '[[ $rc -eq 0 && -s $tmp/live.html ]]'

# The broken design: exit 1, a trace file that show renders and replay reproduces.
run check lease-lock --param variant=unfenced --trace "$tmp/t.json" --json "$tmp/bad.json"
expect "the unfenced design is caught (exit 1)" '[[ $rc -eq 1 && $out == *"violation of writes-in-token-order"* ]]'
expect "the trace file is written" '[[ -s $tmp/t.json ]] && grep -q "\"program\": \"lock-checks\"" "$tmp/t.json"'
run show "$tmp/t.json" --html "$tmp/t.html"
expect "show --html renders the user's trace" '[[ $rc -eq 0 && -s $tmp/t.html ]] && grep -q "lease-expiry" "$tmp/t.html"'
run show "$tmp/t.json"
expect "show prints the steps" '[[ $rc -eq 0 && $out == *"lease-expiry"* ]]'
run replay "$tmp/t.json"
expect "replay reproduces the violation (exit 1)" '[[ $rc -eq 1 && $out == *"Reproduced: writes-in-token-order is still violated"* ]]'
run check lease-lock --param variant=unfenced --minimise
expect "--minimise works for a user model" '[[ $rc -eq 1 && $out == *"minimised counterexample"* ]]'
run check lease-lock --param variant=unfenced --sweep --param clients=1..2 --faults loss=0
expect "--sweep over a user parameter" '[[ $rc -eq 1 && $out == *"safe"* && $out == *"writes-in-token-order violated"* ]]'

run simulate lease-lock --param variant=unfenced --walks 2000 --seed 3
expect "simulate finds the broken design's violation" '[[ $rc -eq 1 && $out == *"violation of writes-in-token-order"* ]]'
run simulate lease-lock --walks 500
expect "simulate of the correct design claims no proof" '[[ $rc -eq 0 && $out == *"not exhaustive"* ]]'

# run and validate: the user's actors as a UDP cluster on loopback, their event log followed through the model.
run run lease-lock --duration 2 --tick-ms 5 --faults loss=1 --seed 2 --log "$tmp/lock.jsonl"
expect "a user program runs its design as a cluster (exit 0)" \
  '[[ $rc -eq 0 && $out == *"Every event was a step of the model"* && -s $tmp/lock.jsonl ]]'
run validate lease-lock "$tmp/lock.jsonl"
expect "and validates the run's log against its model" '[[ $rc -eq 0 && $out == *"is a behaviour of lease-lock"* ]]'
head -2 "$tmp/lock.jsonl" >"$tmp/cut.jsonl"
echo '{"kind":"timeout","node":0,"timer":"lease-expiry","seq":1}' >>"$tmp/cut.jsonl"
run validate lease-lock "$tmp/cut.jsonl"
expect "an event the user's model cannot take is named (exit 1)" \
  '[[ $rc -eq 1 && $out == *"line 3: timeout n0 lease-expiry"* && $out == *"not a step the model can take"* ]]'

# explore: the user's model in the web explorer; its API walks the 127 states check counts, and the search finds
# the unfenced design's violation, as short as check's counterexample.
python3 - "$FAULTLINE" "$(dirname "$0")" >"$tmp/explore.out" 2>&1 <<'PY'
import json, subprocess, sys, time
sys.path.insert(0, sys.argv[2])
from explore_client import Server, api_bfs
program = sys.argv[1]
s = Server(program, "lease-lock", "--param", "clients=2", "--faults", "loss=0")
print("model", s.get("/api/model")["program"], s.get("/api/model")["protocol"])
print("walk", *api_bfs(s))
s.stop()
s = Server(program, "lease-lock", "--param", "variant=unfenced")
s.request("POST", "/api/search?path=0")
while s.get("/api/search")["state"] == "running":
    time.sleep(0.05)
r = s.get("/api/search")["result"]
print("search", r["found"], r["property"], len(r["path"]), s.get("/api/state?path=" + ".".join(map(str, r["path"])))["violated"])
print("stopped", s.stop()[0])
PY
explore=$(cat "$tmp/explore.out")
steps=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["steps"]))' "$tmp/t.json")
expect "explore serves the user's model" '[[ $explore == *"model lock-checks lease-lock"* ]]'
expect "walking its API reaches the 127 states check counts" '[[ $explore == *"walk 127 "* ]]'
expect "its search finds the unfenced design's violation as short as check's ($steps steps)" \
  '[[ $explore == *"search True writes-in-token-order $steps writes-in-token-order"* && $explore == *"stopped 0"* ]]'

# Checkpoints, and the search spread over MPI ranks, work for a user program as for faultline.
run check lease-lock --param clients=3 --faults loss=0 --max-depth 6 --checkpoint "$tmp/ck"
expect "a user program checkpoints a stopped search (exit 3)" '[[ $rc -eq 3 && -s $tmp/ck/manifest ]]'
run check lease-lock --param clients=3 --faults loss=0 --resume "$tmp/ck"
whole=$("$FAULTLINE" check lease-lock --param clients=3 --faults loss=0 | grep -o '^[0-9]* distinct states, [0-9]* generated')
expect "and resumes it to the counts of one whole run" '[[ $rc -eq 0 && $out == *"$whole"* && $out == *"Resumed from"* ]]'
if mpirun=$(command -v mpirun); then
  "$mpirun" --allow-run-as-root --oversubscribe -np 2 "$FAULTLINE" check lease-lock --param clients=3 --faults loss=0 \
    >"$tmp/out" 2>&1 </dev/null
  rc=$?
  expect "under mpirun -np 2 the user program gives the same counts (rc=$rc)" \
    '[[ $rc -eq 0 ]] && grep -q "$whole" "$tmp/out" && grep -q "^MPI: 2 ranks" "$tmp/out"'
fi

# Bad input gets one line naming this program, exit 2.
run check lease-lock --param clients=9
expect "a parameter out of range: exit 2, one line" '[[ $rc -eq 2 && $err == "lock-checks: error: parameter clients=9 is out of range 1..4" ]]'
run check lease-lock --faults jump=1
expect "a fault kind the model cannot take is refused" '[[ $rc -eq 2 && $err == "lock-checks: error: "*"jump"* ]]'
run check lease-lock --faults crash=1,torn=1
expect "a torn write is refused where no actor keeps a log" \
  '[[ $rc -eq 2 && $err == "lock-checks: error: --faults: lease-lock cannot suffer a torn fault (its actors keep no log)" ]]'

# Its own CTest checks through faultline_add_check(PROGRAM lock-checks ...): the fenced check passes, the
# unfenced one fails as it must (WILL_FAIL), so the suite is green and the broken design's JUnit has a failure.
ctest --test-dir "$tmp/build" --output-on-failure >"$tmp/ctest.log" 2>&1
expect "its CTest suite passes (3 tests)" 'grep -q "100% tests passed, 0 tests failed out of 3" "$tmp/ctest.log"'
expect "the broken design failed its check" 'grep -q "<failure" "$tmp/build/lease_lock_unfenced.junit.xml"'
expect "the correct design passed its check" '! grep -q "<failure" "$tmp/build/lease_lock_fenced.junit.xml"'
finish "user program"
