#!/usr/bin/env bash
# Thread and rank scaling of the explorer, for a many-core machine (figures for benches/README.md, not a test):
#   1. explore_bench on TwoPhase rms=9 (10.3 M states) with 1, 2, 4, 8, 16 threads: speed-up per thread count;
#   2. the program on two-phase rms=9, 1 rank x 16 threads against 4 ranks x 4 threads (Open MPI);
#   3. the actor models paxos and abd-register with 1 and 16 threads.
# Usage: benches/scaling.sh [BIN_DIR=build]   (BIN_DIR holds faultline and explore_bench; mpirun on the PATH)
set -uo pipefail
bin=${1:-build}
cores=$(nproc)
threads="1 2 4 8 16"
echo "== machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"

[[ -x $bin/explore_bench ]] || cmake --build "$bin" --target explore_bench >/dev/null  # not built by default
echo "== explore_bench two-phase rms=9"
timeout 300 "$bin/explore_bench" 9 "$(echo $threads | tr ' ' ',')"

summary() {  # summary REPORT.json: distinct generated seconds states/s peak-MiB [imbalance]
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['distinct_states'], r['generated_states'], \
r['seconds'], int(r['states_per_second']), r['peak_memory_bytes'] >> 20, 'MiB', r.get('load_imbalance', ''))" "$1"
}

echo "== two-phase rms=9: ranks x threads (distinct generated seconds states/s peak-MiB-per-rank imbalance)"
for layout in "1 16" "2 8" "4 4"; do
  set -- $layout
  if [[ $1 == 1 ]]; then
    timeout 300 "$bin/faultline" check two-phase --param rms=9 --threads "$2" --json /tmp/scaling.json >/dev/null
  else
    timeout 300 mpirun -q --allow-run-as-root --oversubscribe -np "$1" --bind-to none \
      "$bin/faultline" check two-phase --param rms=9 --threads "$2" --json /tmp/scaling.json >/dev/null
  fi
  echo "$1 x $2: $(summary /tmp/scaling.json)"
done

# Safety alone for paxos (--property): its liveness property would record the state graph.
for model in "paxos --property agreement --property validity" abd-register; do
  echo "== $model (distinct generated seconds states/s peak-MiB)"
  for t in 1 16; do
    # shellcheck disable=SC2086  # the model's words are meant to split
    timeout 300 "$bin/faultline" check $model --threads "$t" --json /tmp/scaling.json >/dev/null
    echo "$t threads: $(summary /tmp/scaling.json)"
  done
done
