#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages) and builds Wache into ./build.
# Used by ./run.sh and ./test.sh; safe to run again (does nothing that is already done).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  cmake ninja-build g++ ccache pkg-config
  libyaml-dev libyaml-cpp-dev libre2-dev nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev
  libspdlog-dev libgtest-dev libgmock-dev libcpp-httplib-dev libssl-dev libcli11-dev
  libhowardhinnant-date-dev libutf8proc-dev libjemalloc-dev
  # The staff inbox's browser test (tests/web/): Debian's Chromium, driven headless.
  chromium fonts-dejavu-core fonts-noto-color-emoji
)
# Node and npm for playwright-core, unless a Node is there already (e.g. from NodeSource,
# whose nodejs package brings its own npm and conflicts with Debian's).
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

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

# playwright-core for the browser test, exactly as tests/web/package-lock.json pins it;
# again only when the lock file changed (its checksum is kept beside the modules).
lock=tests/web/package-lock.json
stamp=tests/web/node_modules/.wache-lock-sha256
if [[ ! -f "$stamp" ]] || [[ "$(sha256sum "$lock" | cut -d' ' -f1)" != "$(cat "$stamp")" ]]; then
  echo "setup: npm ci in tests/web"
  (cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
  sha256sum "$lock" | cut -d' ' -f1 >"$stamp"
fi
