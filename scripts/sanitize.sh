#!/usr/bin/env bash
# The sanitizer jobs of CI (called by scripts/test.sh after the normal suite; each can also be run alone):
#   scripts/sanitize.sh thread    ThreadSanitizer: the lock-free visited set and level table under std::threads
#   scripts/sanitize.sh address   AddressSanitizer + UndefinedBehaviorSanitizer: the core tests (reflection,
#                                 explorer on hand-built graphs, tables), the program's own tests, the command-line
#                                 tests (every protocol, traces, limits, signals), the bad-input (fuzz) test and
#                                 the explorer's API test (its server's threads, refusals and fuzzed requests)
# Built at -O0 (the template-heavy sources build 4x faster than at -O1); the model-heavy unit tests run in the
# normal suite only, their models being exercised here through the program.
# Any finding fails the job (halt_on_error; UBSan does not recover).
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/sanitize.sh thread|address}
dir=build-$kind
start=$(date +%s)
# Without MPI: the sanitized program is not run under mpirun (and Open MPI trips LeakSanitizer).
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFAULTLINE_SANITIZE="$kind" -DFAULTLINE_MPI=OFF >/dev/null
case $kind in
  thread)
    cmake --build "$dir" --target core_tests
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$dir/tests/core_tests" "[tsan]"
    ;;
  address)
    cmake --build "$dir" --target core_tests cli_unit_tests faultline
    export ASAN_OPTIONS="halt_on_error=1 detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1"
    "$dir/tests/core_tests"
    "$dir/tests/cli_unit_tests"
    # The fuzz test beside the command-line tests: both run one process at a time, and CI has two cores.
    FAULTLINE="$dir/faultline" bash tests/bad_input_test.sh 60 >"$dir/fuzz.log" 2>&1 &  # the normal suite runs 400
    fuzz=$!
    FAULTLINE="$dir/faultline" FAULTLINE_SANITIZED=address bash tests/cli_test.sh
    if ! wait "$fuzz"; then
      cat "$dir/fuzz.log"
      exit 1
    fi
    tail -1 "$dir/fuzz.log"
    # The explorer's server: its threads, its search thread, refused and fuzzed requests, and Ctrl-C.
    FAULTLINE="$dir/faultline" python3 tests/explore_test.py
    ;;
  *) echo "usage: scripts/sanitize.sh thread|address" >&2; exit 2 ;;
esac
echo "sanitizer job '$kind' passed in $(($(date +%s) - start)) s"
