#!/usr/bin/env bash
# End-to-end tests of the `faultline` program: exit codes, published counts, JSON report, and bad input
# (each bad input must give exactly one error line on stderr and exit code 2).
set -u
FAULTLINE=${FAULTLINE:?set FAULTLINE to the faultline binary}
source "$(dirname "$0")/checks.sh"

expect_usage_error() {  # expect_usage_error WHAT-THE-MESSAGE-SAYS ARGS...
  local says=$1
  shift
  run "$@"
  local lines
  lines=$(wc -l <"$tmp/err")
  if [[ $rc -eq 2 && $lines -eq 1 && $err == "faultline: error: "* && $err == *"$says"* && -z $out ]]; then
    pass
  else
    fail "faultline $* -> rc=$rc, stderr lines=$lines: $err"
  fi
}

# Published TLC counts (tlaplus/Examples transaction_commit/manifest.json) from the command line.
run check two-phase --param rms=3 --threads 2 --json "$tmp/report.json"
expect "two-phase rms=3 exits 0" '[[ $rc -eq 0 ]]'
expect "two-phase rms=3 prints TLC counts" '[[ $out == *"288 distinct states, 1146 generated, depth 11"* ]]'
json=$(cat "$tmp/report.json")
for key in '"protocol": "two-phase"' '"rms": "3"' '"result": "ok"' '"distinct_states": 288' \
           '"generated_states": 1146' '"depth": 11' '"threads": 2' '"seconds":'; do
  expect "JSON report has $key" '[[ $json == *"$key"* ]]'
done

# A violation: exit 1, the shortest trace on screen and in JSON.
run check die-hard --json "$tmp/die.json"
expect "die-hard exits 1" '[[ $rc -eq 1 ]]'
expect "die-hard names the property" '[[ $out == *"violation of NotSolved"* ]]'
expect "die-hard trace has 6 steps after its initial state (step 0)" '[[ $out == *"shortest counterexample, 6 steps:"* && $out == *"  0: Initial predicate"* && $out == *"  6: BigToSmall"* ]]'
json=$(cat "$tmp/die.json")
expect "JSON violation has property and trace" \
  '[[ $json == *"\"result\": \"violation\""* && $json == *"\"property\": \"NotSolved\""* && $json == *"\"action\": \"FillBigJug\""* ]]'

# Exact mode gives the same counts.
run check tcommit --exact
expect "tcommit exact counts" '[[ $rc -eq 0 && $out == *"34 distinct states, 94 generated, depth 7"* ]]'

# Deadlock detection: tcommit ends in states where every RM has decided.
run check tcommit --check-deadlock
expect "tcommit deadlocks when asked" '[[ $rc -eq 1 && $out == *"violation of deadlock"* ]]'

# Limits end the run as incomplete (exit 3), still reporting what was found.
run check two-phase --param rms=6 --max-states 1000
expect "state limit exits 3" '[[ $rc -eq 3 && $out == *"incomplete (state limit reached)"* ]]'
run check two-phase --param rms=6 --max-depth 3
expect "depth limit exits 3" '[[ $rc -eq 3 && $out == *"depth 3"* ]]'

# Under AddressSanitizer (about 100x slower at -O0) the model-heavy runs are left to the normal suite.
if [[ -z ${FAULTLINE_SANITIZED:-} ]]; then
  run check paxos-commit --threads 2
  expect "paxos-commit matches TLC" '[[ $rc -eq 0 && $out == *"1321761 distinct states, 16959159 generated, depth 28"* ]]'
fi

# JUnit XML: one test case per property; a violation is a failure holding the trace.
run check die-hard --junit "$tmp/die.xml"
expect "junit: die-hard exits 1" '[[ $rc -eq 1 ]]'
expect "junit: well-formed XML" 'python3 -c "import xml.dom.minidom as m; m.parse(\"$tmp/die.xml\")"'
expect "junit: the violation is a failure with the trace" \
  'grep -q "<failure type=\"violation\" message=\"NotSolved violated: shortest counterexample, 6 steps\">" "$tmp/die.xml" && grep -q "BigToSmall" "$tmp/die.xml"'
expect "junit: counts" 'grep -q "tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"1\"" "$tmp/die.xml"'
run check two-phase --param rms=3 --junit "$tmp/tp.xml"
expect "junit: passing check has no failure" '[[ $rc -eq 0 ]] && grep -q "tests=\"1\" failures=\"0\" errors=\"0\"" "$tmp/tp.xml"'
run check two-phase --param rms=6 --max-states 100 --junit "$tmp/inc.xml"
expect "junit: incomplete search is an error" '[[ $rc -eq 3 ]] && grep -q "<error type=\"incomplete\"" "$tmp/inc.xml"'
expect_usage_error "--junit cannot be combined with --sweep" check rpc-retry --sweep --junit "$tmp/x.xml"
run check two-phase --param rms=3 --junit "$tmp/tp-class.xml"
expect "junit: a class name has no '.' (Jenkins splits there)" \
  'grep -q "classname=\"faultline:two-phase\[rms=3\]\"" "$tmp/tp-class.xml" && ! grep -q "classname=\"[^\"]*\.[^\"]*\"" "$tmp/tp-class.xml"'
run check abd-register --param variant=no-write-back --faults loss=0,crash=0 --junit "$tmp/abd.xml"
expect "junit: a failure carries why it fails and the client history" \
  'grep -q "Client history" "$tmp/abd.xml" && grep -q "Why it fails: Not linearizable" "$tmp/abd.xml" &&
   python3 -c "import xml.dom.minidom as m; m.parse(\"$tmp/abd.xml\")"'

# --memory-limit: the run stops as incomplete before its peak memory passes the limit, and reports what it found.
# The limit is 80 MiB above what the program needs to start (far more under AddressSanitizer), read from its error.
expect_usage_error "the checker needs to start" check paxos --memory-limit 1M
limit=$(($(grep -o 'below the [0-9]* bytes' "$tmp/err" | grep -o '[0-9]*') + (80 << 20)))
run check paxos --faults crash=2,loss=2 --threads 2 --memory-limit "$limit" --json "$tmp/mem.json"
expect "memory limit: incomplete, exit 3" '[[ $rc -eq 3 && $out == *"incomplete (memory limit reached)"* && $out == *"distinct states"* ]]'
peak=$(grep -o '"peak_memory_bytes": [0-9]*' "$tmp/mem.json" | grep -o '[0-9]*$')
# Under AddressSanitizer (scripts/sanitize.sh sets FAULTLINE_SANITIZED) its allocator's quarantine and redzones add
# to the peak outside the checker's control; there only the stop itself is checked.
if [[ -z ${FAULTLINE_SANITIZED:-} ]]; then
  expect "memory limit: peak $peak bytes is within the limit of $limit" '[[ -n $peak && $peak -le $limit ]]'
fi

# Signals: SIGINT and SIGTERM end a long run within a second, with the partial report and exit 3.
for sig in INT TERM; do
  "$FAULTLINE" check paxos --faults crash=2,loss=2 --threads 2 >"$tmp/sig.out" 2>/dev/null &
  pid=$!
  sleep 1.5
  start=$(date +%s%N)
  kill -$sig $pid
  wait $pid
  rc=$?
  took_ms=$((($(date +%s%N) - start) / 1000000))
  out=$(cat "$tmp/sig.out")
  expect "SIG$sig exits 3 within a second (took $took_ms ms)" '[[ $rc -eq 3 && $took_ms -lt 1000 ]]'
  expect "SIG$sig prints the partial report" '[[ $out == *"incomplete (stopped on request)"* && $out == *"distinct states"* ]]'
done

# Checkpoint and resume. A run killed outright (SIGKILL) resumes from its last checkpoint and ends with the counts of
# an uninterrupted run (two-phase rms=8 = TLC's 1,745,408 / 18,507,778 / 26; under AddressSanitizer rms=7 =
# 296,448 / 2,744,706 / 23: rms=8 takes minutes there); so does a run stopped by a limit.
ck="$tmp/ck"
big=8 big_counts="1745408 distinct states, 18507778 generated, depth 26"
[[ -n ${FAULTLINE_SANITIZED:-} ]] && big=7 big_counts="296448 distinct states, 2744706 generated, depth 23"
"$FAULTLINE" check two-phase --param rms=$big --threads 1 --checkpoint "$ck" --checkpoint-interval 0 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 3000); do grep -qs "^level 1[2-9]" "$ck/manifest" && break; sleep 0.01; done
kill -KILL $pid
wait $pid
rc=$?
killed_at=$(sed -n 's/^level //p' "$ck/manifest")
expect "SIGKILL ended the run mid-way (rc=$rc, checkpoint level $killed_at)" '[[ $rc -eq 137 && $killed_at -ge 12 ]]'
run check two-phase --param rms=$big --threads 2 --resume "$ck" --json "$tmp/resumed.json"
expect "resumed after SIGKILL: the counts of an uninterrupted run" \
  '[[ $rc -eq 0 && $out == *"$big_counts"* && $out == *"Resumed from the checkpoint at level $killed_at"* ]]'
expect "JSON names the level resumed from" 'grep -q "\"resumed_from_level\": $killed_at" "$tmp/resumed.json"'
run check two-phase --param rms=$big --resume "$ck"
expect "a finished search's checkpoint resumes to the same result" '[[ $rc -eq 0 && $out == *"$big_counts"* ]]'
run check two-phase --param rms=7 --max-states 100000 --checkpoint "$tmp/ck2"
expect "a run stopped by a limit leaves a checkpoint" '[[ $rc -eq 3 && $out == *"Checkpoint of level"*"--resume"* ]]'
run check two-phase --param rms=7 --resume "$tmp/ck2"
expect "and resumes to TLC's rms=7 counts" '[[ $rc -eq 0 && $out == *"296448 distinct states, 2744706 generated, depth 23"* ]]'
expect_usage_error "holds a checkpoint of two-phase {rms=7}, not of two-phase {rms=6}" check two-phase --param rms=6 --resume "$tmp/ck2"
expect_usage_error "--resume: no checkpoint in" check two-phase --resume "$tmp/nowhere"
expect_usage_error "fingerprint mode only" check two-phase --exact --checkpoint "$tmp/ck3"
expect_usage_error "--checkpoint-interval needs --checkpoint" check two-phase --checkpoint-interval 5
expect_usage_error "--checkpoint-interval: expected a positive number" check two-phase --checkpoint "$tmp/ck3" --checkpoint-interval -1
printf 'faultline-checkpoint 1\nlevel x\n' >"$tmp/ck2/manifest"
expect_usage_error "line 2 is malformed" check two-phase --param rms=7 --resume "$tmp/ck2"

# 128-bit fingerprints. The first word is the 64-bit fingerprint, so counts, outcomes and the chosen counterexample are
# those of 64-bit mode, whatever the model; the key, the bytes per state and the collision estimate change.
same_but_width() {  # same_but_width REPORT-64 REPORT-128
  python3 - "$1" "$2" <<'PY'
import json, sys
drop = {"seconds", "states_per_second", "peak_memory_bytes", "visited_bytes_per_state", "collision_probability",
        "fingerprint_bits"}
ra, rb = (json.load(open(f)) for f in sys.argv[1:3])
a, b = ({k: v for k, v in r.items() if k not in drop} for r in (ra, rb))
for r in (a, b):
    r.get("liveness", {}).pop("seconds", None)
ratio = rb["visited_bytes_per_state"] / ra["visited_bytes_per_state"]
ok = (a == b and ra["fingerprint_bits"] == 64 and rb["fingerprint_bits"] == 128 and 1.9 < ratio < 2.1
      and rb["collision_probability"] <= ra["collision_probability"] * 2.0 ** -60)
sys.exit(0 if ok else 1)
PY
}
models=("two-phase --param rms=5" "die-hard" "ap-register" "abd-register --param variant=no-write-back --faults loss=0,crash=0"
        "peterson --check-deadlock" "two-phase-commit --param variant=commit-on-timeout")
# The larger ones (about 1 s in all here) not under the sanitizers' -O0.
[[ -z ${FAULTLINE_SANITIZED:-} ]] && models+=("paxos --param variant=ignore-accepted" "fast-paxos-spec --symmetry")
for args in "${models[@]}"; do
  rm -f "$tmp/t64.json" "$tmp/t128.json"
  run check $args --json "$tmp/r64.json" --trace "$tmp/t64.json"
  rc64=$rc
  run check $args --fingerprint 128 --json "$tmp/r128.json" --trace "$tmp/t128.json"
  expect "$args: --fingerprint 128 exits as 64-bit mode ($rc vs $rc64)" '[[ $rc -eq $rc64 ]]'
  expect "$args: --fingerprint 128 gives the answers of 64-bit mode, twice the bytes per state" \
    'same_but_width "$tmp/r64.json" "$tmp/r128.json"'
  if [[ -s $tmp/t64.json ]]; then
    expect "$args: --fingerprint 128 writes the same trace file" 'cmp -s "$tmp/t64.json" "$tmp/t128.json"'
    run replay "$tmp/t128.json"
    expect "$args: the 128-bit run's trace replays" '[[ $rc -eq 1 && $out == *"Reproduced"* ]]'
  fi
done
run check two-phase --param rms=5 --fingerprint 128
expect "--fingerprint 128 is named in the text report" \
  '[[ $out == *"128-bit fingerprint mode"* && $out == *"Fingerprint collision probability (128-bit fingerprints): "* ]]'
run check two-phase --param rms=6 --max-states 20000 --fingerprint 128 --checkpoint "$tmp/ck4"
expect "a 128-bit checkpoint says so" '[[ $rc -eq 3 ]] && grep -q "^fingerprint_bits 128$" "$tmp/ck4/manifest"'
run check two-phase --param rms=6 --fingerprint 128 --resume "$tmp/ck4"
expect "and resumes to TLC's rms=6 counts" '[[ $rc -eq 0 && $out == *"50816 distinct states, 402306 generated, depth 20"* ]]'
expect_usage_error "holds a checkpoint of two-phase {rms=6} fingerprint-128, not of two-phase {rms=6}" \
  check two-phase --param rms=6 --resume "$tmp/ck4"
expect_usage_error "--fingerprint: expected 64 or 128 (bits), not '96'" check two-phase --fingerprint 96
expect_usage_error "--fingerprint: expected 64 or 128 (bits), not 'wide'" check two-phase --fingerprint wide
expect_usage_error "--exact stores whole states" check two-phase --fingerprint 128 --exact

# Clocks: the lease is safe with its drift margin; without it, drift lets two clients hold it at once.
# Under AddressSanitizer (-O0) clock models run ~300x slower: there the same checks run on small configurations.
if [[ -z ${FAULTLINE_SANITIZED:-} ]]; then
run check lease --json "$tmp/lease.json"
expect "lease (margin) safe under its default budget" \
  '[[ $rc -eq 0 && $out == *"Safe under any 1 loss and 1 duplicate"* && $out == *"1175794 distinct states, 18726211 generated, depth 27"* ]]'
run check lease --param variant=no-margin --trace "$tmp/lease-trace.json"
expect "lease no-margin: violation with a 9-step trace that shows drifting ticks" \
  '[[ $rc -eq 1 && $out == *"violation of at-most-one-holder"* && $out == *"9 steps"* && $out == *"tick n0+"* && $out == *"clocks["* ]]'
run check lease --param variant=no-margin --param drift=0
expect "lease no-margin is safe when clocks do not drift" '[[ $rc -eq 0 ]]'
# --sweep over parameter ranges: the broken lease fails from drift 1 and skew 1 on; the margin design never.
run check lease --param variant=no-margin --param drift=0..2 --param skew=0..1 --faults loss=0,dup=0 --sweep --json "$tmp/sweep.json"
expect "lease sweep: safe while clocks cannot drift apart" \
  '[[ $rc -eq 1 && $out == *"Parameter profile of lease"* && $(grep -c "  safe " <<<"$out") -eq 4 ]]'
expect "lease sweep: smallest failing drift/skew is 1/1" \
  '[[ $out =~ "         1         1  at-most-one-holder violated, shortest trace 9 steps" ]]'
expect "lease sweep JSON has a row per combination" '[[ $(grep -c "\"distinct_states\"" "$tmp/sweep.json") -eq 6 ]]'
run check lease --param drift=0..2 --param skew=1..2 --param lease=4 --faults loss=0,dup=0 --sweep
expect "lease sweep: invalid combinations are rows, not errors" '[[ $rc -eq 0 && $out == *"not a valid combination"* ]]'
run check lww-register --param variant=hlc --param drift=1 --param skew=1 --faults loss=1,dup=1,jump=2
expect "lww-register hlc safe under drift, skew and two jumps" \
  '[[ $rc -eq 0 && $out == *"Safe under any 1 loss, 1 duplicate and 2 clock jumps"* && $out == *"1070142 distinct"* ]]'
else
run check lease --param variant=no-margin --param lease=2 --faults loss=0,dup=0 --trace "$tmp/lease-trace.json"
expect "lease no-margin (small): violation with a 7-step trace" \
  '[[ $rc -eq 1 && $out == *"violation of at-most-one-holder"* && $out == *"7 steps"* && $out == *"tick n0+"* ]]'
run check lww-register --param variant=hlc
expect "lww-register hlc safe under its default budget" '[[ $rc -eq 0 && $out == *"8133 distinct"* ]]'
fi
run replay "$tmp/lease-trace.json"
expect "lease trace replays and still violates" '[[ $rc -eq 1 && $out == *"Reproduced"* ]]'
expect_usage_error "needs lease > 2*skew" check lease --param skew=2 --param lease=4
expect_usage_error "--param drift: empty range" check lease --param drift=2..1 --sweep
run check lww-register --param variant=wall --trace "$tmp/lww.json"
expect "lww-register wall clocks lose a causally later write" '[[ $rc -eq 1 && $out == *"violation of no-lost-write"* && $out == *"3 steps"* ]]'
run check lww-register --param variant=wall --faults dup=0,jump=1 --sweep
expect "lww-register wall: the sweep shows the jump budget" '[[ $rc -eq 1 && $out == *"jump"* && $out == *"no-lost-write violated"* ]]'
expect_usage_error "bad budget 'x' for jump" check lww-register --faults jump=x

# Replicated registers: linearizability explained as a timeline; CP (abd-register) vs AP (ap-register) under partition.
run check abd-register --param variant=no-write-back --faults loss=0,crash=0 --trace "$tmp/abd.json" --json "$tmp/abd-report.json"
expect "abd-register without write-back: a read inversion in 9 steps, with the history as a timeline" \
  '[[ $rc -eq 1 && $out == *"violation of linearizable"* && $out == *"9 steps"* && $out == *"Client history"* &&
     $out == *"after which n4 read -> 0 (events 4-5) would have returned 1"* ]]'
expect "the JSON report carries the explanation" '[[ $(cat "$tmp/abd-report.json") == *"\"explanation\": \"Client history"* ]]'
run show "$tmp/abd.json"
expect "show prints the timeline under the trace" '[[ $rc -eq 0 && $out == *"Not linearizable"* && $out == *"read -> 0 <-"* ]]'
run replay "$tmp/abd.json"
expect "the abd-register trace replays and still violates" '[[ $rc -eq 1 && $out == *"Reproduced: linearizable"* ]]'
run show "$tmp/abd.json" --html "$tmp/abd.html"
expect "the HTML view carries the timeline" '[[ $rc -eq 0 && $(cat "$tmp/abd.html") == *"Not linearizable"* ]]'
run check ap-register --param give_ups=0
expect "ap-register: not linearizable, yet a write completes while partitioned" \
  '[[ $rc -eq 1 && $out == *"violation of linearizable"* && $out =~ write-completes-while-partitioned\ +found ]]'
run check primary-backup --param variant=reply-first --param give_ups=0 --faults crash=1,restart=1
expect "primary-backup replying first loses an acknowledged write when the primary crashes" \
  '[[ $rc -eq 1 && $out == *"violation of linearizable"* && $out == *"crash n0"* && $out == *"restart n0"* ]]'
if [[ -z ${FAULTLINE_SANITIZED:-} ]]; then
run check abd-register --param reads=1 --faults loss=0,crash=0,partition=1
expect "abd-register: no write invoked in a minority completes (goal unreachable), linearizable throughout" \
  '[[ $rc -eq 1 && $out == *"the goal write-completes-while-partitioned (sometimes) is not reachable"* &&
     $out =~ linearizable\ +holds && $out == *"107967 distinct"* ]]'
run check primary-backup
expect "primary-backup is linearizable under its default budget" '[[ $rc -eq 0 && $out == *"109545 distinct"* ]]'
fi
expect_usage_error "parameter give_ups=3 is out of range 0..2" check abd-register --param give_ups=3

# Simulation (random and swarm walks): not exhaustive, deterministic for a seed, violations replay.
run simulate rpc-retry --param variant=no-dedup --walks 300 --seed 3 --trace "$tmp/sim.json" --json "$tmp/sim-report.json"
expect "simulate finds the double apply and says it is not exhaustive" \
  '[[ $rc -eq 1 && $out == *"violation of at-most-once"* && $out == *"not exhaustive"* && $out == *"Trace written"* ]]'
expect "the simulation report has a coverage section" \
  '[[ $(cat "$tmp/sim-report.json") == *"\"exhaustive\": false"* && $(cat "$tmp/sim-report.json") == *"new_states_per_1000_walks"* ]]'
run replay "$tmp/sim.json"
expect "a simulated counterexample replays and still violates" '[[ $rc -eq 1 && $out == *"Reproduced: at-most-once"* ]]'
run simulate two-phase-commit --walks 2000 --seed 5 --threads 1
one=$(grep -v '^Coverage' <<<"$out")
seen=$(grep -o '[0-9]* distinct states seen' <<<"$out" | grep -o '^[0-9]*')
expect "simulate on a safe design: no violation, never called safe" \
  '[[ $rc -eq 0 && $out == *"no violation in 2000 walks"* && $out == *"a sample, not a proof"* && $out != *"Safe under"* ]]'
expect "walks see no more distinct states than the exhaustive search finds (41838)" '[[ $seen -gt 0 && $seen -le 41838 ]]'
run simulate two-phase-commit --walks 2000 --seed 5 --threads 2
expect "the same seed gives the same walks on 1 and 2 threads" '[[ $(grep -v "^Coverage" <<<"$out") == "$one" ]]'
run simulate two-phase-commit --walks 2000 --seed 6 --threads 2
expect "another seed gives other walks" '[[ $(grep -v "^Coverage" <<<"$out") != "$one" ]]'
if [[ -z ${FAULTLINE_SANITIZED:-} ]]; then
for broken in "two-phase-commit variant=commit-on-timeout" "alternating-bit variant=no-bit" "rpc-retry variant=volatile-dedup" \
              "paxos variant=ignore-accepted" "raft-election variant=volatile-vote" "lease variant=no-margin" \
              "lww-register variant=wall" "abd-register variant=no-write-back" "primary-backup variant=reply-first" \
              "ap-register variant=ap"; do
  set -- $broken
  if [[ $2 == variant=ap ]]; then run simulate "$1" --swarm --walks 20000; else run simulate "$1" --param "$2" --swarm --walks 20000; fi
  expect "20000 swarm walks find the bug in $broken" '[[ $rc -eq 1 && $out == *"Result: violation of"* ]]'
done
fi
expect_usage_error "--walks: must be at least 1" simulate rpc-retry --walks 0
expect_usage_error "--depth" simulate rpc-retry --depth x
expect_usage_error "unknown protocol 'nope'" simulate nope
expect_usage_error "two-phase is not an actor system" simulate two-phase --faults loss=1

# Symmetry reduction: TLC's published SimplifiedFastPaxos/Paxos counts with SYMMETRY (tlaplus/Examples manifest).
run check fast-paxos-spec --symmetry --json "$tmp/fps.json"
expect "fast-paxos-spec --symmetry matches TLC" \
  '[[ $rc -eq 0 && $out == *"1207 distinct states, 13290 generated, depth 22"* && $out == *"Symmetry reduction on"* ]]'
expect "JSON says symmetry was on" 'grep -q "\"symmetry\": true" "$tmp/fps.json"'
run check fast-paxos-spec
expect "fast-paxos-spec without symmetry" '[[ $rc -eq 0 && $out == *"48514 distinct states, 491173 generated, depth 22"* ]]'
run check two-phase --param rms=5 --symmetry
expect "two-phase rms=5 --symmetry counts orbits" '[[ $rc -eq 0 && $out == *"distinct states"* && $out == *"314 distinct states, 2048 generated, depth 17"* ]]'
expect_usage_error "peterson declares no symmetry" check peterson --symmetry

# Actor protocols: fault budgets, variants, the safe-under statement and the sweep table.
run check rpc-retry --json "$tmp/rpc.json"
expect "rpc-retry safe under its default budget" \
  '[[ $rc -eq 0 && $out == *"Safe under any 1 loss, 1 duplicate, 1 crash and 1 restart"* && $out == *"338 distinct"* ]]'
json=$(cat "$tmp/rpc.json")
expect "JSON has faults and safe_under" \
  '[[ $json == *"\"faults\": \"loss=1,dup=1,crash=1,restart=1,partition=0\""* && $json == *"\"safe_under\": \"any 1 loss"* ]]'
run check rpc-retry --param variant=volatile-dedup
expect "volatile-dedup violates at-most-once with a crash and restart" \
  '[[ $rc -eq 1 && $out == *"violation of at-most-once"* && $out == *"crash n1"* && $out == *"restart n1"* ]]'
run check rpc-retry --param variant=volatile-dedup --faults loss=1,dup=1,restart=1
expect "volatile-dedup is safe without crashes" '[[ $rc -eq 0 && $out == *"Safe under any 1 loss, 1 duplicate and 1 restart"* ]]'
run check rpc-retry --param variant=volatile-dedup --sweep --faults loss=0,dup=0,crash=1,restart=1
expect "sweep exits 1 when a combination is violated" '[[ $rc -eq 1 ]]'
expect "sweep table lists every combination" \
  '[[ $(grep -cE "^ +[01] +[01]  " <<<"$out") -eq 4 && $out == *"at-most-once violated, shortest trace 5 steps"* ]]'
run check rpc-retry --sweep --faults loss=1,dup=0,crash=0,restart=0
expect "sweep of a correct design exits 0" '[[ $rc -eq 0 && $(grep -c "safe" <<<"$out") -eq 2 ]]'
run check two-phase-commit --param variant=commit-on-timeout
expect "2pc commit-on-timeout shows the timeout event" \
  '[[ $rc -eq 1 && $out == *"timeout n0 vote-timeout"* && $out == *"deliver Commit n0→n"* ]]'
run check raft-election --param variant=volatile-vote
expect "raft volatile-vote breaks election safety" '[[ $rc -eq 1 && $out == *"violation of election-safety"* ]]'
run check alternating-bit --param variant=no-bit
expect "abp no-bit breaks delivery" '[[ $rc -eq 1 && $out == *"exactly-once-in-order"* ]]'
# Storage faults: a crash keeps some of the unsynced appends, the last kept maybe torn.
run check wal-store --param variant=ack-before-fsync --json "$tmp/wal.json"
expect "wal-store ack-before-fsync loses an acknowledged write in a crash before the fsync" \
  '[[ $rc -eq 1 && $out == *"violation of acknowledged-writes-survive"* && $out == *"shortest counterexample, 4 steps with 2 fault events"* && $out == *"  2: crash n0 (kept 0 of 1 unsynced appends)"* && $out == *"  4: restart n0"* && $out == *"Why it fails: write 1=1 was acknowledged, but n0 holds 1=0"* ]]'
json=$(cat "$tmp/wal.json")
expect "JSON crash events say what reached the disk" \
  '[[ $json == *"\"unsynced\": 1"* && $json == *"\"kept\": []"* && $json == *"\"torn\": false"* && $json == *"\"faults\": \"loss=0,dup=0,crash=1,restart=1,partition=0,torn=1\""* ]]'
run check wal-store --param variant=ack-before-fsync --minimise
expect "wal-store ack-before-fsync: no trace needs fewer than its crash and restart" \
  '[[ $rc -eq 1 && $out == *"minimised counterexample, 4 steps with 2 fault events"* ]]'
run check wal-store
expect "wal-store is safe under a crash and a torn write" \
  '[[ $rc -eq 0 && $out == *"Safe under any 1 crash, 1 restart and 1 torn write"* ]]'
run check wal-store --param variant=no-checksum --faults crash=1,restart=1,torn=1 --sweep
expect "no-checksum fails only with a torn write" \
  '[[ $rc -eq 1 && $(grep -cE "^ +1 +1 +0  safe" <<<"$out") -eq 1 && $out == *"violated, shortest trace 6 steps"* ]]'
expect_usage_error "rpc-retry cannot suffer a torn fault (its actors keep no log)" check rpc-retry --faults torn=1
run list --json
expect "list --json gives default budgets" '[[ $out == *"\"default_faults\": \"loss=1,dup=1,crash=1,restart=1,partition=0\""* ]]'

# Trace files: check -> save -> replay reproduces the violation for every broken variant.
# (paxos's minimisation, a second's work, takes minutes under AddressSanitizer: the normal suite covers it.)
broken_variants=("two-phase-commit variant=commit-on-timeout" "alternating-bit variant=no-bit"
                 "rpc-retry variant=no-dedup" "rpc-retry variant=volatile-dedup"
                 "raft-election variant=volatile-vote" "wal-store variant=no-checksum" "die-hard")
[[ -z ${FAULTLINE_SANITIZED:-} ]] && broken_variants+=("paxos variant=ignore-accepted")
for broken in "${broken_variants[@]}"; do
  set -- $broken
  args=(check "$1")
  [[ $# -gt 1 ]] && args+=(--param "$2")
  run "${args[@]}" --minimise --trace "$tmp/rt.json"
  expect "$broken: check --trace exits 1 and writes the trace" '[[ $rc -eq 1 && -s $tmp/rt.json ]]'
  run replay "$tmp/rt.json"
  expect "$broken: replay reproduces the violation (exit 1)" '[[ $rc -eq 1 && $out == *"Reproduced:"* ]]'
done
run check rpc-retry --param variant=no-dedup --trace "$tmp/nd.json"
sed 's/"variant": "no-dedup"/"variant": "dedup"/' "$tmp/nd.json" >"$tmp/fixed.json"
run replay "$tmp/fixed.json"
expect "replay against the fixed design exits 0" '[[ $rc -eq 0 && $out == *"the bug is fixed"* && $out == *"Note: from step 3"* ]]'
run show "$tmp/nd.json"
expect "show prints one line per step with changed fields" \
  '[[ $rc -eq 0 && $out == *"  1: duplicate Request(key=0, amount=10) n0→n1"* && $out == *"nodes[1].state.balance: 10 -> 20"* ]]'
# One diff, one printer: the trace `check` prints is the trace `show` prints from the file, byte for byte.
check_trace=$("$FAULTLINE" check rpc-retry --param variant=no-dedup | sed -n '/^Result:/,/^Fault budget:/p' | sed '1d;$d')
show_trace=$("$FAULTLINE" show "$tmp/nd.json" | sed 1d)
expect "check and show print the same trace, byte for byte" '[[ -n $check_trace && $check_trace == "$show_trace" ]]'
expect "the initial state one field per line, nested; the network's messages one per line" \
  '[[ $show_trace == *$'"'"'\n       history: []\n'"'"'* && $show_trace == *$'"'"'\n         [1]:\n           crashed: false\n'"'"'* &&
     $show_trace == *$'"'"'\n       network.bag - Request(key=0, amount=10) n0→n1\n       network.bag + Reply(key=0) n1→n0\n'"'"'* ]]'
expect "the trace file holds sets as arrays, empty structs as objects, and each step's changes" \
  'python3 -c "import json, sys; t = json.load(open(sys.argv[1])); s = t[\"steps\"]; n = s[0][\"state\"][\"nodes\"][0]
assert n[\"timers\"] == [0] and n[\"durable\"] == {}
assert s[1][\"changes\"][0] == {\"path\": \"network.bag\", \"added\": \"Request(key=0, amount=10) n0→n1\"}
assert t[\"explanation\"] == \"request 0 applied twice\" and t[\"explanation_fields\"] == [\"history[0]\", \"history[1]\"]" "$tmp/nd.json"'
# A version 2 file (no changes) is still read: its steps print whole.
python3 - "$tmp/nd.json" "$tmp/v2.json" "$tmp/bad-change.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
old = dict(t, version=2, steps=[{k: v for k, v in s.items() if k != "changes"} for s in t["steps"]])
json.dump(old, open(sys.argv[2], "w"), ensure_ascii=False, indent=2)
t["steps"][2]["changes"][0] = {"path": "x"}
json.dump(t, open(sys.argv[3], "w"), ensure_ascii=False, indent=2)
PY
run show "$tmp/v2.json"
expect "a version 2 trace file still shows, each state whole" \
  '[[ $rc -eq 0 && $out == *$'"'"'  3: deliver Request(key=0, amount=10) n0→n1\n       clocks: []'"'"'* ]]'
run replay "$tmp/v2.json"
expect "and still replays" '[[ $rc -eq 1 && $out == *"Reproduced:"* ]]'
expect_usage_error "step 2 has a change that is not" show "$tmp/bad-change.json"
run show "$tmp/nd.json" --mermaid
expect "show --mermaid" '[[ $rc -eq 0 && $out == "sequenceDiagram"* && $out == *"n0->>n1: 2. Request(key=0, amount=10)"* ]]'
run check rpc-retry --trace "$tmp/none.json"
expect "no trace for a safe design" '[[ $rc -eq 0 && $out == *"No trace to write"* ]]'
# Hand-corrupted trace files: exit 2, one line, the step named where there is one.
sed '0,/"action": "deliver/s//"action": "deliverX/' "$tmp/nd.json" >"$tmp/wrong-step.json"
expect_usage_error "step 2: the model has no step 'deliverX" replay "$tmp/wrong-step.json"
head -c 300 "$tmp/nd.json" >"$tmp/truncated.json"
expect_usage_error "is not valid JSON" replay "$tmp/truncated.json"
echo '{"format": "faultline-trace", "version": 1, "protocol": "rpc-retry", "property": "at-most-once", "steps": [1]}' >"$tmp/bad-step.json"
expect_usage_error "step 0 is not an object" replay "$tmp/bad-step.json"
sed 's/"protocol": "rpc-retry"/"protocol": "paxos"/' "$tmp/nd.json" >"$tmp/other.json"
expect_usage_error "unknown parameter 'requests' for protocol paxos" replay "$tmp/other.json"
sed 's/"protocol": "rpc-retry"/"protocol": "nope"/' "$tmp/nd.json" >"$tmp/unknown.json"
expect_usage_error "unknown protocol 'nope'" replay "$tmp/unknown.json"
sed -E 's/"version": [0-9]+/"version": 7/' "$tmp/nd.json" >"$tmp/version.json"
expect_usage_error "unsupported trace format version 7" replay "$tmp/version.json"
echo '[1, 2]' >"$tmp/array.json"
expect_usage_error "is not a faultline trace file" show "$tmp/array.json"
expect_usage_error "cannot read trace file" replay "$tmp/does-not-exist.json"
expect_usage_error "--html: cannot write" show "$tmp/nd.json" --html /nonexistent-dir/x.html
expect_usage_error "--trace: cannot write" check die-hard --trace /nonexistent-dir/x.json

# list and help.
run list
expect "list shows protocols and parameters" '[[ $rc -eq 0 && $out == *"two-phase"* && $out == *"--param rms=N"* && $out == *"always TCConsistent"* ]]'
run list --json
expect "list --json" '[[ $rc -eq 0 && $out == *"\"name\": \"peterson\""* ]]'
run check --help
expect "check --help" '[[ $rc -eq 0 && $out == *"--max-states"* ]]'

# Bad input: one clear line, exit 2.
expect_usage_error "unknown protocol 'nope'" check nope
expect_usage_error "unknown parameter 'x'" check two-phase --param x=1
expect_usage_error "malformed parameter 'rms'" check two-phase --param rms
expect_usage_error "malformed parameter '=3'" check two-phase --param =3
expect_usage_error "expected an integer" check two-phase --param rms=three
expect_usage_error "out of range 1..16" check two-phase --param rms=0
expect_usage_error "out of range 1..16" check two-phase --param rms=99999999999999999999
expect_usage_error "given twice" check two-phase --param rms=2 --param rms=3
expect_usage_error "--threads" check two-phase --threads 0
expect_usage_error "--threads" check two-phase --threads two
expect_usage_error "--max-depth" check two-phase --max-depth 0
expect_usage_error "--max-states" check two-phase --max-states -5
expect_usage_error "--time-limit" check two-phase --time-limit -1
expect_usage_error "--time-limit" check two-phase --time-limit nan
expect_usage_error "--memory-limit" check two-phase --memory-limit 12X
expect_usage_error "--memory-limit" check two-phase --memory-limit 1K
expect_usage_error "--json" check two-phase --json /nonexistent-dir/report.json
expect_usage_error "protocol is required" check
expect_usage_error "not expected" check two-phase --frobnicate
expect_usage_error "A subcommand is required" 
expect_usage_error "bad value 'nope' for parameter variant: expected one of dedup, no-dedup, volatile-dedup" \
  check rpc-retry --param variant=nope
expect_usage_error "unknown fault class 'jitter'" check rpc-retry --faults jitter=1
expect_usage_error "malformed fault budget 'loss'" check rpc-retry --faults loss
expect_usage_error "bad budget '-1' for loss" check rpc-retry --faults loss=-1
expect_usage_error "two-phase is not an actor system" check two-phase --faults loss=1
expect_usage_error "die-hard is not an actor system" check die-hard --sweep

finish cli
