#!/usr/bin/env bash
# Liveness through the program: verdicts pinned for the shipped protocols (2PC blocking when its coordinator crashes
# for good, rpc-retry answered once faults stop, paxos and raft-election under their timers, the lease with bounded
# delay, Peterson under the two fairness assumptions TLC is given, Lamport's live hour clock), every lasso written
# as a trace file that show renders with its loop marked and that replay checks again (steps, cycle, fairness,
# property), and the modes liveness is not checked in.
set -u
FAULTLINE=${FAULTLINE:?set FAULTLINE to the faultline binary}
source "$(dirname "$0")/checks.sh"

refused() {  # one clear refusal: exit 2, one line
  [[ $rc -eq 2 && $(wc -l <"$tmp/err") -eq 1 && $err == "faultline: error: "*"$1"* && -z $out ]]
}

# --- two-phase-commit: blocks when the coordinator crashes and never restarts ---------------------------------
run check two-phase-commit --faults crash=1,restart=0 --trace "$tmp/2pc.json" --json "$tmp/2pc-report.json"
expect "2PC with a crash and no restart: the blocking lasso (exit 1)" \
  '[[ $rc -eq 1 && $out == *"violation of all-learn-outcome (eventually_always) once faults stop, under any 1 crash"* ]]'
expect "the behaviour ends with the coordinator down and a participant prepared, forever" \
  '[[ $out == *"crash n0"* && $out == *"stays in this state forever"* ]]'
expect "atomic-commit still holds" '[[ $out == *"atomic-commit"*"holds"* ]]'
expect "the report's JSON marks the lasso (cycle_start null: it stutters)" \
  'grep -q "\"cycle_start\": null" "$tmp/2pc-report.json" && grep -q "\"decided\": true" "$tmp/2pc-report.json"'
expect "the trace file is version 3 with cycle_start" \
  'grep -q "\"version\": 3" "$tmp/2pc.json" && grep -q "\"cycle_start\": null" "$tmp/2pc.json"'
run replay "$tmp/2pc.json"
expect "replay checks the lasso again (exit 1, reproduced)" \
  '[[ $rc -eq 1 && $out == *"Reproduced: all-learn-outcome is still violated: every step replays, the cycle closes, it is fair"* ]]'
run show "$tmp/2pc.json" --mermaid
expect "Mermaid says the last state lasts forever" '[[ $rc -eq 0 && $out == *"stays in this state forever"* ]]'
run check two-phase-commit --faults crash=1,restart=1
expect "with restarts fair it holds, once faults stop" \
  '[[ $rc -eq 0 && $out == *"Live: all-learn-outcome holds on every fair behaviour once faults stop, under any 1 crash and 1 restart"* ]]'
run check two-phase-commit --faults crash=1,restart=1 --param fair-restart=no
expect "with restarts allowed but not fair it blocks again" '[[ $rc -eq 1 && $out == *"violation of all-learn-outcome"* ]]'
run check two-phase-commit --faults loss=1
expect "a lost decision blocks its participant (the coordinator tells each once)" \
  '[[ $rc -eq 1 && $out == *"violation of all-learn-outcome"* && $out == *"drop "* ]]'

# --- rpc-retry: answered once faults stop; without retries one loss is enough ----------------------------------
run check rpc-retry
expect "rpc-retry: eventually answered once faults stop (exit 0)" \
  '[[ $rc -eq 0 && $out == *"Live: eventually-answered holds on every fair behaviour once faults stop, under any 1 loss, 1 duplicate, 1 crash and 1 restart"* ]]'
run check rpc-retry --param variant=no-retry --faults loss=1 --trace "$tmp/rpc.json"
expect "no-retry: one lost message and the client waits forever" \
  '[[ $rc -eq 1 && $out == *"violation of eventually-answered (eventually) once faults stop, under any 1 loss"* && $out == *"drop "* ]]'
run replay "$tmp/rpc.json"
expect "its lasso replays" '[[ $rc -eq 1 && $out == *"Reproduced: eventually-answered"* ]]'
run check rpc-retry --param variant=no-retry --faults loss=0
expect "no-retry without loss is live" '[[ $rc -eq 0 && $out == *"Live: eventually-answered"* ]]'

# --- paxos: one crash blocks proposers that never retry; impatient proposers abandon every ballot; a distinguished
# proposer that retransmits gets a value chosen once faults stop --------------------------------------------------
run check paxos --trace "$tmp/paxos.json"
expect "paxos with one ballot each: a crashed proposer leaves nothing chosen (exit 1, 7 steps)" \
  '[[ $rc -eq 1 && $out == *"violation of eventually-chosen (eventually) once faults stop, under any 1 crash: a fair behaviour that breaks it, 7 steps with 1 fault event, then its last state forever"* && $out == *"crash n"* ]]'
expect "its invariants still hold" '[[ $out == *"always     agreement                holds"* && $out == *"always     validity                 holds"* ]]'
run replay "$tmp/paxos.json"
expect "the paxos lasso replays" '[[ $rc -eq 1 && $out == *"Reproduced: eventually-chosen"* ]]'
run check paxos --param rounds=2 --param acceptors=1 --faults crash=0 --trace "$tmp/duel.json"
expect "proposers that abandon a ballot on a timeout can abandon them all, with no fault (9 steps)" \
  '[[ $rc -eq 1 && $out == *"violation of eventually-chosen (eventually) (no faults): a fair behaviour that breaks it, 9 steps with 0 fault events"* && $out == *"phase: preparing -> gave-up"* && $out == *"6306 distinct states"* ]]'
run replay "$tmp/duel.json"
expect "that lasso replays" '[[ $rc -eq 1 && $out == *"Reproduced: eventually-chosen"* ]]'
run check paxos --param rounds=3 --param acceptors=1 --faults crash=0 --trace "$tmp/duel3.json"
expect "with a third ballot each the same ending, later (13 steps)" \
  '[[ $rc -eq 1 && $out == *"a fair behaviour that breaks it, 13 steps"* && $out == *"215312 distinct states"* ]]'
run replay "$tmp/duel3.json"
expect "... and it replays" '[[ $rc -eq 1 && $out == *"Reproduced: eventually-chosen"* ]]'
run check paxos --param variant=distinguished-proposer --faults loss=1,dup=1
expect "a distinguished proposer: a value is chosen once faults stop, under a loss and a duplicate" \
  '[[ $rc -eq 0 && $out == *"Live: eventually-chosen holds on every fair behaviour once faults stop, under any 1 loss and 1 duplicate"* && $out == *"109025 distinct states"* ]]'
run check paxos --param variant=distinguished-proposer --faults loss=1,crash=0
expect "monotone in the budget: with the duplicate taken away it still holds" '[[ $rc -eq 0 && $out == *"Live: eventually-chosen"* && $out == *"20289 distinct states"* ]]'
run check paxos --param variant=distinguished-proposer --param rounds=2
expect "the distinguished proposer with more ballots is a usage error" \
  'refused "paxos: the distinguished proposer keeps one ballot (leave rounds at 1)"'
run check paxos --param variant=distinguished-proposer --faults crash=1 --max-depth 12
expect "a bounded search decides no liveness property" '[[ $rc -eq 3 && $out == *"Liveness: not decided"* ]]'

# --- raft-election: nondeterministic timers let every term split; one server campaigning alone is elected -------
run check raft-election --trace "$tmp/raft.json"
expect "raft-election: the candidate crashes in the last term with its votes in flight (exit 1, 9 steps)" \
  '[[ $rc -eq 1 && $out == *"violation of leader-elected (eventually) once faults stop, under any 1 crash and 1 restart: a fair behaviour that breaks it, 9 steps"* && $out == *"restart (weak): never enabled on the cycle"* ]]'
run replay "$tmp/raft.json"
expect "the raft lasso replays" '[[ $rc -eq 1 && $out == *"Reproduced: leader-elected"* ]]'
run check raft-election --param max_term=2 --faults crash=0,restart=0 --trace "$tmp/split.json"
expect "with no faults at all, every server times out and the last term splits its vote (20 steps)" \
  '[[ $rc -eq 1 && $out == *"(no faults): a fair behaviour that breaks it, 20 steps"* && $out == *"granted=false"* ]]'
run replay "$tmp/split.json"
expect "the split vote replays" '[[ $rc -eq 1 && $out == *"Reproduced: leader-elected"* ]]'
run check raft-election --param candidates=1 --param max_term=2 --faults loss=1,dup=1
expect "one server campaigning alone is elected once faults stop" \
  '[[ $rc -eq 0 && $out == *"Live: leader-elected holds on every fair behaviour once faults stop, under any 1 loss and 1 duplicate"* && $out == *"2935 distinct states"* ]]'
run check raft-election --param candidates=1 --trace "$tmp/alone.json"
expect "... unless it crashes in its last term (the bound leaves no term to campaign in)" \
  '[[ $rc -eq 1 && $out == *"crash n0"* && $out == *"restart n0"* ]]'
run replay "$tmp/alone.json"
expect "that lasso replays" '[[ $rc -eq 1 && $out == *"Reproduced: leader-elected"* ]]'
run check raft-election --param candidates=4
expect "more candidates than servers is a usage error" 'refused "raft-election: candidates must be at most nodes"'

# --- lease: clients asking forever get the lease when delay is bounded; a crashed service leaves them waiting;
# with delay unbounded the wrapping attempt number takes a stale grant -----------------------------------------
lease=(check lease --param attempts=0 --param delay=bounded)
run "${lease[@]}" --faults loss=0,dup=0 --json "$tmp/lease.json"
expect "lease, delay bounded: every waiting client gets the lease (exit 0, 605,124 states)" \
  '[[ $rc -eq 0 && $out == *"Live: n1-gets-the-lease holds on every fair behaviour (no faults)"* && $out == *"Live: n2-gets-the-lease holds"* ]] && grep -q "\"distinct_states\": 605124" "$tmp/lease.json"'
run "${lease[@]}" --faults loss=0,dup=0,crash=1 --trace "$tmp/lease-crash.json"
expect "a crashed service leaves the clients asking forever (a 19-step lasso, its cycle from step 7)" \
  '[[ $rc -eq 1 && $out == *"violation of n1-gets-the-lease (leads_to) once faults stop, under any 1 crash: a fair behaviour that breaks it, 19 steps with 1 fault event, then steps 7..19 forever"* && $out == *"crash n0"* ]]'
run replay "$tmp/lease-crash.json"
expect "the lease lasso replays" '[[ $rc -eq 1 && $out == *"Reproduced: n1-gets-the-lease"* ]]'
run check lease --param attempts=0 --param drift=0 --param skew=0 --param lease=2 --faults loss=0,dup=0 \
  --trace "$tmp/lease-aba.json"
expect "delay unbounded: attempt 5 (numbered 1 again) takes the grant meant for attempt 1 (14 steps)" \
  '[[ $rc -eq 1 && $out == *"violation of at-most-one-holder (always); shortest counterexample, 14 steps"* ]]'
run replay "$tmp/lease-aba.json"
expect "the stale grant replays" '[[ $rc -eq 1 && $out == *"Reproduced"* ]]'

# --- Peterson: starvation freedom under WF per process; WF(Next) alone lets process 1 starve -------------------
run check peterson
expect "peterson: starvation free under weak fairness per process (exit 0)" \
  '[[ $rc -eq 0 && $out == *"42 distinct states, 77 generated, depth 11"* && $out == *"Live: StarvationFree(1)"* ]]'
run check peterson --param fairness=next --trace "$tmp/peterson.json" --json "$tmp/peterson-report.json"
expect "under WF(Next) only a process starves: a lasso with a cycle" \
  '[[ $rc -eq 1 && $out == *"violation of StarvationFree("*"then steps "*" forever"* && $out == *"the cycle starts here"* ]]'
expect "the cycle is fair: Next is taken on it" '[[ $out == *"Next (weak): taken on the cycle"* ]]'
expect "its trace file gives the cycle's start" 'grep -Eq "\"cycle_start\": [0-9]+" "$tmp/peterson.json"'
run replay "$tmp/peterson.json"
expect "replay: the cycle closes, is fair, and the process starves along it" '[[ $rc -eq 1 && $out == *"Reproduced"* ]]'
run show "$tmp/peterson.json" --mermaid
expect "Mermaid draws the cycle as a loop" '[[ $rc -eq 0 && $out == *"loop forever: back to the state of step"* && $out == *"    end"* ]]'
run show "$tmp/peterson.json"
expect "show marks where the cycle starts and ends" \
  '[[ $out == *"the cycle starts here"* && $out == *"back to the state of step"* ]]'
# A lasso whose cycle no longer closes is refused by replay.
python3 - "$tmp/peterson.json" "$tmp/open.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["cycle_start"] = 0; json.dump(d, open(sys.argv[2], "w"))
PY
run replay "$tmp/open.json"
expect "a cycle that does not close is a mismatch (exit 2)" '[[ $rc -eq 2 && $err == *"the cycle does not close"* ]]'
run check peterson --param fairness=none
expect "with no fairness a process may just stop" '[[ $rc -eq 1 && $out == *"then its last state forever"* ]]'
for threads in 1 2 4; do
  run check peterson --param fairness=next --threads $threads --trace "$tmp/p$threads.json"
  expect "the same lasso with $threads threads" 'diff <(grep -v seconds "$tmp/peterson.json") <(grep -v seconds "$tmp/p$threads.json") >/dev/null'
done
run check peterson --param fairness=next --fingerprint 128 --trace "$tmp/p128.json"
expect "the same lasso with 128-bit fingerprints" 'diff "$tmp/peterson.json" "$tmp/p128.json" >/dev/null'
run check peterson --param fairness=next --exact --trace "$tmp/pexact.json"
expect "the same lasso in exact mode" 'diff "$tmp/peterson.json" "$tmp/pexact.json" >/dev/null'

# --- Lamport's live hour clock (TLC: success, 12 distinct, 24 generated, depth 1) --------------------------------
run check live-hour-clock
expect "LiveHourClock: every hour recurs (TLC: success)" \
  '[[ $rc -eq 0 && $out == *"12 distinct states, 24 generated, depth 1"* && $out == *"Live: AllTimes(12)"* ]]'
run check live-hour-clock --param fairness=none
expect "without WF the clock may stop" '[[ $rc -eq 1 && $out == *"violation of AllTimes("* ]]'

# --- Where liveness is not checked ---------------------------------------------------------------------------
run check peterson --checkpoint "$tmp/ck"
expect "with --checkpoint the liveness properties are left out, and the report says so" \
  '[[ $rc -eq 0 && $out == *"Liveness not checked with --checkpoint or --resume"*"StarvationFree(1), StarvationFree(2)"* ]]'
run check peterson --property "StarvationFree(1)" --checkpoint "$tmp/ck2"
expect "a liveness property named with --property is refused there" \
  'refused "--property StarvationFree(1): a liveness property is not checked with --checkpoint"'
run simulate peterson --param fairness=next --walks 100
expect "simulate decides no liveness property (a walk is finite)" '[[ $rc -eq 0 && $out == *"not exhaustive"* ]]'
run list --json
expect "list --json gives the liveness kinds" \
  '[[ $out == *"\"kind\": \"leads_to\""* && $out == *"\"kind\": \"eventually_always\""* && $out == *"\"kind\": \"eventually\""* ]]'

finish liveness_test
