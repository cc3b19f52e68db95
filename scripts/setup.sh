#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages) and builds Wache into ./build.
# Used by ./run.sh and ./test.sh; safe to run again (does nothing that is already done).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  cmake ninja-build g++ ccache pkg-config
  libyaml-cpp-dev libre2-dev nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev
  libspdlog-dev libgtest-dev libgmock-dev libcpp-httplib-dev libssl-dev libcli11-dev
  libhowardhinnant-date-dev libutf8proc-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

BUILD_TYPE="${WACHE_BUILD_TYPE:-RelWithDebInfo}"
if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
# Two cores: two compile jobs keep memory and the machine responsive.
cmake --build build -j "${WACHE_JOBS:-2}"
