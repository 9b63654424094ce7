#!/usr/bin/env bash
# Builds (installing missing packages first) and runs the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh --no-check
cd build
ctest --output-on-failure -j "$(nproc)"
