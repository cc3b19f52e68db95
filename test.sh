#!/usr/bin/env bash
# Quick start, command 2: the same setup, then the whole test suite (unit tests, the
# conversation tests of the shipped flows, the routing corpus), in parallel.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
scripts/dev-secrets.sh
build/wache check
ctest --test-dir build --output-on-failure -j "${WACHE_JOBS:-2}"
