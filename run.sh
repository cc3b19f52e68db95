#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, check the shipped files and
# start the gateway (`wache serve`) on the embedded default: SQLite file in ./var, shipped
# flows, the example accounts of config/wache.yaml, random demo secrets in var/secrets/.
# Without platform tokens the replies are printed here (console sink); send a webhook from
# another terminal with: build/wache send-test --platform whatsapp --text "Hallo"
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
scripts/dev-secrets.sh
build/wache check
exec build/wache serve --config config/wache.yaml "$@"
