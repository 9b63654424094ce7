#!/usr/bin/env bash
# Builds (installing missing packages first) and runs the whole test suite with CTest, then the sanitizer jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh --no-check
# Test-only tools: Debian's chromium for the browser test of the HTML trace page (driven over its DevTools pipe by
# a script for Debian's nodejs), python3 to parse JUnit XML.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
(cd build && ctest --output-on-failure -j "$(nproc)")
# The checker under sanitizers: ThreadSanitizer on the lock-free tables, ASan+UBSan on everything else.
# FAULTLINE_SKIP_SANITIZERS=1 skips them for a quick local run; CI always runs them.
if [[ ${FAULTLINE_SKIP_SANITIZERS:-0} != 1 ]]; then
  bash scripts/sanitize.sh thread
  bash scripts/sanitize.sh address
fi
