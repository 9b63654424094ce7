#!/usr/bin/env bash
# What liveness costs: each model checked for its invariants alone (--property) and with its liveness properties,
# the two runs interleaved, REPEAT times (median shown), on THREADS threads; then the liveness phase (after the
# search), the bytes of states and steps recorded on disk per state and per step, and the ratio of the two runs
# (search with recording + liveness phase, over the safety-only search; the target: at most 3). Figures for
# benches/README.md, not a pass/fail test.
# Usage: benches/liveness.sh        Env: REPEAT=5  THREADS=2
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x build/faultline ]] || bash scripts/build.sh --no-check >/dev/null
repeat=${REPEAT:-5}
threads=${THREADS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# protocol and parameters | its invariants (the safety-only run)
models=(
  "two-phase-commit --param rms=3|atomic-commit"
  "two-phase-commit --param rms=3 --faults dup=1,crash=1,restart=1|atomic-commit"
  "rpc-retry --param requests=4 --faults loss=3,dup=3,crash=2,restart=2,partition=1|at-most-once"
)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $threads threads; median of $repeat"
# full_s: the search recording the graph; phase_s: deciding liveness after it; ratio: (full_s + phase_s) / safety_s
printf '%-72s %10s %11s %8s %8s %8s %9s %9s %6s\n' model distinct generated safety_s full_s phase_s "B/state" "B/step" ratio
for entry in "${models[@]}"; do
  model=${entry%%|*} safety=${entry#*|}
  : >"$work/rows"
  for ((i = 0; i < repeat; i++)); do
    # shellcheck disable=SC2086  # the model's words are meant to split
    build/faultline check $model --property "$safety" --threads "$threads" --json "$work/safe.json" >/dev/null || true
    # shellcheck disable=SC2086
    build/faultline check $model --threads "$threads" --json "$work/full.json" >/dev/null || true
    python3 - "$work/safe.json" "$work/full.json" >>"$work/rows" <<'PY'
import json, sys
safe, full = (json.load(open(p)) for p in sys.argv[1:3])
live = full["liveness"]
print(full["distinct_states"], full["generated_states"], safe["seconds"], full["seconds"], live["seconds"],
      live["state_bytes"], live["step_bytes"])
PY
  done
  python3 - "$model" "$work/rows" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[2])]
med = lambda k: statistics.median(r[k] for r in rows)
d, gen, safe, full, phase = rows[0][0], rows[0][1], med(2), med(3), med(4)
# per state its record; per step (every successor generated is recorded) its record and fairness classes
print(f"{sys.argv[1]:<72} {d:10.0f} {gen:11.0f} {safe:8.2f} {full:8.2f} {phase:8.2f} {rows[0][5] / d:9.1f} "
      f"{rows[0][6] / gen:9.1f} {(full + phase) / safe:6.2f}")
PY
done
