#!/usr/bin/env bash
# Installs the Debian 12 packages Faultline needs (only those missing), builds in Release, and runs a real check.
# Usage: scripts/build.sh            install + build + check two-phase with 3 RMs (TLC: 288 distinct states)
#        scripts/build.sh --no-check install + build only
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build ccache libboost-dev libtbb-dev catch2 libfmt-dev libcli11-dev nlohmann-json3-dev
          libxxhash-dev libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build

if [[ ${1:-} != --no-check ]]; then
  ./build/faultline check two-phase --param rms=3
fi
