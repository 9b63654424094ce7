#!/usr/bin/env bash
# Faultline next to SPIN on Lamport's TwoPhase, same state space, one table: distinct states, transitions, seconds,
# states/s, peak RSS, and how many times faster Faultline is (1 and 2 threads, and exact storage against SPIN's
# exact storage); then the actor models on one thread, each with the abstract TwoPhase (8 RMs) rate divided by its
# own (the target: at most 2). Runs are interleaved (each round runs every explorer once, in turn), each figure is
# the median of REPEAT rounds, and every run is printed as a raw line with the machine's load when it started, so
# a quiet figure can be told from a noisy one. Figures for benches/README.md, not a pass/fail test.
# Usage: benches/compare.sh [RMS...]        (default: 6 7 8; add 9 for the 10.3 M-state run)
# Env:   THREADS="1 2"                      Faultline thread counts to run (SPIN's verifier is single-threaded)
#        REPEAT=5                           rounds; the median of each measurement is shown
#        ACTORS=1                           0 skips the actor models (abd-register alone takes ≈ 15 s a run)
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
repeat=${REPEAT:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

load() { cut -d' ' -f1 /proc/loadavg; }

# Of lines "distinct transitions seconds rss" on stdin, the median by seconds (the upper one of an even count).
median() { sort -g -k3,3 | awk '{ line[NR] = $0 } END { print line[int(NR / 2) + 1] }'; }

# One run; prints "distinct transitions seconds peak_kib" and a raw line on stderr.
# Usage: check_once LABEL THREADS PROTOCOL [ARGS...]
check_once() {
  local label=$1 t=$2 at
  shift 2
  at=$(load)
  /usr/bin/time -f "%M %e" -o "$work/rss" build/faultline check "$@" --threads "$t" --json "$work/report.json" \
    >/dev/null 2>&1
  python3 - "$work/report.json" "$(cat "$work/rss")" "$label" "$at" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rss, wall = sys.argv[2].split()
# generated counts the initial state, as SPIN does
print(r["distinct_states"], r["generated_states"], r["seconds"], rss)
print(f"run {sys.argv[3]}: load {sys.argv[4]}, {r['seconds']:.2f} s reported, {wall} s process, {int(rss) >> 10} MiB",
      file=sys.stderr)
PY
}

# The Promela model is completed with RMS-specific macros, compiled once per size (compile time not counted).
build_spin() {
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
}

spin_once() {
  local rms=$1 at
  # Hash table of about 2 slots per state (-w: log2 of its size), so neither long chains nor a huge empty table.
  local w=$((rms <= 6 ? 17 : rms == 7 ? 20 : rms == 8 ? 22 : 25))
  at=$(load)
  (cd "$work" && /usr/bin/time -f "%M" -o rss "./pan$rms" -m1000 "-w$w" >spin.out)
  local stored transitions seconds
  stored=$(awk '/states, stored/ {print $1}' "$work/spin.out")
  transitions=$(awk '/transitions \(= stored\+matched\)/ {print $1}' "$work/spin.out")
  seconds=$(awk '/pan: elapsed time/ {print $4}' "$work/spin.out")
  echo "$stored $transitions $seconds $(cat "$work/rss")"
  echo "run SPIN rms=$rms: load $at, $seconds s, $(($(cat "$work/rss") >> 10)) MiB" >&2
}

row() {  # row RMS NAME "distinct transitions seconds rss" SPIN_SECONDS
  read -r d tr s m <<<"$3"
  awk -v r="$1" -v n="$2" -v d="$d" -v tr="$tr" -v s="$s" -v m="$m" -v ss="$4" \
    'BEGIN { printf "%-5s %-24s %10d %12d %8.2f %12.0f %9.1f %8.2fx\n", r, n, d, tr, s, d / s, m / 1024, ss / s }'
}

printf '%-5s %-24s %10s %12s %8s %12s %9s %9s\n' RMS explorer distinct transitions seconds states/s "RSS MiB" "vs SPIN"
for rms in "${sizes[@]}"; do
  build_spin "$rms"
  configs=(spin)
  for t in $threads; do configs+=("t$t"); done
  configs+=(exact)
  for c in "${configs[@]}"; do : >"$work/$c.runs"; done
  for ((i = 0; i < repeat; i++)); do
    for c in "${configs[@]}"; do
      case $c in
        spin) spin_once "$rms" ;;
        exact) check_once "rms=$rms exact" 1 two-phase --param "rms=$rms" --exact ;;
        t*) check_once "rms=$rms ${c#t} thread(s)" "${c#t}" two-phase --param "rms=$rms" ;;
      esac >>"$work/$c.runs" 2>>"$work/raw"
    done
  done
  read -r s_distinct s_trans s_secs s_rss < <(median <"$work/spin.runs")
  for c in "${configs[@]:1}"; do
    m=$(median <"$work/$c.runs")
    read -r distinct trans _ _ <<<"$m"
    # SPIN prints large counts rounded (1.235584e+08): transitions are compared to its precision.
    awk -v d="$distinct" -v sd="$s_distinct" -v t="$trans" -v st="$s_trans" \
      'BEGIN { exit !(d == sd && (t - st) * (t - st) <= (st * 1e-6) * (st * 1e-6)) }' ||
      echo "warning: counts differ from SPIN's ($distinct, $trans vs $s_distinct, $s_trans)" >&2
    case $c in
      exact) row "$rms" "faultline --exact, 1 thr" "$m" "$s_secs" ;;
      *) row "$rms" "faultline, ${c#t} thread(s)" "$m" "$s_secs" ;;
    esac
    [[ $rms == 8 && $c == t1 ]] && read -r _ _ tp_secs _ <<<"$m"
  done
  row "$rms" "SPIN 6.5 (exact)" "$s_distinct $s_trans $s_secs $s_rss" "$s_secs"
done

if [[ ${ACTORS:-1} != 0 ]]; then
  echo
  printf '%-44s %10s %12s %8s %12s %9s %14s\n' "actor model (1 thread, default faults)" distinct transitions seconds \
    states/s "RSS MiB" "two-phase/this"
  [[ -n ${tp_secs:-} ]] || read -r _ _ tp_secs _ < <(check_once "rms=8 1 thread(s)" 1 two-phase --param rms=8 2>>"$work/raw")
  tp_rate=$(awk -v s="$tp_secs" 'BEGIN { print 1745408 / s }')
  printf '%-44s %10d %12s %8.2f %12.0f %9s %14s\n' "two-phase rms=8 (the reference rate)" 1745408 - "$tp_secs" "$tp_rate" - 1.0
  # Safety alone (--property): the liveness properties record the state graph, which benches/liveness.sh measures.
  models=("paxos --property agreement --property validity" "two-phase-commit --param rms=2 --property atomic-commit"
          "two-phase-commit --param rms=3 --property atomic-commit" "abd-register")
  for k in "${!models[@]}"; do : >"$work/actor$k.runs"; done
  for ((i = 0; i < repeat; i++)); do
    for k in "${!models[@]}"; do
      # shellcheck disable=SC2086  # the model's words are meant to split
      check_once "${models[k]}" 1 ${models[k]} >>"$work/actor$k.runs" 2>>"$work/raw"
    done
  done
  for k in "${!models[@]}"; do
    read -r distinct trans secs rss < <(median <"$work/actor$k.runs")
    awk -v n="${models[k]}" -v d="$distinct" -v tr="$trans" -v s="$secs" -v m="$rss" -v ref="$tp_rate" \
      'BEGIN { printf "%-44s %10d %12d %8.2f %12.0f %9.1f %14.1f\n", n, d, tr, s, d / s, m / 1024, ref / (d / s) }'
  done
fi

echo
echo "runs, in the order they ran:"
cat "$work/raw"
