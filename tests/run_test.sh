#!/usr/bin/env bash
# `run` and `validate` through the program: the shipped actors run as a UDP cluster on loopback under seeded
# faults, every log they write validates against the model, a broken design's run breaks its property and the
# trace replays, hand-edited logs are caught at the first event the model cannot take, bad logs are refused with
# one line, and an implementation that is not Faultline actors (examples/external-rpc) is validated from per-node
# logs, its wrong handler named.
set -u
FAULTLINE=${FAULTLINE:?set FAULTLINE to the faultline binary}
EXTERNAL_RPC=${EXTERNAL_RPC:?set EXTERNAL_RPC to the external_rpc example}
source "$(dirname "$0")/checks.sh"

refused() {  # one clear refusal: exit 2, one line
  [[ $rc -eq 2 && $(wc -l <"$tmp/err") -eq 1 && $err == "faultline: error: "*"$1"* ]]
}

# --- the issue's own command: a run with losses and duplicates, validated ---------------------------------------
start=$(date +%s)
run run rpc-retry --duration 5 --faults loss=2,dup=2 --log "$tmp/run.jsonl"
elapsed=$(($(date +%s) - start))
expect "run rpc-retry ends by itself (exit 0, $elapsed s for --duration 5)" \
  '[[ $rc -eq 0 && $out == *"Every event was a step of the model"* && $elapsed -le 8 ]]'
expect "it says where it runs and prints the fault schedule and rate" \
  '[[ $out == *"on 127.0.0.1"* && $out == *"Fault schedule: "* && $out == *"events ("*"/s)"* ]]'
expect "the log starts with its header (protocol, faults, seed, ports)" \
  'head -1 "$tmp/run.jsonl" | grep -q "\"format\":\"faultline-events\"" &&
   head -1 "$tmp/run.jsonl" | grep -q "\"faults\":\"loss=2,dup=2,crash=0,restart=0,partition=0\"" &&
   head -1 "$tmp/run.jsonl" | grep -q "\"ports\":\[[0-9]*,[0-9]*\]"'
expect "every event has a global and a per-node order" \
  '[[ $(tail -n +2 "$tmp/run.jsonl" | grep -c "\"node_seq\"") -eq $(tail -n +2 "$tmp/run.jsonl" | grep -c "\"seq\"") ]]'
run validate rpc-retry "$tmp/run.jsonl"
expect "validate: the run's log is a behaviour of the model (exit 0), under the faults its header records" \
  '[[ $rc -eq 0 && $out == *"is a behaviour of rpc-retry"*"faults loss=2,dup=2"* ]]'

# The same seed draws the same fault schedule.
run run rpc-retry --duration 1 --faults loss=2,dup=2,crash=1,restart=1 --seed 7
first=$(grep "Fault schedule" <<<"$out")
run run rpc-retry --duration 1 --faults loss=2,dup=2,crash=1,restart=1 --seed 7
expect "the same seed gives the same fault schedule" '[[ $rc -eq 0 && -n $first && $(grep "Fault schedule" <<<"$out") == "$first" ]]'
run run rpc-retry --duration 1 --faults loss=2,dup=2,crash=1,restart=1 --seed 8
expect "another seed another one" '[[ $rc -eq 0 && $(grep "Fault schedule" <<<"$out") != "$first" ]]'

# Crashes and restarts (durable records read back from files), partitions, logs on disk: each run validates.
for spec in "rpc-retry --param requests=3 --faults loss=1,dup=1,crash=1,restart=1 --seed 3" \
            "two-phase-commit --faults loss=1,dup=1,crash=1,restart=1 --seed 2" \
            "two-phase-commit --param variant=prepare-not-fsynced --faults crash=1,restart=1 --seed 5" \
            "abd-register --faults loss=2,dup=1,crash=1,restart=1,partition=1 --seed 4"; do
  read -r -a words <<<"$spec"
  run run "${words[@]}" --duration 2 --tick-ms 5 --log "$tmp/one.jsonl"
  ran=$rc
  summary=$(grep "^Ran" <<<"$out")
  run validate "${words[0]}" "$tmp/one.jsonl"
  expect "run $spec ($summary) validates" '[[ $ran -eq 0 && $rc -eq 0 && $out == *"is a behaviour of"* ]]'
done

# --- a broken design: the run breaks at-most-once, and its trace replays in the model --------------------------
# Seed 6 duplicates the client's first request (n0's send 1): a server without dedup applies it twice.
run run rpc-retry --param variant=no-dedup --faults loss=0,dup=1 --seed 6 --duration 3 --log "$tmp/bad.jsonl"
expect "run of no-dedup under a seeded duplicate: at-most-once violated (exit 1)" \
  '[[ $rc -eq 1 && $out == *"Property at-most-once violated in the run"* && -s $tmp/bad.jsonl.trace.json ]]'
run replay "$tmp/bad.jsonl.trace.json"
expect "the run's trace replays in the model (exit 1, reproduced)" \
  '[[ $rc -eq 1 && $out == *"Reproduced: at-most-once is still violated"* ]]'
run validate rpc-retry "$tmp/bad.jsonl"
expect "its log is a behaviour of no-dedup, and validate notes the broken property" \
  '[[ $rc -eq 0 && $out == *"Note: the behaviour breaks at-most-once"* ]]'
run run rpc-retry --param variant=no-dedup --faults loss=1,dup=0 --seed 10 --duration 3
expect "seed 10 loses the first reply instead: the retry is applied twice (exit 1)" \
  '[[ $rc -eq 1 && $out == *"Property at-most-once violated in the run"* ]]'

# --- logs edited by hand: the first event the model cannot take is named ---------------------------------------
body() { tail -n +2 "$tmp/run.jsonl"; }
# An invented delivery right after the initial events: a reply to a request never made.
{ head -1 "$tmp/run.jsonl"
  body | head -3
  echo '{"kind":"deliver","src":1,"dst":0,"message":"Reply(key=3)","node":0,"node_seq":99,"seq":3}'
  body | tail -n +4 | awk '{ sub(/"seq":[0-9]+/, "\"seq\":" NR + 3); print }'; } >"$tmp/invented.jsonl"
run validate rpc-retry "$tmp/invented.jsonl"
expect "an invented event is named (exit 1): line 5, not a step" \
  '[[ $rc -eq 1 && $out == *"NOT a behaviour"* && $out == *"line 5: deliver Reply(key=3) n1→n0"* && $out == *"not a step the model can take"* && $out == *"steps the model could take"* ]]'
# A reordered pair: the client's first reply delivered before the server took the request.
reply=$(grep -n -m1 '"kind":"deliver","message":"Reply' "$tmp/run.jsonl" | cut -d: -f1)
request=$(grep -n -m1 '"kind":"deliver","message":"Request' "$tmp/run.jsonl" | cut -d: -f1)
awk -v r="$reply" -v q="$request" 'NR == r { next } NR == q { print held } { print } BEGIN { while ((getline l < ARGV[1]) > 0) if (++n == r) held = l; close(ARGV[1]) }' \
  "$tmp/run.jsonl" | awk 'NR == 1 { print; next } { sub(/"seq":[0-9]+/, "\"seq\":" NR - 2); print }' >"$tmp/reordered.jsonl"
run validate rpc-retry "$tmp/reordered.jsonl"
expect "a reordered event is named (exit 1): line $request, the reply before its request was served" \
  '[[ $rc -eq 1 && $out == *"line $request: deliver Reply(key=0) n1→n0"* && $out == *"not a step the model can take"* ]]'
# A dropped send: the model's request is never logged as sent.
{ head -1 "$tmp/run.jsonl"; body | awk 'NR != 2'; } >"$tmp/dropped.jsonl"
run validate rpc-retry "$tmp/dropped.jsonl"
expect "a dropped event is named (exit 1): the model sends the request, the log does not" \
  '[[ $rc -eq 1 && $out == *"the model sends Request(key=0, amount=10) n0→n1"*"but the log has no such send"* ]]'
# A state that differs from the model's.
{ head -1 "$tmp/run.jsonl"; body | sed '0,/"balance":10/s//"balance":11/'; } >"$tmp/state.jsonl"
run validate rpc-retry "$tmp/state.jsonl"
expect "a logged state that differs is named with the field" \
  '[[ $rc -eq 1 && $out == *"n1'"'"'s state differs: balance: saved 11, now 10"* ]]'

# --- bad logs and bad usage: one line, exit 2 ---------------------------------------------------------------
printf '{"kind":"start","node":0}\nnot json\n' >"$tmp/nojson.jsonl"
run validate rpc-retry "$tmp/nojson.jsonl"
expect "not JSON: exit 2, one line naming the line" 'refused "nojson.jsonl:2: not a JSON value"'
printf '{"kind":"start","node":7}\n' >"$tmp/node.jsonl"
run validate rpc-retry "$tmp/node.jsonl"
expect "an unknown node: exit 2" 'refused "unknown node n7 (the model has 2 nodes)"'
printf '{"kind":"send","node":0,"src":0,"dst":1,"message":"Ping(x=1)"}\n' >"$tmp/type.jsonl"
run validate rpc-retry "$tmp/type.jsonl"
expect "an unknown message type: exit 2" 'refused "unknown message type '"'"'Ping'"'"' (the model'"'"'s: Request, Reply)"'
printf '{"kind":"teleport","node":0}\n' >"$tmp/kind.jsonl"
run validate rpc-retry "$tmp/kind.jsonl"
expect "an unknown event kind: exit 2" 'refused "unknown event kind '"'"'teleport'"'"'"'
: >"$tmp/empty.jsonl"
run validate rpc-retry "$tmp/empty.jsonl"
expect "an empty log: exit 2" 'refused "the log has no events"'
run validate rpc-retry "$tmp/missing.jsonl"
expect "a missing log: exit 2" 'refused "cannot read the event log"'
run validate two-phase-commit "$tmp/run.jsonl"
expect "a log of another protocol: exit 2" 'refused "is a log of \"rpc-retry\", not of two-phase-commit"'
run run die-hard --duration 1
expect "a plain model does not run: exit 2" 'refused "only actor systems run as a cluster"'
run run lease --duration 1
expect "a system with clocks does not run yet: exit 2" 'refused "has clocks"'
run run rpc-retry --duration 0
expect "a zero duration: exit 2" 'refused "--duration"'
run run rpc-retry --duration 1 --log "$tmp/no/such/dir/x.jsonl"
expect "an unwritable log: exit 2 before running" 'refused "--log" && [[ $out != *"Running"* ]]'

# --- loopback only, and every run stops within its duration -------------------------------------------------
"$FAULTLINE" run abd-register --duration 2 --tick-ms 5 >"$tmp/bg.out" 2>&1 &
pid=$!
sleep 1
inodes=$(ls -l /proc/$pid/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\].*/\1/p' | sort -u)
sockets=0 loopback=0
for inode in $inodes; do
  line=$(awk -v i="$inode" '$10 == i' /proc/net/udp /proc/net/udp6)
  [[ -z $line ]] && continue
  sockets=$((sockets + 1))
  [[ $(awk '{print $2}' <<<"$line") == 0100007F:* ]] && loopback=$((loopback + 1))
done
wait $pid
rc=$?
expect "every UDP socket of a run is bound to 127.0.0.1 ($loopback of $sockets)" '[[ $sockets -ge 3 && $loopback -eq $sockets && $rc -eq 0 ]]'

# --- an implementation that is not Faultline actors, validated from per-node logs ------------------------------
"$EXTERNAL_RPC" "$tmp/ext.jsonl"
run validate rpc-retry "$tmp/ext.jsonl" --faults loss=1,dup=0
expect "the external implementation's per-node logs are a behaviour of rpc-retry (interleavings searched)" \
  '[[ $rc -eq 0 && $out == *"is a behaviour of rpc-retry"* && $out == *"per-node orders"* ]]'
"$EXTERNAL_RPC" --wrong "$tmp/ext-wrong.jsonl"
run validate rpc-retry "$tmp/ext-wrong.jsonl" --faults loss=1,dup=0
expect "its wrong handler is caught (exit 1): the retried request applied twice, the event named" \
  '[[ $rc -eq 1 && $out == *"NOT a behaviour"* && $out == *"deliver Request(key=0, amount=10) n0→n1: the model takes it, but n1'"'"'s state differs: balance: saved 20, now 10"* ]]'

finish run_tests
