#!/usr/bin/env bash
# Nothing found is lost and nothing half-written is left: report files written whole or not at all, a closed or
# full standard output, checkpoint folders that are locked and never wiped by mistake, and hostile trace files
# refused with one line. Each check here failed on the program before these were fixed (issue 18).
set -u
FAULTLINE=${FAULTLINE:?set FAULTLINE to the faultline binary}
source "$(dirname "$0")/checks.sh"

refused() {  # refused WHAT-THE-MESSAGE-SAYS: the last run was one clear refusal
  [[ $rc -eq 2 && $(wc -l <"$tmp/err") -eq 1 && $err == "faultline: error: "*"$1"* && -z $out ]]
}

# --- Claims ---------------------------------------------------------------------------------------------------
# A minimisation cut short (here by the state limit, in the one-fault search) says so and claims nothing.
rpc=(check rpc-retry --param variant=volatile-dedup --param requests=4 --faults loss=3,dup=3,crash=2,restart=2,partition=1)
run "${rpc[@]}" --minimise --threads 2 --json "$tmp/min.json" --trace "$tmp/min-trace.json"
expect "an uninterrupted minimisation finds 2 fault events" '[[ $rc -eq 1 && $out == *"minimised counterexample, 5 steps with 2 fault events"* ]]'
run "${rpc[@]}" --minimise --threads 2 --max-states 900 --json "$tmp/cut.json" --trace "$tmp/cut-trace.json"
expect "a cut-short minimisation: the violation, NOT proven minimal" \
  '[[ $rc -eq 1 && $out == *"NOT proven minimal: the minimisation was stopped (state limit reached)"* ]]'
expect "its JSON says so, with a stop_reason" \
  'grep -q "\"proven_minimal\": false" "$tmp/cut.json" && grep -q "\"stop_reason\": \"minimisation: state limit reached\"" "$tmp/cut.json"'
expect "its trace file claims no minimisation" \
  '! grep -q minimised_from "$tmp/cut-trace.json" && grep -q "not proven minimal" "$tmp/cut-trace.json"'
# Runs cut inside a level decide only what whole levels decided: the same limit gives the same answer every time.
same=1
for states in 40 120 300 500 700 800; do
  run "${rpc[@]}" --threads 2 --max-states $states --json "$tmp/a.json"
  first_rc=$rc first=$(grep -v '"seconds"\|"states_per_second"\|memory\|"distinct_states"\|"generated_states"\|collision\|bytes_per' "$tmp/a.json")
  for _ in 1 2 3; do
    run "${rpc[@]}" --threads 2 --max-states $states --json "$tmp/b.json"
    [[ $rc -eq $first_rc && $(grep -v '"seconds"\|"states_per_second"\|memory\|"distinct_states"\|"generated_states"\|collision\|bytes_per' "$tmp/b.json") == "$first" ]] || same=0
  done
done
expect "the same --max-states gives the same exit code, verdicts and traces (4 runs each of 6 limits)" '[[ $same -eq 1 ]]'

# --- Report files ----------------------------------------------------------------------------------------------
echo keep >"$tmp/kept.json"
run check two-phase --param rms=2 --trace "$tmp/kept.json"
expect "a run without a trace leaves an existing --trace file as it was" \
  '[[ $rc -eq 0 && $(cat "$tmp/kept.json") == keep && $out == *"left as it was"* ]]'
run check two-phase --param rms=99 --json "$tmp/kept.json"
expect "a refused run leaves an existing --json file as it was" '[[ $rc -eq 2 && $(cat "$tmp/kept.json") == keep ]]'
"$FAULTLINE" check die-hard --json "$tmp/piped.json" --trace "$tmp/piped-trace.json" | head -1 >/dev/null
expect "a reader that stops after one line (SIGPIPE) still gets every file" \
  '[[ -s $tmp/piped.json && -s $tmp/piped-trace.json ]] && grep -q "\"result\": \"violation\"" "$tmp/piped.json"'
set -o pipefail
"$FAULTLINE" check die-hard | head -1 >/dev/null
expect "and the exit code still says what was found" '[[ $? -eq 1 ]]'
set +o pipefail
# A full disk: at most 1 KiB per file (SIGXFSZ ignored, so the write fails with EFBIG as on a full disk).
echo keep >"$tmp/full.json"
(ulimit -f 1; trap '' XFSZ; exec "$FAULTLINE" check die-hard --json "$tmp/full.json") >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "a report that cannot be written fails the run with one line (rc=$rc)" \
  '[[ $rc -eq 2 && $(wc -l <"$tmp/err") -eq 1 && $(cat "$tmp/err") == *"cannot write"*"full.json"* ]]'
expect "and the file it would have replaced is intact, no temporary left" \
  '[[ $(cat "$tmp/full.json") == keep && -z $(ls -A "$tmp" | grep "\.tmp-") ]]'
run list
if [[ -w /dev/full ]]; then
  "$FAULTLINE" list >/dev/full 2>"$tmp/err"
  rc=$?
  expect "list > /dev/full: exit 2 and one line" '[[ $rc -eq 2 && $(wc -l <"$tmp/err") -eq 1 ]]'
fi
"$FAULTLINE" check two-phase --param rms=99 2>&-
expect "a usage error with stderr closed still exits 2 (no abort)" '[[ $? -eq 2 ]]'
long_name=$(printf 'a%.0s' {1..300})
run check die-hard --json "$tmp/$long_name" --trace "$tmp/t-$long_name"
expect "a file name the folder cannot hold is refused before the run, not after its report" \
  'refused "File name too long" && [[ -z $(ls -A "$tmp" | grep "\.tmp-") ]]'
run check die-hard --json "$tmp/$(printf 'b%.0s' {1..250})"
expect "a name the folder can hold is written, though its temporary would not fit" \
  '[[ $rc -eq 1 && -s "$tmp/$(printf "b%.0s" {1..250})" && -z $(ls -A "$tmp" | grep "\.tmp-") ]]'
run check die-hard --json "$tmp/same.json" --trace "$tmp/same.json"
expect "two outputs naming one file are refused" 'refused "name the same file"'
run check die-hard --trace "$tmp/die.json"
run show "$tmp/die.json" --html "$tmp/die.json"
expect "show --html onto its own input is refused" 'refused "would overwrite the trace file"'
expect "and the input is intact" 'grep -q "faultline-trace" "$tmp/die.json"'
run check die-hard --json "$tmp/nowhere/x.json"
expect "a report in a missing folder is refused before the search" 'refused "no folder"'
run check rpc-retry --sweep --trace "$tmp/sweep-trace.json"
expect "--sweep --trace is refused" 'refused "--trace cannot be combined with --sweep"'
run check rpc-retry --sweep --minimise
expect "--sweep --minimise is refused" 'refused "--minimise cannot be combined with --sweep"'
run check rpc-retry --sweep --param requests=2..5 --faults loss=0 --json "$tmp/sweep.json"
expect "a swept range past the declared bounds is refused before any row" \
  'refused "parameter requests=5 is out of range 1..4" && [[ ! -e $tmp/sweep.json ]]'
run check rpc-retry --faults jump=1
expect "a fault kind the protocol cannot suffer is refused" 'refused "rpc-retry cannot suffer a jump fault"'
run check rpc-retry --faults loss=1
expect "--faults is the whole budget: kinds not named are 0" \
  '[[ $rc -eq 0 && $out == *"faults loss=1,dup=0,crash=0,restart=0,partition=0"* ]] && grep -qx "Safe under any 1 loss" "$tmp/out"'

# Progress a CI log can show: with stderr not a terminal, timestamped lines at the interval asked for. (The search
# reports about once a second: this one runs past that, stopped by its state limit.)
"$FAULTLINE" check two-phase --param rms=9 --threads 1 --max-states 4000000 --progress-interval 0.1 >/dev/null 2>"$tmp/progress"
expect "progress lines in a log are timestamped and whole" \
  'grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} progress: depth [0-9]+  distinct [0-9,]+ .* MiB$" "$tmp/progress" && ! grep -q $'"'"'\r'"'"' "$tmp/progress"'
"$FAULTLINE" check two-phase --param rms=8 --threads 1 --progress-interval 0 >/dev/null 2>"$tmp/progress"
expect "--progress-interval 0: none" '[[ ! -s $tmp/progress ]]'

# --- Checkpoint folders ----------------------------------------------------------------------------------------
mkdir -p "$tmp/mine"
echo precious >"$tmp/mine/manifest"
echo precious >"$tmp/mine/notes.txt"
run check two-phase --param rms=3 --checkpoint "$tmp/mine"
expect "a folder holding a user's files is refused" 'refused "holds files that are not a checkpoint'"'"'s"'
expect "and nothing in it is touched" '[[ $(cat "$tmp/mine/manifest") == precious && ! -e $tmp/mine/parents.bin ]]'
run check two-phase --param rms=5 --checkpoint "$tmp/ck"
expect "a fresh checkpoint" '[[ $rc -eq 0 && -s $tmp/ck/manifest ]]'
cp "$tmp/ck/parents.bin" "$tmp/parents.before"
run check two-phase --param rms=5 --checkpoint "$tmp/ck"
expect "--checkpoint onto an existing checkpoint is refused (use --resume)" 'refused "holds a checkpoint: continue it with --resume"'
expect "and the checkpoint is intact" 'cmp -s "$tmp/ck/parents.bin" "$tmp/parents.before"'
run check two-phase --param rms=5 --checkpoint "$tmp/ck" --overwrite-checkpoint
expect "--overwrite-checkpoint starts over" '[[ $rc -eq 0 && $out != *"Resumed"* ]]'
# Two processes on one folder: the second is refused while the first runs, and the first's checkpoint survives.
"$FAULTLINE" check two-phase --param rms=8 --threads 1 --checkpoint "$tmp/busy" --checkpoint-interval 0 >/dev/null 2>&1 &
first=$!
for _ in $(seq 100); do [[ -s $tmp/busy/lock ]] && break; sleep 0.05; done
run check two-phase --param rms=8 --resume "$tmp/busy"
expect "a second process on a folder in use is refused" "refused \"is in use by pid $first\""
run check two-phase --param rms=8 --checkpoint "$tmp/busy" --overwrite-checkpoint
expect "even with --overwrite-checkpoint" "refused \"is in use by pid $first\""
wait "$first"
expect "the first run finished" '[[ $? -eq 0 ]]'
run check two-phase --param rms=8 --resume "$tmp/busy"
expect "and its checkpoint is intact" '[[ $rc -eq 0 && $out == *"1745408 distinct states"* ]]'
# A read-only mount (where this machine lets the test make one): refused with one line, not an internal error.
mkdir -p "$tmp/ro"
if mount -t tmpfs -o ro,size=1m tmpfs "$tmp/ro" 2>/dev/null; then
  run check two-phase --param rms=3 --checkpoint "$tmp/ro/ck"
  expect "--checkpoint on a read-only mount: exit 2, one line" 'refused "--checkpoint"'
  umount "$tmp/ro"
else
  echo "skipped: cannot mount a read-only tmpfs here (the read-only checkpoint folder test)"
fi
# A FIFO as the manifest would block open() for ever.
mkdir -p "$tmp/fifo"
cp "$tmp/ck/parents.bin" "$tmp/fifo/"
mkfifo "$tmp/fifo/manifest"
timeout 10 "$FAULTLINE" check two-phase --param rms=5 --resume "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
out=$(cat "$tmp/out")
err=$(cat "$tmp/err")
expect "a FIFO manifest is refused, not waited on (rc=$rc)" 'refused "no regular file '"'"'manifest'"'"'"'

# A full disk under the search (1 MiB per file, SIGXFSZ ignored: writes fail with EFBIG, as on a full disk).
want=$("$FAULTLINE" check two-phase --param rms=7 | grep -o '^[0-9]* distinct states, [0-9]* generated, depth [0-9]*')
mkdir -p "$tmp/tmpdir"
(ulimit -f 1024; trap '' XFSZ; TMPDIR=$tmp/tmpdir exec "$FAULTLINE" check two-phase --param rms=7 --threads 2) \
  >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "a full temporary directory: the parent log moves to memory, same counts (rc=$rc)" \
  '[[ $rc -eq 0 ]] && grep -q "$want" "$tmp/out"'
TMPDIR=$tmp/no-such-folder "$FAULTLINE" check two-phase --param rms=5 >"$tmp/out" 2>&1
expect "an unusable TMPDIR: the search runs in memory" '[[ $? -eq 0 ]] && grep -q "Result: ok" "$tmp/out"'
(ulimit -f 1024; trap '' XFSZ; exec "$FAULTLINE" check two-phase --param rms=7 --threads 2 --checkpoint "$tmp/ckfull" \
  --checkpoint-interval 0 --json "$tmp/ckfull.json") >"$tmp/out" 2>"$tmp/err"
rc=$?
out=$(cat "$tmp/out")
expect "a full checkpoint disk: exit 3 with the report (rc=$rc)" \
  '[[ $rc -eq 3 && $out == *"incomplete (the checkpoint could not be written"* ]] && grep -q "\"result\": \"incomplete\"" "$tmp/ckfull.json"'
expect "and no temporary file is left in the folder" '[[ -z $(ls "$tmp/ckfull" | grep "\.tmp") ]]'
run check two-phase --param rms=7 --resume "$tmp/ckfull"
expect "its last checkpoint resumes to the full counts" '[[ $rc -eq 0 && $out == *"$want"* && $out == *"Resumed from"* ]]'

# --- Hostile trace files ---------------------------------------------------------------------------------------
deep() { printf '[%.0s' $(seq "$1"); printf ']%.0s' $(seq "$1"); }
sed "0,/\"state\": /s//\"state\": $(deep 30000), \"was\": /" "$tmp/die.json" >"$tmp/deep.json"
for cmd in "show" "replay" "show --html $tmp/deep.html"; do
  # shellcheck disable=SC2086
  run $cmd "$tmp/deep.json"
  expect "$cmd of 30,000 nested arrays in a step: one line, exit 2" 'refused "nested deeper than 100 levels"'
done
{ printf '{"unused": '; deep 70000; printf ', '; tail -c +2 "$tmp/die.json"; } >"$tmp/deep-unused.json"
run show "$tmp/deep-unused.json" --html "$tmp/deep.html"
expect "70,000 nested arrays in an unused field: refused" 'refused "nested deeper"'
sed 's/"kind": "always"/"kind": 5/' "$tmp/die.json" >"$tmp/kind.json"
run show "$tmp/kind.json"
expect "a retyped kind is refused, not an internal error" 'refused "\"kind\" must be text"'
sed 's/"outcome": "violated"/"outcome": [1]/' "$tmp/die.json" >"$tmp/outcome.json"
run show "$tmp/outcome.json" --html "$tmp/o.html"
expect "a retyped outcome is refused" 'refused "\"outcome\" must be text"'
run show "$tmp"
expect "show of a folder is refused" 'refused "not a regular file"'
run replay "$tmp"
expect "replay of a folder is refused" 'refused "not a regular file"'
finish "hardening"
