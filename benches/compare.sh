#!/usr/bin/env bash
# Faultline next to SPIN on Lamport's TwoPhase, same state space, one table: distinct states, transitions, seconds,
# states/s, peak RSS, and how many times faster Faultline is; then the actor models on one thread, each with the
# abstract TwoPhase (8 RMs) rate divided by its own (the target: at most 3). Figures for benches/README.md, not a
# pass/fail test.
# Usage: benches/compare.sh [RMS...]        (default: 6 7 8; add 9 for the 10.3 M-state run)
# Env:   THREADS="1 2"                      Faultline thread counts to run (SPIN's verifier is single-threaded)
#        REPEAT=3                           runs of each measurement; the fastest is shown (shared machines are noisy)
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for p in spin time gcc; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[[ -x build/faultline ]] || bash scripts/build.sh --no-check >/dev/null

sizes=("$@")
((${#sizes[@]})) || sizes=(6 7 8)
threads=${THREADS:-"1 2"}
repeat=${REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Of lines "distinct transitions seconds rss" on stdin, the one with the fewest seconds.
fastest() { sort -g -k3,3 | head -n1; }

# Prints: distinct transitions seconds peak_kib (the fastest of REPEAT runs).  Usage: run_check THREADS PROTOCOL [ARGS...]
run_check() {
  local t=$1
  shift
  for ((i = 0; i < repeat; i++)); do
    /usr/bin/time -f "%M" -o "$work/rss" build/faultline check "$@" --threads "$t" --json "$work/report.json" >/dev/null
    python3 - "$work/report.json" "$(cat "$work/rss")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(r["distinct_states"], r["generated_states"], r["seconds"], sys.argv[2])  # generated counts the initial state, as SPIN does
PY
  done | fastest
}

# The Promela model is completed with RMS-specific macros, compiled once per size (compile time not counted).
run_spin() {
  local rms=$1 model="$work/tp$1.pml"
  {
    echo "#define RMS $rms"
    printf '#define ALL_PREPARED ('
    for ((r = 0; r < rms; r++)); do printf '%stm_prepared[%d]' "$( ((r)) && echo ' && ')" "$r"; done
    echo ')'
    printf '#define RM_ACTIONS'
    for ((r = 0; r < rms; r++)); do printf ' RM_ACTIONS_FOR(%d)' "$r"; done
    echo
    cat benches/spin/two_phase.pml
  } >"$model"
  (cd "$work" && spin -a "$model" >/dev/null && gcc -O2 -DSAFETY -DNOREDUCE -DMEMLIM=16384 -o "pan$rms" pan.c)
  # Hash table of about 2 slots per state (-w: log2 of its size), so neither long chains nor a huge empty table.
  local w=$((rms <= 6 ? 17 : rms == 7 ? 20 : rms == 8 ? 22 : 25))
  local stored transitions seconds
  for ((i = 0; i < repeat; i++)); do
    (cd "$work" && /usr/bin/time -f "%M" -o rss "./pan$rms" -m1000 "-w$w" >spin.out)
    stored=$(awk '/states, stored/ {print $1}' "$work/spin.out")
    transitions=$(awk '/transitions \(= stored\+matched\)/ {print $1}' "$work/spin.out")
    seconds=$(awk '/pan: elapsed time/ {print $4}' "$work/spin.out")
    echo "$stored $transitions $seconds $(cat "$work/rss")"
  done | fastest
}

printf '%-5s %-22s %10s %12s %8s %12s %9s %9s\n' RMS explorer distinct transitions seconds states/s "RSS MiB" "vs SPIN"
for rms in "${sizes[@]}"; do
  read -r s_distinct s_trans s_secs s_rss < <(run_spin "$rms")
  for t in $threads; do
    read -r distinct trans secs rss < <(run_check "$t" two-phase --param "rms=$rms")
    [[ $rms == 8 && $t == 1 ]] && tp_secs=$secs
    [[ $distinct == "$s_distinct" ]] || echo "warning: distinct states differ from SPIN ($distinct vs $s_distinct)" >&2
    awk -v r="$rms" -v n="faultline, $t thread(s)" -v d="$distinct" -v tr="$trans" -v s="$secs" -v m="$rss" \
      -v ss="$s_secs" 'BEGIN { printf "%-5s %-22s %10d %12d %8.2f %12.0f %9.1f %8.1fx\n", r, n, d, tr, s, d / s, m / 1024, ss / s }'
  done
  awk -v r="$rms" -v d="$s_distinct" -v tr="$s_trans" -v s="$s_secs" -v m="$s_rss" \
    'BEGIN { printf "%-5s %-22s %10d %12d %8.2f %12.0f %9.1f %9s\n", r, "SPIN 6.5 (exact)", d, tr, s, (s > 0 ? d / s : 0), m / 1024, "1.0x" }'
done

echo
printf '%-44s %10s %12s %8s %12s %9s %14s\n' "actor model (1 thread, default faults)" distinct transitions seconds \
  states/s "RSS MiB" "two-phase/this"
[[ -n ${tp_secs:-} ]] || read -r _ _ tp_secs _ < <(run_check 1 two-phase --param rms=8)
tp_rate=$(awk -v s="$tp_secs" 'BEGIN { print 1745408 / s }')
printf '%-44s %10d %12s %8.2f %12.0f %9s %14s\n' "two-phase rms=8 (the reference rate)" 1745408 - "$tp_secs" "$tp_rate" - 1.0
# Safety alone (--property): the liveness properties record the state graph, which benches/liveness.sh measures.
for model in "paxos --property agreement --property validity" "two-phase-commit --param rms=2 --property atomic-commit" \
             "two-phase-commit --param rms=3 --property atomic-commit"; do
  # shellcheck disable=SC2086  # the model's words are meant to split
  read -r distinct trans secs rss < <(run_check 1 $model)
  awk -v n="$model" -v d="$distinct" -v tr="$trans" -v s="$secs" -v m="$rss" -v ref="$tp_rate" \
    'BEGIN { printf "%-44s %10d %12d %8.2f %12.0f %9.1f %14.1f\n", n, d, tr, s, d / s, m / 1024, ref / (d / s) }'
done
