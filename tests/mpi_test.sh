#!/usr/bin/env bash
# The search spread over MPI ranks (mpirun --oversubscribe -np 2 and -np 3) must give the answers of one process:
# the same counts, outcomes, exit code and shortest counterexample (which must replay), an even share of states
# per rank, the same limits and reports, and one error line for what MPI cannot do.
set -u
FAULTLINE=${FAULTLINE:?set FAULTLINE to the faultline binary}
MPIRUN=${MPIRUN:-mpirun}
source "$(dirname "$0")/checks.sh"
# Root in containers needs --allow-run-as-root; --oversubscribe: more ranks than cores.
mpi() { "$MPIRUN" --allow-run-as-root --oversubscribe -np "$@"; }

# What must not depend on how the search is spread: everything but times, memory, threads and the per-rank shares.
same_answers() {  # same_answers REPORT-A REPORT-B
  python3 - "$1" "$2" <<'PY'
import json, sys
drop = {"seconds", "states_per_second", "peak_memory_bytes", "threads", "ranks", "load_imbalance",
        "visited_bytes_per_state"}
a, b = ({k: v for k, v in json.load(open(f)).items() if k not in drop} for f in sys.argv[1:3])
sys.exit(0 if a == b else 1)
PY
}

# One process (2 threads) against $NPS ranks (1 thread each); violations write a trace that must replay.
NPS="2 3"
compare() {  # compare NAME EXPECTED-EXIT ARGS...
  local name=$1 want=$2
  shift 2
  rm -f "$tmp/one-trace.json"
  "$FAULTLINE" check "$@" --threads 2 --json "$tmp/one.json" --trace "$tmp/one-trace.json" >"$tmp/one.out" 2>&1
  local rc=$?
  expect "$name: one process exits $want (got $rc)" "[[ $rc -eq $want ]]"
  for np in $NPS; do
    mpi "$np" "$FAULTLINE" check "$@" --threads 1 --json "$tmp/mpi.json" --trace "$tmp/mpi-trace.json" \
      >"$tmp/mpi.out" 2>"$tmp/mpi.err"
    rc=$?
    expect "$name: $np ranks exit $want (got $rc)" "[[ $rc -eq $want ]]"
    expect "$name: $np ranks give the answers of one process" 'same_answers "$tmp/one.json" "$tmp/mpi.json"'
    expect "$name: $np ranks report each rank" \
      "python3 -c 'import json,sys; r=json.load(open(\"$tmp/mpi.json\")); sys.exit(len(r[\"ranks\"]) != $np or sum(k[\"distinct_states\"] for k in r[\"ranks\"]) != r[\"distinct_states\"])'"
    expect "$name: $np ranks print one report" "[[ \$(grep -c '^Checking' '$tmp/mpi.out') -eq 1 ]]"
    if [[ -s $tmp/one-trace.json ]]; then
      expect "$name: $np ranks write the same trace file" 'cmp -s "$tmp/one-trace.json" "$tmp/mpi-trace.json"'
      "$FAULTLINE" replay "$tmp/mpi-trace.json" >/dev/null 2>&1
      expect "$name: the $np-rank counterexample replays and still violates" '[[ $? -eq 1 ]]'
    fi
  done
}

# TLA+ transliterations with published TLC counts, and actor systems under faults (pinned in the unit tests).
compare "two-phase rms=6" 0 two-phase --param rms=6
compare "die-hard" 1 die-hard
NPS=3 compare "paxos-commit" 0 paxos-commit  # the larger models with 3 ranks only
compare "fast-paxos-spec symmetry" 0 fast-paxos-spec --symmetry
NPS=3 compare "paxos" 0 paxos --property agreement --property validity
cp "$tmp/mpi.json" "$tmp/spread.json"
# Liveness is decided in one process: across ranks the model's invariants are compared (and below, that its
# liveness properties are left out there, and refused when named).
compare "two-phase-commit" 0 two-phase-commit --property atomic-commit
compare "paxos ignore-accepted" 1 paxos --param variant=ignore-accepted --property agreement
compare "two-phase-commit commit-on-timeout" 1 two-phase-commit --param variant=commit-on-timeout --property atomic-commit
compare "abd-register no-write-back" 1 abd-register --param variant=no-write-back --faults loss=0,crash=0
compare "primary-backup reply-first" 1 primary-backup --param variant=reply-first
compare "ap-register (a goal found, an invariant broken)" 1 ap-register
NPS=3 compare "abd-register under a partition (a goal not reachable)" 1 abd-register --param reads=1 --faults loss=0,crash=0,partition=1
compare "peterson deadlock check" 0 peterson --check-deadlock --property MutualExclusion --property Inv
mpi 2 "$FAULTLINE" check peterson >"$tmp/mpi.out" 2>"$tmp/mpi.err"
expect "under mpirun the liveness properties are left out, and the report says so (exit 0)" \
  '[[ $? -eq 0 ]] && grep -q "Liveness not checked across MPI ranks (the graph of steps is kept by one process): StarvationFree(1), StarvationFree(2)" "$tmp/mpi.out"'
mpi 2 "$FAULTLINE" check peterson --property "StarvationFree(1)" >"$tmp/mpi.out" 2>"$tmp/mpi.err"
expect "under mpirun a named liveness property is refused (exit 2)" \
  '[[ $? -eq 2 ]] && grep -q "a liveness property is not checked across MPI ranks" "$tmp/mpi.err"'
# 128-bit keys travel in the messages, the parent lookups and the gathered candidates.
NPS=3 compare "paxos ignore-accepted, 128-bit fingerprints" 1 paxos --param variant=ignore-accepted --property agreement \
  --fingerprint 128

# Simulation: the walks of a batch are spread over the ranks and merged in walk order, so the report (coverage,
# saturation curve, the lowest-numbered violating walk and its trace) is that of one process.
simulate_compare() {  # simulate_compare NAME EXPECTED-EXIT ARGS...
  local name=$1 want=$2
  shift 2
  rm -f "$tmp/one-trace.json" "$tmp/mpi-trace.json"
  "$FAULTLINE" simulate "$@" --json "$tmp/one.json" --trace "$tmp/one-trace.json" >/dev/null 2>&1
  expect "simulate $name: one process exits $want" "[[ $? -eq $want ]]"
  for np in 2 3; do
    mpi "$np" "$FAULTLINE" simulate "$@" --threads 1 --json "$tmp/mpi.json" --trace "$tmp/mpi-trace.json" \
      >"$tmp/mpi.out" 2>/dev/null
    expect "simulate $name: $np ranks exit $want" "[[ $? -eq $want ]]"
    expect "simulate $name: $np ranks give the report of one process" \
      "python3 - '$tmp/one.json' '$tmp/mpi.json' <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
ranks = b['simulation'].pop('ranks')
for r in (a, b):
    for k in ('seconds', 'states_per_second', 'peak_memory_bytes', 'threads'):
        r.pop(k)
sys.exit(0 if a == b and ranks == $np else 1)
PY"
    expect "simulate $name: $np ranks print one report" "[[ \$(grep -c '^Coverage' '$tmp/mpi.out') -eq 1 ]]"
    if [[ -s $tmp/one-trace.json ]]; then
      expect "simulate $name: $np ranks write the same trace" 'cmp -s "$tmp/one-trace.json" "$tmp/mpi-trace.json"'
    fi
  done
}
simulate_compare "paxos swarm" 0 paxos --walks 2600 --swarm --seed 7
simulate_compare "two-phase-commit commit-on-timeout" 1 two-phase-commit --param variant=commit-on-timeout --walks 3000 \
  --swarm

# Exchanges larger than one MPI call takes go in several passes: forced here with 1,000-byte passes.
"$MPIRUN" --allow-run-as-root --oversubscribe -np 3 -x FAULTLINE_MPI_PASS_BYTES=1000 "$FAULTLINE" check two-phase \
  --param rms=6 --threads 1 --json "$tmp/passes.json" --junit "$tmp/passes.xml" >/dev/null 2>&1
"$FAULTLINE" check two-phase --param rms=6 --json "$tmp/one.json" >/dev/null 2>&1
expect "exchanges in many passes give the answers of one process" 'same_answers "$tmp/one.json" "$tmp/passes.json"'
expect "rank 0 writes the JUnit report" 'python3 -c "import xml.etree.ElementTree as E; E.parse(\"$tmp/passes.xml\")"'

# Ownership spreads the states evenly: the busiest of 3 ranks holds less than 5% over its share (paxos, above).
expect "3 ranks share paxos evenly" \
  "python3 -c 'import json,sys; sys.exit(json.load(open(\"$tmp/spread.json\"))[\"load_imbalance\"] >= 1.05)'"

# Limits end the distributed search the same way: exit 3, incomplete, counts so far.
mpi 2 "$FAULTLINE" check two-phase --param rms=7 --max-states 5000 --json "$tmp/limit.json" >"$tmp/out" 2>&1
rc=$?
expect "--max-states under MPI exits 3 (got $rc)" '[[ $rc -eq 3 ]]'
expect "--max-states under MPI says why" 'grep -q "state limit reached" "$tmp/out"'
mpi 2 "$FAULTLINE" check two-phase --param rms=7 --max-depth 5 --json "$tmp/depth-mpi.json" >/dev/null 2>&1
"$FAULTLINE" check two-phase --param rms=7 --max-depth 5 --json "$tmp/depth-one.json" >/dev/null 2>&1
expect "--max-depth under MPI stops at the same level with the same counts" \
  'same_answers "$tmp/depth-one.json" "$tmp/depth-mpi.json"'

# A stop request (mpirun passes SIGTERM on to the ranks) still reports what was found.
"$MPIRUN" --allow-run-as-root --oversubscribe -np 2 "$FAULTLINE" check two-phase --param rms=10 --threads 1 \
  >"$tmp/out" 2>&1 &
job=$!
sleep 3
kill -TERM "$job"
wait "$job"
rc=$?
expect "SIGTERM under MPI reports an incomplete search (rc $rc)" 'grep -q "incomplete (stopped on request)" "$tmp/out"'
expect "SIGTERM under MPI: one report with both ranks" 'grep -q "^MPI: 2 ranks" "$tmp/out"'
# SIGUSR1, which mpirun passes on unchanged, stops every rank with exit 3, and mpirun exits 3 with them.
"$MPIRUN" --allow-run-as-root --oversubscribe -np 2 "$FAULTLINE" check two-phase --param rms=10 --threads 1 \
  --json "$tmp/usr1.json" >"$tmp/out" 2>&1 &
job=$!
sleep 3
kill -USR1 "$job"
wait "$job"
rc=$?
expect "SIGUSR1 under MPI: exit 3 (got $rc)" '[[ $rc -eq 3 ]] && grep -q "incomplete (stopped on request)" "$tmp/out"'
expect "SIGUSR1 under MPI: the JSON report says incomplete" 'grep -q "\"result\": \"incomplete\"" "$tmp/usr1.json"'

# What MPI cannot do yet: one error line from rank 0, exit 2.
# A report rank 0 cannot write ends every rank (none waits for it for ever).
for bad in "--exact" "--checkpoint $tmp/cp" "--json $tmp/no/such/folder/r.json" "--memory-limit 1M"; do
  timeout 60 "$MPIRUN" --allow-run-as-root --oversubscribe -np 2 "$FAULTLINE" check two-phase $bad \
    >"$tmp/out" 2>"$tmp/err"
  rc=$?
  expect "mpirun check $bad: exit 2 (got $rc)" '[[ $rc -eq 2 ]]'
  expect "mpirun check $bad: one error line" \
    '[[ $(grep -c "^faultline: error: " "$tmp/err") -eq 1 && ! -s "$tmp/out" ]]'
done
timeout 60 "$MPIRUN" --allow-run-as-root --oversubscribe -np 2 "$FAULTLINE" simulate paxos --walks 100 \
  --json "$tmp/no/such/folder/r.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "mpirun simulate with a report rank 0 cannot write: exit 2, one error line (got $rc)" \
  '[[ $rc -eq 2 && $(grep -c "^faultline: error: " "$tmp/err") -eq 1 && ! -s "$tmp/out" ]]'

finish "mpi tests"
