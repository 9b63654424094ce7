#!/usr/bin/env bash
# Builds (installing missing packages first) and runs the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh --no-check
# The browser test of the HTML trace page needs Debian's chromium.
if ! command -v chromium >/dev/null; then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium
fi
cd build
ctest --output-on-failure -j "$(nproc)"
