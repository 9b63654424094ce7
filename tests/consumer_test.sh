#!/usr/bin/env bash
# The CMake package from a user's side: install Faultline into a scratch prefix, build examples/ci-consumer against
# it with find_package(Faultline), and run its CTest suite (its own model plus faultline_add_check() checks).
# Then configure the known-broken design too and expect its check, and only it, to fail.
set -uo pipefail
: "${BUILD:?path to the Faultline build directory}" "${SOURCE:?path to the Faultline source tree}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$BUILD" --prefix "$tmp/prefix" >/dev/null || fail "cmake --install"
[[ -f $tmp/prefix/include/mc/check.hpp && -x $tmp/prefix/bin/faultline ]] || fail "headers or program not installed"
[[ -f $tmp/prefix/lib/cmake/Faultline/FaultlineConfig.cmake ]] || fail "no package config installed"

cmake -S "$SOURCE/examples/ci-consumer" -B "$tmp/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; fail "configure"; }
cmake --build "$tmp/build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; fail "build against the package"; }
ctest --test-dir "$tmp/build" --output-on-failure >"$tmp/ctest.log" 2>&1 || { cat "$tmp/ctest.log"; fail "consumer tests"; }
grep -q "100% tests passed, 0 tests failed out of 3" "$tmp/ctest.log" || { cat "$tmp/ctest.log"; fail "expected 3 passing tests"; }
grep -q '<testsuite name="faultline.two-phase.rms=4" tests="1" failures="0"' "$tmp/build/two_phase_4_rms.junit.xml" \
  || fail "JUnit report of faultline_add_check"

cmake "$tmp/build" -DCONSUMER_BROKEN_DESIGN=ON >/dev/null 2>&1 || fail "reconfigure"
if ctest --test-dir "$tmp/build" >"$tmp/broken.log" 2>&1; then fail "a violated design passed its check"; fi
grep -q "75% tests passed, 1 tests failed out of 4" "$tmp/broken.log" || { cat "$tmp/broken.log"; fail "expected exactly one failure"; }
grep -q "rpc_retry_without_dedup" "$tmp/broken.log" || fail "the failing test is not the broken design"
echo "consumer project: built against the installed package, 3 checks pass, the broken design fails"
