#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, check the shipped files and
# start Wache on the embedded default (SQLite file in ./var, shipped flows, example accounts).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
mkdir -p var
build/wache check
exec build/wache chat --config config/wache.yaml "$@"
